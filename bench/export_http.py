"""(a) Export of the benchmark project's 1,000,000 mentions as jsonl over HTTP, against PostgreSQL's
own COPY of the same rows, in one run.

The server is gunicorn (one sync worker, as deployed) on 127.0.0.1 serving the real endpoint,
GET /api/projects/{id}/export/?format=jsonl&scope=all, with a manager's token. Measured per run:
wall time, mentions per second, time to the first body byte, and the worker's peak resident memory
above what it held before the request (sampled every 20 ms). The baseline is raw COPY … TO STDOUT
of the same information read by a client: the articles (with bodies), the mentions joined to their
assignment, annotator, speaker and claim, and the article stances. Prints one JSON object.

A second server, with bench/one_connection_settings.py, builds the export on one connection as
before claims/exports/parallel.py; each run measures COPY and both servers (in alternating order).
Before the timed runs, one untimed export from each server checks that both send the same bytes.
`--no-one-connection` leaves the second server out. `--since DATE` measures the incremental export
(`&since=DATE`); with a date before the data, every article counts as changed, so the export must
send the same bytes as the whole one, which is checked before the timed runs.

Usage: python bench/export_http.py [--runs 3] [--no-one-connection] [--since 2000-01-01]
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import psutil
from common import PROJECT_SLUG, ROOT, median, say, setup_django

PORT = 8765
ONE_CONNECTION_PORT = 8775
BASELINE = [
    """COPY (SELECT ar.id, ar.external_id, ar.title, ar.body, ar.body_sha256, ar.source, ar.url, ar.author,
                    ar.published_at, ar.language, ar.metadata
               FROM claims_article ar WHERE ar.project_id = %(project)s) TO STDOUT""",
    """COPY (SELECT a.article_id, u.username, a.is_gold, a.status, m.id, m.start, m."end", m.text, s.id, s.name,
                    s.kind, m.source_start, m.source_end, m.source_text, m.cue_start, m.cue_end, m.cue_text,
                    m.quote_type, c.id, c.text, m.stance
               FROM claims_article ar JOIN claims_assignment a ON a.article_id = ar.id
               JOIN auth_user u ON u.id = a.annotator_id JOIN claims_claimmention m ON m.assignment_id = a.id
               LEFT JOIN claims_speaker s ON s.id = m.speaker_id LEFT JOIN claims_claim c ON c.id = m.claim_id
              WHERE ar.project_id = %(project)s) TO STDOUT""",
    """COPY (SELECT a.article_id, u.username, c.id, c.text, st.stance
               FROM claims_article ar JOIN claims_assignment a ON a.article_id = ar.id
               JOIN auth_user u ON u.id = a.annotator_id JOIN claims_articlestance st ON st.assignment_id = a.id
               JOIN claims_claim c ON c.id = st.claim_id
              WHERE ar.project_id = %(project)s) TO STDOUT""",
]


def copy_baseline(project_id: int) -> float:
    import psycopg
    from django.db import connection

    settings_dict = connection.settings_dict
    with psycopg.connect(
        host=settings_dict["HOST"], port=settings_dict["PORT"] or 5432, user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None, dbname=settings_dict["NAME"],
    ) as conn, conn.cursor() as cursor:  # fmt: skip
        started = time.perf_counter()
        for statement in BASELINE:
            with cursor.copy(psycopg.ClientCursor(conn).mogrify(statement, {"project": project_id})) as copy:
                for _ in copy:
                    pass
        return time.perf_counter() - started


class PeakMemory(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.process, self.peak, self.running = psutil.Process(pid), 0, True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, self.process.memory_info().rss)
            time.sleep(0.02)


def get(path: str, token: str, port: int = PORT) -> tuple[float, float, int, int]:
    """(seconds to first body byte, total seconds, bytes, lines) of one streamed GET."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Authorization": f"Token {token}", "Host": "127.0.0.1"})
    response = connection.getresponse()
    assert response.status == 200, response.read()[:500]
    first = response.read(1)
    first_byte = time.perf_counter() - started
    size, lines = len(first), first.count(b"\n")
    while chunk := response.read(1024 * 1024):
        size += len(chunk)
        lines += chunk.count(b"\n")
    return first_byte, time.perf_counter() - started, size, lines


def sha256_of(path: str, token: str, port: int) -> str:
    """The SHA-256 of one GET's body (not timed: hashing 600 MiB takes the client a core-second)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.request("GET", path, headers={"Authorization": f"Token {token}", "Host": "127.0.0.1"})
    response = connection.getresponse()
    assert response.status == 200, response.read()[:500]
    digest = hashlib.sha256()
    while chunk := response.read(1024 * 1024):
        digest.update(chunk)
    return digest.hexdigest()


def start_server(port: int = PORT, settings: str = "annotator.settings") -> subprocess.Popen:
    with socket.socket() as probe:  # never measure somebody else's server on a busy port
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
    env = os.environ | {"DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING",
                        "DJANGO_SETTINGS_MODULE": settings}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "annotator.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}",
         "--timeout", "900"],
        cwd=ROOT, env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/api/schema/")
            return server
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def measured_get(path: str, token: str, port: int, worker: int) -> dict:
    """One export over HTTP with the worker's memory sampled."""
    before = psutil.Process(worker).memory_info().rss
    sampler = PeakMemory(worker)
    sampler.start()
    first_byte, seconds, size, lines = get(path, token, port)
    sampler.running = False
    sampler.join()
    return {"s": seconds, "first_byte_s": first_byte, "rss_growth_mb": (sampler.peak - before) / 2**20,
            "rss_before_mb": before / 2**20, "rss_peak_mb": sampler.peak / 2**20, "bytes": size,
            "lines": lines}  # fmt: skip


def main(runs: int, one_connection: bool = True, since: str | None = None) -> dict:
    setup_django()
    from rest_framework.authtoken.models import Token

    from claims.models import ClaimMention, Project

    project = Project.objects.get(slug=PROJECT_SLUG)
    mentions = ClaimMention.objects.filter(assignment__article__project=project).count()
    token = Token.objects.get(user__username="bench-manager").key
    whole = f"/api/projects/{project.pk}/export/?format=jsonl&scope=all"
    path = f"{whole}&since={since}" if since else whole
    servers = {"http": (start_server(), PORT)}
    if one_connection:
        servers["one"] = (start_server(ONE_CONNECTION_PORT, "bench.one_connection_settings"), ONE_CONNECTION_PORT)
    try:
        workers = {name: psutil.Process(server.pid).children()[0].pid for name, (server, _) in servers.items()}
        for _, port in servers.values():  # warm the workers up
            get(f"/api/projects/{project.pk}/export/?format=jsonl&since=2999-01-01", token, port)
        digests = {name: sha256_of(path, token, port) for name, (_, port) in servers.items()}
        say(f"export: SHA-256 of each server's export: {digests}")
        assert len(set(digests.values())) == 1, "the servers sent different bytes"
        if since:
            assert sha256_of(whole, token, servers["http"][1]) == digests["http"], f"since={since} left articles out"
        results = []
        for run in range(1, runs + 1):
            say(f"export run {run}/{runs}: COPY baseline")
            result = {"copy_s": copy_baseline(project.pk), "load_1min": os.getloadavg()[0]}
            order = list(servers) if run % 2 else list(reversed(servers))
            for name in order:
                say(f"export run {run}/{runs}: HTTP jsonl ({mentions:,} mentions), {name}")
                measured = measured_get(path, token, servers[name][1], workers[name])
                if name == "http":
                    result |= {"http_s": measured.pop("s"), **measured}
                else:
                    result |= {f"{name}_{key}": value for key, value in measured.items()}
            results.append(result)
            one = f" (one connection {result['one_s']:.1f} s)" if one_connection else ""
            say(f"  COPY {result['copy_s']:.1f} s, HTTP {result['http_s']:.1f} s{one}, first byte "
                f"{result['first_byte_s']:.2f} s, RSS +{result['rss_growth_mb']:.1f} MB, {result['bytes'] / 2**20:.0f} "
                f"MiB, {result['lines']:,} lines, load {result['load_1min']:.1f}")  # fmt: skip
    finally:
        for server, _ in servers.values():
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    copy_s, http_s = median([r["copy_s"] for r in results]), median([r["http_s"] for r in results])
    summary = {
        "measurement": "export", "since": since, "runs": runs, "mentions": mentions, "articles": results[0]["lines"],
        "bytes": results[0]["bytes"], "copy_s": copy_s, "http_s": http_s,
        "copy_mentions_per_s": mentions / copy_s, "http_mentions_per_s": mentions / http_s,
        "ratio": copy_s / http_s, "ratio_each_run": [r["copy_s"] / r["http_s"] for r in results],
        "first_byte_s": median([r["first_byte_s"] for r in results]),
        "rss_growth_mb": median([r["rss_growth_mb"] for r in results]),
        "rss_growth_max_mb": max(r["rss_growth_mb"] for r in results),
        "rss_peak_mb": max(r["rss_peak_mb"] for r in results), "sha256": digests["http"], "each_run": results,
    }  # fmt: skip
    if one_connection:
        one_s = median([r["one_s"] for r in results])
        summary |= {
            "one_connection_s": one_s, "one_connection_ratio": copy_s / one_s,
            "one_connection_ratio_each_run": [r["copy_s"] / r["one_s"] for r in results],
            "one_connection_rss_growth_max_mb": max(r["one_rss_growth_mb"] for r in results),
        }  # fmt: skip
    return summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-one-connection", dest="one_connection", action="store_false",
                        help="leave out the server that builds the export on one connection")  # fmt: skip
    parser.add_argument("--since", help="measure the export with since=DATE (a date before the data: everything)")
    arguments = parser.parse_args()
    print(json.dumps(main(arguments.runs, arguments.one_connection, arguments.since)))
