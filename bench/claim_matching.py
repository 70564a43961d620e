"""`?similar_to=` over HTTP with catalogues of 10,000 and 100,000 tracked claims.

Builds (in its own database, dropped and created) two projects: `match-10k`, the CheckThat! 2020
Task 2 verified claims (10,375 rows, 10,368 distinct texts) cut to 10,000, and `match-100k`, the
same claims plus nine synthetic variants of each (every variant swaps about a third of the words
of its claim for words of other claims, so the vocabulary and word frequencies stay those of real
claims), with the fact-check titles as notes. Claims are written by bulk INSERTs with every trigger
on, so the inverted index is built as the application builds it. Then VACUUM ANALYZE.

Measured per catalogue: every CheckThat! dev tweet (197) as `GET /api/projects/{id}/claims/?similar_to=`
against gunicorn (one sync worker, as deployed) with a token, after a warm-up pass; baseline in the
same run: the same ranking statement sent bare to PostgreSQL by psycopg (no Django, no HTTP). Prints
one JSON object and writes the EXPLAIN (ANALYZE, BUFFERS) of the hot statement at 100,000 claims to
bench/out/claim_matching_explain.txt.

Usage: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator_bench_matching \\
       python bench/claim_matching.py --data DIR [--passes 2] [--reuse]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from common import OUT, ROOT, machine, median, say, setup_django

PORT = 8766
SIZES = {"match-10k": 10_000, "match-100k": 100_000}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def recreate_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the benchmark database's name must contain 'bench'")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def variants(claims: list[tuple[str, str]], copies: int, seed: int = 2020) -> list[tuple[str, str]]:
    """`copies` variants of every (text, notes): about a third of the words replaced by words drawn
    from the whole catalogue, so word frequencies stay those of real claims."""
    rng = random.Random(seed)
    words = [word for text, _ in claims for word in text.split()]
    seen = {text.lower() for text, _ in claims}
    out = []
    for copy in range(copies):
        for text, notes in claims:
            tokens = text.split()
            for i in rng.sample(range(len(tokens)), k=max(1, len(tokens) // 3)):
                tokens[i] = rng.choice(words)
            variant = f"{' '.join(tokens)} ({copy + 1})"
            if variant.lower() not in seen:  # one claim per text, as the claim service keeps them
                seen.add(variant.lower())
                out.append((variant, notes))
    return out


def build(data: Path) -> dict[str, int]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from claims import checkthat
    from claims.models import Claim
    from claims.services.projects import project_create

    say("migrating")
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create(username="bench-matcher")
    Token.objects.create(user=user)
    seen, real = set(), []
    for _, text, title in checkthat.verified_claims(data):
        key = " ".join(text.split()).lower()
        if key not in seen:
            seen.add(key)
            real.append((" ".join(text.split()), title))
    catalogues = {"match-10k": real[:10_000], "match-100k": real + variants(real, 9)}
    projects = {}
    for slug, claims in catalogues.items():
        claims = claims[: SIZES[slug]]
        project = project_create(name=slug, slug=slug, created_by=user)
        started = time.perf_counter()
        for start in range(0, len(claims), 5_000):
            Claim.objects.bulk_create(
                [Claim(project=project, text=text, notes=notes) for text, notes in claims[start : start + 5_000]]
            )
            say(f"{slug}: {start + 5_000:,} claims ({time.perf_counter() - started:.0f} s)")
        projects[slug] = project.pk
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return projects


def start_server() -> subprocess.Popen:
    with socket.socket() as probe:  # never measure somebody else's server on a busy port
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", PORT))
    env = os.environ | {"DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "annotator.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{PORT}"],
        cwd=ROOT, env=env, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/api/schema/")
            return server
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not start")


def http_times(project: int, queries: list[str], token: str, passes: int) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    headers = {"Authorization": f"Token {token}", "Host": "127.0.0.1"}
    times = []
    for number in range(passes + 1):  # the first pass warms the worker and the caches up
        for text in queries:
            path = f"/api/projects/{project}/claims/?" + urlencode({"similar_to": text})
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            if number:
                times.append(time.perf_counter() - started)
            assert response.status == 200, body[:300]
    return times


def sql_times(project: int, queries: list[str], passes: int, explain: Path | None = None) -> list[float]:
    """The ranking statement alone, as the read sends it, from a bare psycopg connection."""
    import psycopg
    from django.db import connection

    from claims.reads import search

    s = connection.settings_dict
    times = []
    with psycopg.connect(host=s["HOST"], port=s["PORT"] or 5432, user=s["USER"], password=s["PASSWORD"] or None,
                         dbname=s["NAME"]) as conn:  # fmt: skip
        for name, value in search._PLANNER.items():
            conn.execute("SELECT set_config(%s, %s, false)", [name, value])
        for number in range(passes + 1):
            for text in queries:
                statement, params = search.similar_statement(project_id=project, text=text)
                started = time.perf_counter()
                conn.execute(statement, params).fetchall()
                if number:
                    times.append(time.perf_counter() - started)
        if explain is not None:
            hot = sorted(queries, key=len)[len(queries) // 2]  # a tweet of median length
            statement, params = search.similar_statement(project_id=project, text=hot)
            plan = conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params).fetchall()
            explain.write_text(f"-- similar_to={hot!r}\n" + "\n".join(row[0] for row in plan) + "\n")
    return times


def main(data: Path, passes: int, reuse: bool) -> dict:
    url = os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/annotator_bench_matching")
    os.environ["DATABASE_URL"] = url  # never the development database
    if not reuse:
        recreate_database(url)
    setup_django()
    from rest_framework.authtoken.models import Token

    from claims import checkthat
    from claims.models import Project
    from claims.services.tracked_claims import CLAIM_TEXT_LIMIT

    projects = dict(Project.objects.filter(slug__in=SIZES).values_list("slug", "pk")) if reuse else build(data)
    token = Token.objects.get(user__username="bench-matcher").key
    queries = [text[:CLAIM_TEXT_LIMIT] for text in checkthat.split(data, "dev").tweets.values()]
    OUT.mkdir(exist_ok=True)
    server = start_server()
    results = {"machine": machine(), "queries": len(queries), "passes": passes}
    try:
        for slug, project in projects.items():
            say(f"{slug}: bare SQL")
            explain = OUT / "claim_matching_explain.txt" if slug == "match-100k" else None
            sql = sql_times(project, queries, passes, explain)
            say(f"{slug}: HTTP")
            load = os.getloadavg()[0]
            http = http_times(project, queries, token, passes)
            results[slug] = {
                "claims": SIZES[slug], "load_1min": load,
                "http_p50_ms": median(http) * 1000, "http_p95_ms": percentile(http, 0.95) * 1000,
                "sql_p50_ms": median(sql) * 1000, "sql_p95_ms": percentile(sql, 0.95) * 1000,
            }  # fmt: skip
            say(f"  {results[slug]}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    (OUT / "claim_matching.json").write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True,
                        help="the CLEF 2020 CheckThat! Task 2 (English) data: verified_claims.docs.tsv, train/, dev/")
    parser.add_argument("--passes", type=int, default=2, help="timed passes over the dev tweets")
    parser.add_argument("--reuse", action="store_true", help="measure the catalogues already built")
    arguments = parser.parse_args()
    print(json.dumps(main(arguments.data, arguments.passes, arguments.reuse), indent=2))
