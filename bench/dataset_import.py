"""Import of an FNC-1-shaped dataset through the real path (`import_articles BODIES STANCES --format
fnc1`, in-process, progress bar off, no drafting) against PostgreSQL's COPY of the same rows.

The data is generated with the shape of FNC-1's training set: 1,683 bodies of about 2,200 characters
(non-ASCII letters, curly quotes, line breaks), 49,972 stances over 1,648 headlines, labelled
unrelated / discuss / agree / disagree in FNC-1's proportions (73 / 18 / 7 / 2 %), with 402 rows
that repeat an earlier row exactly (as the real file has). The COPY baseline loads the same two CSV
files, as they are, into two tables of text columns (`COPY … FROM STDIN WITH (FORMAT csv, HEADER)`):
the cost of getting the rows into PostgreSQL at all. Each timed import goes into a fresh project.

Usage: python bench/dataset_import.py [--runs 3]   (DATABASE_URL: a database of its own, migrated)
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import time

from common import OUT, median, say, setup_django

BODIES = 1_683
STANCES = 49_972
HEADLINES = 1_648
DUPLICATES = 402
LABELS = (("unrelated", 73), ("discuss", 18), ("agree", 7), ("disagree", 2))
WORDS = ("minister", "said", "the", "plan", "reckless", "Ankara", "São Paulo", "Zürich", "déclaration", "“reports”",
         "officials", "claimed", "on", "Tuesday", "that", "a", "video", "showed", "nothing", "new")  # fmt: skip


def write_files() -> tuple:
    OUT.mkdir(parents=True, exist_ok=True)
    bodies_path, stances_path = OUT / "fnc1_bodies.csv", OUT / "fnc1_stances.csv"
    if bodies_path.exists() and stances_path.exists():
        return bodies_path, stances_path
    rng = random.Random(2017)
    body_ids = rng.sample(range(2_600), BODIES)
    with bodies_path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["Body ID", "articleBody"])
        for body_id in body_ids:
            paragraphs = [" ".join(rng.choice(WORDS) for _ in range(60)) + "." for _ in range(6)]
            writer.writerow([body_id, "\n\n".join(paragraphs)])
    headlines = [f"Headline {n}: " + " ".join(rng.choice(WORDS) for _ in range(10)) for n in range(HEADLINES)]
    labels = [label for label, weight in LABELS for _ in range(weight)]
    rows, pairs = [], set()
    while len(rows) < STANCES - DUPLICATES:
        pair = (rng.choice(headlines), rng.choice(body_ids))
        if pair not in pairs:
            pairs.add(pair)
            rows.append([*pair, rng.choice(labels)])
    for _ in range(DUPLICATES):
        rows.insert(rng.randrange(len(rows)), list(rng.choice(rows)))
    with stances_path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["Headline", "Body ID", "Stance"])
        writer.writerows(rows)
    return bodies_path, stances_path


def fresh_project(name: str):
    from claims.models import Project
    from claims.services.projects import project_create

    Project.objects.filter(slug=name).delete()
    return project_create(name=name, slug=name)


def timed_import(bodies, stances, project) -> tuple[float, str]:
    from django.core.management import call_command

    out = io.StringIO()
    started = time.perf_counter()
    call_command(
        "import_articles", str(bodies), str(stances), "--format", "fnc1", "--project", project.slug, "--no-progress",
        "--no-preannotate", stdout=out,
    )  # fmt: skip
    return time.perf_counter() - started, out.getvalue()


def timed_copy(bodies, stances) -> float:
    from django.db import connection, transaction

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_bodies (body_id text, body text) ON COMMIT DROP")
        cursor.execute("CREATE TEMPORARY TABLE bench_stances (headline text, body_id text, stance text) ON COMMIT DROP")
        for table, path in (("bench_bodies", bodies), ("bench_stances", stances)):
            with cursor.copy(f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER)") as copy:
                copy.write(path.read_bytes())
    return time.perf_counter() - started


def main(runs: int) -> dict:
    setup_django()
    from claims.models import ArticleStance

    bodies, stances = write_files()
    copies, imports, output = [], [], ""
    for run in range(1, runs + 1):
        copies.append(timed_copy(bodies, stances))
        project = fresh_project("bench-fnc1")
        seconds, output = timed_import(bodies, stances, project)
        imports.append(seconds)
        stored = ArticleStance.objects.filter(assignment__article__project=project).count()
        assert stored == STANCES - DUPLICATES, stored
        say(f"run {run}/{runs}: COPY {copies[-1]:.2f} s, import {imports[-1]:.1f} s ({stored:,} stances)")
    fresh_project("bench-fnc1").delete()
    return {
        "bodies": BODIES, "stances": STANCES, "copy_s": median(copies), "import_s": median(imports),
        "ratio": median(copies) / median(imports), "runs": {"copy": copies, "import": imports},
        "report": output.splitlines()[0],
    }  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    print(json.dumps(main(parser.parse_args().runs), indent=2))
