"""Interactive API under load: 50 simulated annotators doing the real flow through gunicorn on
127.0.0.1, two clients exporting at the same time, the framework floor (GET /healthz) measured in
the same run, a ledger check of every acknowledged write, and a saturation sweep.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator_load python bench/load_annotators.py [--runs 3]

Each run drops and recreates the benchmark database (its name must contain "load" or "bench"),
migrates it and builds two projects (2 annotators per article): `load-main` for the main run and
`load-saturation` for the warm-up and the sweep, with articles of about 1,500 characters of news
prose with direct and indirect quotes, accented names and an occasional emoji; 30 speakers, 40
tracked claims; a manager and 80 annotators with API tokens. Then it starts gunicorn (DEBUG off,
plain HTTP) and the client (bench/load_client.py) in a process of its own, and runs, in order:

  warm-up       10 annotators without think time for 8 s on load-saturation (not reported)
  quiet floor   50 clients doing GET /healthz every ~2 s, nothing else, 15 s
  main          50 annotators acting every ~2 s (jittered ±50 %) + 50 floor clients at the same
                pace + 2 clients exporting load-main (jsonl, scope=all) back to back; 120 s;
                then the ledger check against a fresh export
  floor sweep   40 clients doing GET /healthz without think time, 10 s (the framework's ceiling)
  saturation    5, 10, 20, 40, 80 annotators without think time, 30 s each (3 s of warm-up)

Progress goes to stderr, the Markdown tables to stdout, raw numbers to bench/out/load.json.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import itertools
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time

from common import OUT, ROOT, machine, say, setup_django

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/annotator_load"
PORT = 8766
MAIN, SATURATION = "load-main", "load-saturation"

SPEAKERS = [
    "Recep Tayyip Erdoğan", "Kathryn Wheelbarger", "Mike Pence", "José Martínez", "Zoë Ångström", "Hulusi Akar",
    "Mevlüt Çavuşoğlu", "Jens Stoltenberg", "Ursula von der Leyen", "Olaf Scholz", "Emmanuel Macron",
    "Antony Blinken", "Ngozi Okonjo-Iweala", "Søren Kierkegaard-Holm", "Małgorzata Nowak", "Chen Wei",
    "Priya Raghunathan", "Oluwaseun Adeyemi", "Björn Lindqvist", "Ana Paula Gonçalves", "Dmitri Sokolov",
    "Fatima Al-Sayed", "Hiroshi Tanaka", "Maria Fernández", "Kwame Mensah", "Ingrid Johansen",
    "Rafael Domínguez", "Leyla Şahin", "Thomas Müller", "Aoife Ní Bhriain",
]  # fmt: skip
CLAIMS = [f"Claim {n}: " + text for n, text in enumerate([
    "Turkey will go ahead with the S-400 purchase", "The sanctions will hurt the economy", "The plan is reckless",
    "The alliance remains united", "Inflation has peaked", "The border will stay open", "The vote was rigged",
    "The reform will cut emissions", "The treaty is dead", "Talks will resume next month",
], 1)] + [f"Tracked claim number {n}" for n in range(11, 41)]  # fmt: skip
QUOTES = [
    "We are determined to go ahead, whatever the cost", "There is no turning back now",
    "This decision was taken after long and careful déliberation", "Our partners have been informed in detail",
    "We will not accept any ultimatum from anyone", "The numbers simply do not add up",
    "It is a mistake that will cost us dearly", "Nobody at the table wanted this outcome",
    "We have seen this déjà vu before, and it ended badly", "The door remains open for dialogue",
    "The system would be incompatible with our defences", "I have full confidence in the negotiators",
    "Markets will judge this plan harshly 📉", "We expect an answer before the summit in Brüssel",
    "The public deserves a straight answer", "This is about sovereignty, nothing more and nothing less",
]  # fmt: skip
CLAUSES = [
    "the purchase would go ahead regardless of the consequences", "the measures were merely symbolic",
    "the agreement had been negotiated in bad faith", "the figures released on Monday were misleading",
    "the ministry had known about the risks for months", "a compromise was still within reach",
    "the sanctions would fall hardest on ordinary families", "the timetable was no longer realistic",
]  # fmt: skip
FILLER = [
    "The talks in Ankara ran late into the evening, according to officials present.",
    "Analysts were divided over what the announcement meant for the region.",
    "Shares in defence companies rose by 2.4 per cent in early trading.",
    "The statement came a day after a tense meeting between the delegations.",
    "Protesters gathered outside the parliament building on Tuesday morning.",
    "The ministry did not respond to a request for comment on Wednesday.",
    "Diplomats in Brussels described the mood as “cautiously hopeful”.",
    "A spokesperson for the opposition called the move a distraction.",
    "The figures will be reviewed again at the end of the quarter.",
    "Several members of the committee declined to be named.",
]  # fmt: skip
DIRECT_CUES = ["said", "told reporters", "added", "warned"]
INDIRECT_CUES = ["argued", "claimed", "insisted", "warned"]


def article_body(rng: random.Random) -> str:
    """About 1,500 characters of news prose: five direct quotes, three indirect ones, filler."""
    sentences = [f"“{rng.choice(QUOTES)},” {rng.choice(SPEAKERS)} {rng.choice(DIRECT_CUES)}." for _ in range(5)]
    sentences += [f"{rng.choice(SPEAKERS)} {rng.choice(INDIRECT_CUES)} that {rng.choice(CLAUSES)}." for _ in range(3)]
    while sum(len(s) + 1 for s in sentences) < 1450:
        sentences.append(rng.choice(FILLER))
    rng.shuffle(sentences)
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    return "\n\n".join(paragraphs)


# --- the database ------------------------------------------------------------------------------------
def recreate_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    if "load" not in name and "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the benchmark database's name must contain 'load' or 'bench'")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def build_projects(*, articles: int, users: int, saturation_articles: int, password: str) -> dict:
    """Both projects, their people with tokens, speakers, claims and articles; returns the client's plan."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from claims.models import Role
    from claims.services.articles import articles_import
    from claims.services.projects import membership_set, project_create
    from claims.services.speakers import speaker_create
    from claims.services.tracked_claims import claim_create

    say("migrating")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    User = get_user_model()
    manager = User.objects.create(username="load-manager", password=make_password(password))
    annotators = User.objects.bulk_create(
        [User(username=f"load-annotator-{n:03d}", password=make_password(None)) for n in range(1, users + 1)]
    )
    tokens = Token.objects.bulk_create([Token(user=user, key=Token.generate_key()) for user in annotators])
    plan_projects = {}
    rng = random.Random(2026)
    for slug, count in ((MAIN, articles), (SATURATION, saturation_articles)):
        project = project_create(name=slug, slug=slug, created_by=manager, annotators_per_article=2)
        for user in annotators:
            membership_set(project=project, user=user, role=Role.ANNOTATOR)
        speakers = {name: speaker_create(project=project, name=name).pk for name in SPEAKERS}
        claims = [claim_create(project=project, text=text, created_by=manager).pk for text in CLAIMS]
        say(f"{slug}: importing {count:,} articles")
        rows = (
            (n, {"external_id": f"{slug}-{n:06d}", "title": f"Article {n}", "body": article_body(rng),
                 "source": "Load Wire", "url": f"https://example.org/{slug}/{n}", "author": "Desk",
                 "published_at": "2019-03-12T09:30:00Z", "language": "en"})
            for n in range(1, count + 1)
        )  # fmt: skip
        report = articles_import(project=project, rows=rows)
        assert len(report.accepted) == count, report.as_dict()
        plan_projects[project.pk] = {"slug": slug, "speakers": speakers, "claims": claims}
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "projects": plan_projects,
        "users": [{"username": t.user.username, "token": t.key} for t in tokens],
        "main": next(pid for pid, p in plan_projects.items() if p["slug"] == MAIN),
        "saturation": next(pid for pid, p in plan_projects.items() if p["slug"] == SATURATION),
    }


def postgres_settings() -> dict:
    from django.db import connection

    names = ["synchronous_commit", "fsync", "shared_buffers", "max_connections", "wal_sync_method"]
    with connection.cursor() as cursor:
        values = {}
        for name in names:
            cursor.execute(f"SHOW {name}")
            values[name] = cursor.fetchone()[0]
    return values


# --- the server --------------------------------------------------------------------------------------
def gunicorn_args(server: str) -> list[str]:
    """'sync:5' → 5 sync workers; 'gthread:2:8' → 2 workers with 8 threads each."""
    kind, workers, *threads = server.split(":")
    args = ["--worker-class", kind, "--workers", workers]
    if kind == "gthread":
        args += ["--threads", threads[0] if threads else "4"]
    return args


def start_server(server: str, log_path) -> subprocess.Popen:
    env = os.environ | {"DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING"}
    # Keep-alive longer than the client's pool keeps idle connections (15 s), so the client never
    # reuses a connection at the instant the server drops it (a spurious connection error).
    command = [sys.executable, "-m", "gunicorn", "annotator.wsgi", "--bind", f"127.0.0.1:{PORT}",
               *gunicorn_args(server), "--keep-alive", "20", "--timeout", "120"]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=open(log_path, "w"))  # noqa: SIM115
    for _ in range(200):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1)
            connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"gunicorn did not start; see {log_path}")


def obtain_token(username: str, password: str) -> str:
    """The manager's token through POST /api/auth/token/, as a script gets it."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    body = json.dumps({"username": username, "password": password})
    connection.request("POST", "/api/auth/token/", body, {"Content-Type": "application/json", "Host": "127.0.0.1"})
    response = connection.getresponse()
    assert response.status == 200, response.read()
    return json.loads(response.read())["token"]


def client_priority() -> None:
    """The client is the measuring instrument: on a machine shared with other work, a higher
    scheduling priority keeps its clock reading prompt (it needs < 0.1 core, so it takes little
    from anyone). Without the privilege to raise it, it runs as it is."""
    with contextlib.suppress(PermissionError):
        os.nice(-5)


# --- one run -----------------------------------------------------------------------------------------
def phases(args, plan: dict) -> list[dict]:
    main_phase = {"name": "main", "project": plan["main"], "annotators": args.annotators, "floor": args.annotators,
                  "exporters": args.exporters, "export_pause": args.export_pause, "think": args.think,
                  "seconds": args.duration, "warmup": 0, "ledger": True}  # fmt: skip
    steps = [
        {"name": f"saturation-{n}", "project": plan["saturation"], "annotators": n, "think": 0,
         "seconds": args.step_seconds + 3, "warmup": 3}
        for n in args.steps
    ]  # fmt: skip
    return [
        {"name": "warm-up", "project": plan["saturation"], "annotators": 10, "think": 0, "seconds": 8},
        {"name": "quiet-floor", "project": plan["main"], "floor": args.annotators, "think": args.think,
         "seconds": args.floor_seconds},
        main_phase,
        *([{"name": "floor-sweep", "project": plan["main"], "floor": 40, "think": 0, "seconds": 10}]
          if args.steps else []),
        *steps,
    ]  # fmt: skip


def machine_busy(seconds: float = 5.0) -> float:
    """Cores the machine keeps busy (everything on it) over `seconds`."""
    import psutil

    def busy() -> float:
        t = psutil.cpu_times()
        return sum(t) - t.idle - getattr(t, "iowait", 0)

    before, started = busy(), time.perf_counter()
    time.sleep(seconds)
    return (busy() - before) / (time.perf_counter() - started)


def wait_for_quiet(limit_s: float, threshold: float = 0.3) -> float:
    """Other work shares the machine's cores; wait (up to `limit_s`) for it to settle, and say how busy it was."""
    deadline = time.perf_counter() + limit_s
    while True:
        cores = machine_busy()
        if cores <= threshold or time.perf_counter() >= deadline:
            say(f"machine busy with other work: {cores:.2f} cores before the run")
            return cores
        say(f"machine busy with other work: {cores:.2f} cores; waiting for it to settle")


def one_run(args, number: int) -> dict:
    say(f"run {number}/{args.runs}: recreating {args.database_url.rsplit('/', 1)[1]}")
    from django.db import connections

    connections.close_all()
    recreate_database(args.database_url)
    password = os.urandom(12).hex()
    users = max(args.annotators, *args.steps) if args.steps else args.annotators
    plan = build_projects(articles=args.articles, users=users, saturation_articles=args.saturation_articles,
                          password=password)  # fmt: skip
    facts = {"postgres_settings": postgres_settings()}
    connections.close_all()
    facts["busy_before_cores"] = wait_for_quiet(args.wait_quiet)
    OUT.mkdir(parents=True, exist_ok=True)
    server = start_server(args.server, OUT / "load-gunicorn.log")
    try:
        say(f"gunicorn {args.server} (pid {server.pid}) on 127.0.0.1:{PORT}")
        plan |= {"base_url": f"http://127.0.0.1:{PORT}", "gunicorn_pid": server.pid,
                 "database": args.database_url.rsplit("/", 1)[1],
                 "manager_token": obtain_token("load-manager", password)}  # fmt: skip
        plan["phases"] = phases(args, plan)
        result_path = OUT / "load-client.json"
        subprocess.run([sys.executable, str(ROOT / "bench" / "load_client.py"), str(result_path)],
                       input=json.dumps(plan).encode(), check=True, preexec_fn=client_priority)  # fmt: skip
        result = json.loads(result_path.read_text())
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    result_path.unlink()
    return result | facts


# --- the report --------------------------------------------------------------------------------------
def median_of(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def phase_of(run: dict, name: str) -> dict:
    return next(p for p in run["phases"] if p["phase"] == name)


def op_stat(runs: list[dict], phase: str, op: str, stat: str) -> float | None:
    return median_of([phase_of(r, phase)["ops"].get(op, {}).get(stat) for r in runs])


def summarise(runs: list[dict], args) -> dict:
    """Medians over the runs of every figure the tables show; errors and lost writes are summed."""
    ops = ["next", "read_article", "mention_create", "mention_edit", "article_stance", "read_assignment", "submit",
           "healthz", "export", "export_first_byte"]  # fmt: skip
    main = {op: {stat: op_stat(runs, "main", op, stat) for stat in ("n", "p50", "p95", "p99", "max")} for op in ops}
    for op in ops:
        main[op]["errors"] = sum(phase_of(r, "main")["ops"].get(op, {}).get("errors", 0) for r in runs)
    ledgers = [phase_of(r, "main").get("ledger", {}) for r in runs]
    steps = []
    for n in args.steps:
        name = f"saturation-{n}"
        steps.append({
            "clients": n,
            "requests_per_s": median_of([phase_of(r, name)["flow_requests_per_s"] for r in runs]),
            "p50": median_of([phase_of(r, name)["flow_p50"] for r in runs]),
            "p99": median_of([phase_of(r, name)["flow_p99"] for r in runs]),
            "mention_create_p50": op_stat(runs, name, "mention_create", "p50"),
            "mention_create_p99": op_stat(runs, name, "mention_create", "p99"),
            "next_p99": op_stat(runs, name, "next", "p99"),
            "errors": sum(phase_of(r, name)["errors"] for r in runs),
            "client_cores": median_of([phase_of(r, name)["cpu"]["client_cores"] for r in runs]),
            "machine_cores": median_of([phase_of(r, name)["cpu"]["machine_cores"] for r in runs]),
            "other_cores": median_of([phase_of(r, name)["cpu"]["other_cores"] for r in runs]),
        })  # fmt: skip
    cpu = {key: median_of([phase_of(r, "main")["cpu"][key] for r in runs])
           for key in ("client_cores", "gunicorn_cores", "postgres_cores", "machine_cores", "other_cores")}  # fmt: skip
    summary = {
        "runs": len(runs),
        "main": main,
        "main_errors": sum(phase_of(r, "main")["errors"] for r in runs),
        "main_error_samples": [s for r in runs for s in phase_of(r, "main")["error_samples"]][:20],
        "main_flow_requests_per_s": median_of([phase_of(r, "main")["flow_requests_per_s"] for r in runs]),
        "main_cpu": cpu,
        "busy_before_cores": [r["busy_before_cores"] for r in runs],
        "main_loop_lag_p99_ms": median_of([phase_of(r, "main")["loop_lag"]["p99_ms"] for r in runs]),
        "export_mib": median_of([phase_of(r, "main")["export_bytes"] / 2**20 for r in runs]),
        "exhausted": sum(phase_of(r, "main")["exhausted"] for r in runs),
        "ack_mismatches": sum(phase_of(r, "main")["ack_mismatches"] for r in runs),
        "quiet_floor_p50": op_stat(runs, "quiet-floor", "healthz", "p50"),
        "quiet_floor_p99": op_stat(runs, "quiet-floor", "healthz", "p99"),
        "ledger": {
            "acknowledged_writes": sum(ledger.get("acknowledged_writes", 0) for ledger in ledgers),
            "lost_or_wrong": sum(ledger.get("lost_or_wrong", 0) if "error" not in ledger else 1 for ledger in ledgers),
            "unacknowledged_mentions": sum(ledger.get("unacknowledged_mentions", 0) for ledger in ledgers),
            "problems": [p for ledger in ledgers for p in ledger.get("problems", [])][:20],
        },
        "saturation": steps,
    }
    if args.steps:
        summary["floor_sweep_requests_per_s"] = median_of(
            [phase_of(r, "floor-sweep")["ops"]["healthz"]["n"] / phase_of(r, "floor-sweep")["seconds"] for r in runs]
        )
        summary["floor_sweep_p50"] = op_stat(runs, "floor-sweep", "healthz", "p50")
    summary["crossing"] = {key: crossing(steps, key) for key in ("mention_create_p99", "p99")}
    return summary


def crossing(steps: list[dict], key: str) -> dict | None:
    """The throughput at which `key` crosses 100 ms, interpolated between the two steps around it."""
    for below, above in itertools.pairwise(steps):
        if (below[key] or 0) <= 100 < (above[key] or 0):
            share = (100 - below[key]) / (above[key] - below[key])
            rate = below["requests_per_s"] + share * (above["requests_per_s"] - below["requests_per_s"])
            return {"requests_per_s": rate, "between_clients": [below["clients"], above["clients"]]}
    if steps and (steps[0][key] or 0) > 100:
        return {"requests_per_s": None, "already_above_at_clients": steps[0]["clients"]}
    return None


def tables(summary: dict, facts: dict, args) -> str:
    def ms(value: float | None) -> str:
        return "–" if value is None else f"{value:.1f}"

    def check(ok: bool) -> str:
        return "met" if ok else "**missed**"

    m = summary["main"]
    labels = {"next": "next (POST …/assignments/next/)", "read_article": "read article (GET /api/articles/{id}/)",
              "mention_create": "mention create (POST)", "mention_edit": "mention edit (PATCH, If-Match)",
              "article_stance": "article stance (POST)", "read_assignment": "read assignment (GET, for its ETag)",
              "submit": "submit (PATCH, If-Match)", "healthz": "floor: GET /healthz (in the run)",
              "export": "export jsonl scope=all, whole body",
              "export_first_byte": "export, time to first byte"}  # fmt: skip
    lines = [
        f"Main run: {args.annotators} annotators acting every ~{args.think:g} s, {args.annotators} floor clients, "
        f"{args.exporters} exporters, {args.duration:g} s; gunicorn `{args.server}`; "
        f"median of {summary['runs']} run(s), errors summed over them.",
        "",
        "| operation | requests | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for op, label in labels.items():
        row = m[op]
        lines.append(f"| {label} | {row['n'] or 0:,.0f} | {ms(row['p50'])} | {ms(row['p95'])} | {ms(row['p99'])} "
                     f"| {ms(row['max'])} | {row['errors']} |")  # fmt: skip
    floor = m["healthz"]["p50"]
    create = m["mention_create"]
    ratio = create["p50"] / floor if create["p50"] and floor else None
    quiet_ratio = create["p50"] / summary["quiet_floor_p50"] if create["p50"] and summary["quiet_floor_p50"] else None
    ledger = summary["ledger"]
    cpu = summary["main_cpu"]
    lines += [
        "",
        "| goal | measured | target | |",
        "|---|---|---|---|",
        f"| errors | {summary['main_errors']} | 0 | {check(summary['main_errors'] == 0)} |",
        f"| lost writes (ledger vs final export) | {ledger['lost_or_wrong']} of {ledger['acknowledged_writes']:,} "
        f"acknowledged writes | 0 | {check(ledger['lost_or_wrong'] == 0)} |",
        f"| mention-create p99 | {ms(create['p99'])} ms | ≤ 50 ms | {check((create['p99'] or 1e9) <= 50)} |",
        f"| mention-create p50 / floor p50 (in the run) | {ms(create['p50'])} / {ms(floor)} ms = "
        f"{ratio or 0:.1f}× | ≤ 3× | {check((ratio or 1e9) <= 3)} |",
        f"| same against the quiet floor (nothing else running) | {ms(create['p50'])} / "
        f"{ms(summary['quiet_floor_p50'])} ms = {quiet_ratio or 0:.1f}× | ≤ 3× | {check((quiet_ratio or 1e9) <= 3)} |",
        "",
        f"Main run: {summary['main_flow_requests_per_s'] or 0:.1f} flow requests/s; exports read "
        f"{summary['export_mib'] or 0:.0f} MiB. CPU in cores (of {facts['machine']['cpus']}): client "
        f"{cpu['client_cores']:.2f}, gunicorn {cpu['gunicorn_cores']:.2f}, PostgreSQL (this database's backends) "
        f"{cpu['postgres_cores']:.2f}, other work on the machine {cpu['other_cores']:.2f} (before the runs: "
        f"{', '.join(f'{c:.2f}' for c in summary['busy_before_cores'])}); client event-loop lag p99 "
        f"{summary['main_loop_lag_p99_ms'] or 0:.1f} ms. Unacknowledged mentions found in the export: "
        f"{ledger['unacknowledged_mentions']}; acknowledgements differing from the request: "
        f"{summary['ack_mismatches']}.",
    ]
    if summary["saturation"]:
        lines += [
            "",
            "Saturation: the same flow without think time, no exporters (median of runs; p50/p99 over every flow "
            "request).",
            "",
            "| clients | requests/s | p50 ms | p99 ms | mention create p50 ms | mention create p99 ms | next p99 ms "
            "| errors | client CPU | machine CPU (others) |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for step in summary["saturation"]:
            lines.append(
                f"| {step['clients']} | {step['requests_per_s']:.0f} | {ms(step['p50'])} | {ms(step['p99'])} "
                f"| {ms(step['mention_create_p50'])} | {ms(step['mention_create_p99'])} | {ms(step['next_p99'])} "
                f"| {step['errors']} | {step['client_cores']:.2f} | {step['machine_cores']:.2f} "
                f"({step['other_cores']:.2f}) |"
            )
        for key, label in (("mention_create_p99", "mention-create p99"), ("p99", "p99 of all flow requests")):
            cross = summary["crossing"][key]
            if cross is None:
                text = "does not cross 100 ms within the steps"
            elif cross["requests_per_s"] is None:
                text = f"is above 100 ms already at {cross['already_above_at_clients']} clients"
            else:
                text = (f"crosses 100 ms at about {cross['requests_per_s']:.0f} requests/s (between "
                        f"{cross['between_clients'][0]} and {cross['between_clients'][1]} clients)")  # fmt: skip
            lines.append(f"\n{label} {text}.")
        lines.append(
            f"\nFloor sweep (40 clients, GET /healthz, no think time): {summary['floor_sweep_requests_per_s']:.0f} "
            f"requests/s, p50 {ms(summary['floor_sweep_p50'])} ms."
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--server", default="gthread:2:8", help="sync:WORKERS or gthread:WORKERS:THREADS")
    parser.add_argument("--annotators", type=int, default=50)
    parser.add_argument("--think", type=float, default=2.0, help="mean seconds between one annotator's actions")
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--exporters", type=int, default=2)
    parser.add_argument("--export-pause", type=float, default=0, help="mean seconds between one client's exports")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--saturation-articles", type=int, default=8000)
    parser.add_argument("--floor-seconds", type=float, default=15)
    parser.add_argument("--steps", default="5,10,20,40,80", help="saturation client counts; '' for none")
    parser.add_argument("--step-seconds", type=float, default=30)
    parser.add_argument("--wait-quiet", type=float, default=0, help="wait up to this many seconds for an idle machine")
    parser.add_argument("--out", default=str(OUT / "load.json"))
    args = parser.parse_args()
    args.steps = [int(n) for n in args.steps.split(",") if n.strip()]
    os.environ.setdefault("DATABASE_URL", os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL))
    args.database_url = os.environ["DATABASE_URL"]
    recreate_database(args.database_url)  # setup_django connects to it
    setup_django()
    facts = {"machine": machine(), "server": args.server, "arguments": {k: v for k, v in vars(args).items()}}
    runs = [one_run(args, number) for number in range(1, args.runs + 1)]
    summary = summarise(runs, args)
    report = tables(summary, facts, args)
    print(report)
    out = {"facts": facts | {"postgres_settings": runs[0]["postgres_settings"]}, "summary": summary, "runs": runs}
    with open(args.out, "w") as file:
        json.dump(out, file, indent=1)
    say(f"raw numbers in {args.out}")


if __name__ == "__main__":
    main()
