"""(b) Import of 100,000 articles through the real path (the import_articles management command)
against PostgreSQL's COPY of the same rows; (c) import of 1,000 articles into the benchmark project,
which holds 1,000,000 mentions, against the same import into an empty project. One run measures both
and prints one JSON object.

The files are jsonl with bodies of about 1,500 characters, like the benchmark project's. The COPY
baseline loads the same rows, already in COPY's text format, straight into claims_article (so its
triggers and indexes cost both sides the same). Each timed import goes into a fresh project (or, for
(c), adds new external ids to the big one and removes them afterwards). The command runs in this
process (call_command), so interpreter start-up is not counted; its progress bar is switched off.

Usage: python bench/import_articles.py [--runs 3] [--small-runs 5]
"""

from __future__ import annotations

import argparse
import io
import json
import time

from common import OUT, PROJECT_SLUG, median, say, setup_django

ARTICLES = 100_000
SMALL = 1_000
SENTENCE = ('Speaker{n:05d} said "Imported article {i}, quote {j}: the minister would not back down on the plan '
            'that critics called reckless, déclaration" ')  # fmt: skip


def article(prefix: str, i: int) -> dict:
    body = "".join(SENTENCE.format(n=(i * 10 + j) % 1000, i=i, j=j) for j in range(10))
    return {"external_id": f"{prefix}{i:07d}", "title": f"Imported article {i}", "body": body,
            "source": "Bench Wire", "url": f"https://example.org/import/{i}", "published_at": "2019-03-12T09:30:00Z",
            "metadata": {"n": i}}  # fmt: skip


def write_files(prefix: str, count: int) -> tuple:
    OUT.mkdir(parents=True, exist_ok=True)
    jsonl = OUT / f"{prefix}{count}.jsonl"
    copy_text = OUT / f"{prefix}{count}.copy"
    if not jsonl.exists() or not copy_text.exists():
        with jsonl.open("w", encoding="utf-8") as lines, copy_text.open("w", encoding="utf-8") as rows:
            for i in range(count):
                data = article(prefix, i)
                lines.write(json.dumps(data, ensure_ascii=False) + "\n")
                cells = [data["external_id"], data["title"], data["body"], data["source"], data["url"],
                         data["published_at"], json.dumps(data["metadata"]), "", "", "en", "now", "now"]  # fmt: skip
                rows.write("\t".join(cells) + "\n")
    return jsonl, copy_text


def fresh_project(name: str):
    from claims.models import Project
    from claims.services.projects import project_create

    Project.objects.filter(slug=name).delete()
    return project_create(name=name, slug=name)


def timed_import(path, project) -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    # Storing articles is what is measured; drafting attributions is a separate step after it.
    call_command(
        "import_articles", str(path), "--project", project.slug, "--no-progress", "--no-preannotate",
        stdout=io.StringIO(),
    )  # fmt: skip
    return time.perf_counter() - started


COPY_COLUMNS = (
    "project_id, external_id, title, body, source, url, published_at, metadata, body_sha256, author, "
    "language, created_at, updated_at"
)


def timed_copy(copy_text, project) -> float:
    """COPY of the rows, already in COPY's text format, with the project's id put in front (untimed)."""
    from django.db import connection, transaction

    prefix = f"{project.pk}\t".encode()
    data = prefix + copy_text.read_bytes().replace(b"\n", b"\n" + prefix)[: -len(prefix)]
    started = time.perf_counter()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.copy(f"COPY claims_article ({COPY_COLUMNS}) FROM STDIN") as copy,
    ):
        copy.write(data)
    return time.perf_counter() - started


def main(runs: int, small_runs: int) -> dict:
    setup_django()
    from claims.models import Article, ClaimMention, Project

    big_file, copy_text = write_files("imp-", ARTICLES)
    small_file, _ = write_files("small-", SMALL)
    copies, imports = [], []
    for run in range(1, runs + 1):
        say(f"import run {run}/{runs}: COPY of {ARTICLES:,} rows")
        copies.append(timed_copy(copy_text, fresh_project("bench-copy")))
        say(f"import run {run}/{runs}: import_articles of {ARTICLES:,} articles")
        project = fresh_project("bench-import")
        imports.append(timed_import(big_file, project))
        assert project.articles.count() == ARTICLES
        say(f"  COPY {copies[-1]:.1f} s, import {imports[-1]:.1f} s")
    Project.objects.filter(slug__in=["bench-copy", "bench-import"]).delete()

    big = Project.objects.get(slug=PROJECT_SLUG)
    mentions = ClaimMention.objects.filter(assignment__article__project=big).count()
    into_big, into_empty = [], []
    for run in range(1, small_runs + 1):
        say(f"small import run {run}/{small_runs}: {SMALL:,} articles into the project with {mentions:,} mentions")
        into_big.append(timed_import(small_file, big))
        Article.objects.filter(project=big, external_id__startswith="small-").delete()
        into_empty.append(timed_import(small_file, fresh_project("bench-empty")))
        say(f"  big {into_big[-1]:.2f} s, empty {into_empty[-1]:.2f} s")
    Project.objects.filter(slug="bench-empty").delete()
    copy_s, import_s = median(copies), median(imports)
    big_s, empty_s = median(into_big), median(into_empty)
    return {
        "measurement": "import", "articles": ARTICLES, "runs": runs, "copy_s": copy_s, "import_s": import_s,
        "copy_rows_per_s": ARTICLES / copy_s, "import_rows_per_s": ARTICLES / import_s, "ratio": copy_s / import_s,
        "small_articles": SMALL, "small_runs": small_runs, "project_mentions": mentions, "into_big_s": big_s,
        "into_empty_s": empty_s, "big_over_empty": big_s / empty_s, "each_run": {
            "copy_s": copies, "import_s": imports, "into_big_s": into_big, "into_empty_s": into_empty},
    }  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--small-runs", type=int, default=5)
    arguments = parser.parse_args()
    print(json.dumps(main(arguments.runs, arguments.small_runs)))
