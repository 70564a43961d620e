"""Run every import/export measurement against the benchmark database and print the results table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator_bench python bench/run_io.py [--runs 3]

Creates (once) and migrates the benchmark database, generates the data (bench/generate_data.py),
then runs bench/export_http.py and bench/import_articles.py, each of which measures its baseline in
the same run. Progress goes to stderr, the table (Markdown, for bench/README.md) to stdout, and the
raw numbers to bench/out/results.json. Takes about half an hour on 2 cores, most of it generating.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from common import DEFAULT_DATABASE_URL, OUT, ROOT, say

HERE = Path(__file__).resolve().parent


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            say(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')


def run(script: str, *args: str) -> dict | None:
    result = subprocess.run([sys.executable, str(HERE / script), *args], stdout=subprocess.PIPE, check=True)
    return json.loads(result.stdout) if result.stdout.strip() else None


def table(machine: dict, export: dict, imports: dict) -> str:
    def check(ok: bool) -> str:
        return "met" if ok else "**missed**"

    rows = [
        ("export: jsonl of {:,} mentions over HTTP vs COPY".format(export["mentions"]),
         "{:,.0f} vs {:,.0f} mentions/s".format(export["http_mentions_per_s"], export["copy_mentions_per_s"]),
         f"{export['ratio']:.2f}× COPY" + (f" (one connection: {export['one_connection_ratio']:.2f}×)"
                                            if "one_connection_ratio" in export else ""),
         "≥ 0.5×", check(export["ratio"] >= 0.5)),
        ("export: gunicorn worker's growth (peak RSS − RSS before the request)",
         f"+{export['rss_growth_mb']:.1f} MB (worst run +{export['rss_growth_max_mb']:.1f} MB; peak "
         f"{export['rss_peak_mb']:.0f} MB)", "", "< 100 MB", check(export["rss_growth_max_mb"] < 100)),
        ("export: time to first byte", f"{export['first_byte_s']:.2f} s", "", "< 1 s",
         check(export["first_byte_s"] < 1)),
        ("import: {:,} articles (import_articles) vs COPY".format(imports["articles"]),
         "{:,.0f} vs {:,.0f} articles/s".format(imports["import_rows_per_s"], imports["copy_rows_per_s"]),
         f"{imports['ratio']:.2f}× COPY", "≥ 0.25×", check(imports["ratio"] >= 0.25)),
        ("import: {:,} articles into the project with {:,} mentions vs an empty one".format(
            imports["small_articles"], imports["project_mentions"]),
         f"{imports['into_big_s']:.2f} s vs {imports['into_empty_s']:.2f} s", f"{imports['big_over_empty']:.2f}×",
         "≤ 1.5×", check(imports["big_over_empty"] <= 1.5)),
    ]  # fmt: skip
    lines = [
        f"Machine: {machine['cpus']} cores ({machine['cpu']}), {machine['memory_mib'] / 1024:.0f} GiB RAM, "
        f"PostgreSQL {machine['postgresql']}, Python {machine['python']}. Medians of {export['runs']} export runs, "
        f"{imports['runs']} large and {imports['small_runs']} small import runs.",
        "",
        "| measurement | measured | ratio | goal | |",
        "|---|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows),
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--small-runs", type=int, default=5)
    arguments = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    ensure_database(url)
    say("migrating the benchmark database")
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, check=True,
                   env=os.environ | {"SECRET_KEY": "bench-only-not-secret", "HTTPS": "0"})  # fmt: skip
    run("generate_data.py")
    export = run("export_http.py", "--runs", str(arguments.runs))
    imports = run("import_articles.py", "--runs", str(arguments.runs), "--small-runs", str(arguments.small_runs))
    sys.path.insert(0, str(HERE))
    from common import machine, setup_django

    setup_django()
    facts = machine()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps({"machine": facts, "export": export, "import": imports}, indent=1))
    print(table(facts, export, imports))


if __name__ == "__main__":
    main()
