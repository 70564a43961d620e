"""The pre-annotator's cost on the bodies an issue found pathological, and a manager's import of one article into
a project whose catalogue holds 100 speakers with 200 aliases each: this checkout's code against an earlier
commit's, in the same run on the same machine. The earlier package is taken from git (`git archive`) into a
temporary directory and imported under another name.

For each body: the time of `preannotate(body)` (the fastest of --runs; of --runs-before for the earlier code,
which takes seconds) and the peak of the Python memory it allocates (tracemalloc, in a run of its own: tracing
slows it down). The import: a 5,000-character article through `articles_file_import` and
`imported_articles_preannotate` (what POST /api/projects/{id}/import/ does) into the crowded project and into
one without speakers. For the earlier code its `preannotate`, and the service's earlier reading of the
catalogue (model instances), take the place of the service's (unittest.mock); the rest of the import is the
same code. The earlier code compiled one pattern of every name, which `re` then keeps: its first import into
the crowded project is the one timed. The aliases are written straight into the table: the speaker service
now refuses more than 50 per speaker, but a catalogue may hold them from before.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator_bench .venv/bin/python bench/preannotation_cost.py

Options: --before REV (default 842e43c, the last commit before the rewrite), --runs 3, --runs-before 1,
--no-import (bodies only, no database). Prints a Markdown table; raw numbers in bench/out/preannotation_cost.json.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import time
import tracemalloc
from pathlib import Path
from unittest import mock

from common import OUT, ROOT, machine, say, setup_django

BEFORE = "842e43c"
SPEAKERS, ALIASES = 100, 200


def repeated(unit: str, length: int) -> str:
    return (unit * (length // len(unit) + 1))[:length]


BODIES = {
    "`'a' * 10,000 + '(said'`": "a" * 10_000 + "(said",
    "`'said '` repeated, 10 KB": repeated("said ", 10_000),
    "`'He told '` repeated, 10 KB": repeated("He told ", 10_000),
    "`'Xx Yy, who '` repeated, 10 KB": repeated("Xx Yy, who ", 10_000),
    "`'Xx Yy, '` repeated, 10 KB": repeated("Xx Yy, ", 10_000),
    "`'a' * 20,000 + '(said'`": "a" * 20_000 + "(said",
}


def news(length: int) -> str:
    path = ROOT / "tests" / "data" / "preannotation" / "articles.jsonl"
    text = "\n\n".join(json.loads(line)["article"]["body"] for line in path.read_text(encoding="utf-8").splitlines())
    while len(text) < length:
        text += "\n\n" + text
    return text[: text.rfind("\n\n", 0, length)]


def package_at(revision: str):
    """The claims.preannotation package as it was at `revision`, imported as `preannotation_<revision>`."""
    name = f"preannotation_{revision}"
    folder = Path(tempfile.mkdtemp(prefix="bench-preannotation-"))
    archive = subprocess.run(
        ["git", "archive", revision, "claims/preannotation"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    (folder / "claims" / "preannotation").rename(folder / name)
    sys.path.insert(0, str(folder))
    return importlib.import_module(name)


def fastest(call, runs: int) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds) of the fastest of `runs` calls."""
    best = (float("inf"), float("inf"))
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        call()
        best = min(best, (time.perf_counter() - started, time.process_time() - cpu))
    return best


def peak_memory(call) -> int:
    """Bytes: the most Python memory held at once during the call, beyond what was held before it."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(call, runs: int) -> dict:
    seconds, cpu_seconds = fastest(call, runs)
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_bytes": peak_memory(call)}


def bodies(before, runs: int, runs_before: int) -> dict:
    from claims.preannotation import preannotate

    results = {}
    for name, body in BODIES.items():
        say(f"{name}: before")
        old = measure(lambda body=body: before.preannotate(body), runs_before)
        say(f"{name}: after")
        new = measure(lambda body=body: preannotate(body), runs)
        results[name] = {"before": old, "after": new}
    return results


def crowded_project(manager, name: str, crowded: bool):
    from claims.models import Speaker, SpeakerAlias
    from claims.services.projects import project_create

    project = project_create(name=name, created_by=manager)
    if crowded:
        speakers = Speaker.objects.bulk_create(
            [
                Speaker(project=project, name=f"Speaker Number{n}", kind="person", role="minister")
                for n in range(SPEAKERS)
            ]
        )
        SpeakerAlias.objects.bulk_create(
            [
                SpeakerAlias(speaker=s, name=f"the minister number{s.pk} alias{a}")
                for s in speakers
                for a in range(ALIASES)
            ]
        )
    return project


def imports(before, runs: int, runs_before: int) -> dict:
    """One 5 KB article imported (and drafted) into the crowded and the empty project, before and after."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    import claims.services.suggestions as service
    from claims.models import Speaker
    from claims.preannotation import Preannotation
    from claims.services.imports import articles_file_import
    from claims.services.suggestions import imported_articles_preannotate

    call_command("migrate", verbosity=0)
    stamp = time.strftime("%Y%m%d%H%M%S")
    manager = get_user_model().objects.create_user(f"bench-preannotation-{stamp}", password=None)
    projects = {
        "crowded": crowded_project(manager, f"Bench preannotation crowded {stamp}", crowded=True),
        "empty": crowded_project(manager, f"Bench preannotation empty {stamp}", crowded=False),
    }
    body, counter = news(5_000), iter(range(1_000_000))

    def import_one(project) -> None:
        line = json.dumps({"external_id": f"bench-{next(counter)}", "title": "Bench", "body": body}) + "\n"
        report = articles_file_import(project=project, file=io.BytesIO(line.encode()), filename="bench.jsonl")
        imported_articles_preannotate(project=project, article_ids=[entry["id"] for entry in report.accepted])

    def earlier(body, *, speakers, max_chars, max_suggestions):
        return Preannotation(before.preannotate(body, speakers=speakers), len(body), "")

    def earlier_catalogue_of(project) -> list[dict]:  # as the service read it before: model instances
        speakers = Speaker.objects.filter(project=project).current().prefetch_related("aliases")
        return [
            {"name": s.name, "kind": s.kind, "role": s.role, "aliases": [a.name for a in s.aliases.all()]}
            for s in speakers
        ]

    results = {}
    for which, project in projects.items():
        say(f"import into the {which} project: before")
        with (
            mock.patch.object(service, "catalogue_of", earlier_catalogue_of),
            mock.patch.object(service, "Catalogue", lambda speakers: speakers),
            mock.patch.object(service, "preannotate_within", earlier),
        ):
            old = measure(lambda project=project: import_one(project), runs_before)
        say(f"import into the {which} project: after")
        new = measure(lambda project=project: import_one(project), runs)
        results[which] = {"before": old, "after": new}
    return results


def table(results: dict) -> str:
    def row(name: str, result: dict) -> str:
        old, new = result["before"], result["after"]
        return (
            f"| {name} | {old['seconds']:.3f} s / {old['cpu_seconds']:.3f} s "
            f"| {new['seconds']:.3f} s / {new['cpu_seconds']:.3f} s "
            f"| {old['cpu_seconds'] / max(new['cpu_seconds'], 1e-6):,.0f}× "
            f"| {old['peak_bytes'] / 2**20:.1f} MiB | {new['peak_bytes'] / 2**20:.1f} MiB |"
        )

    lines = [
        "| input | before: wall / CPU | after: wall / CPU | faster (CPU) | peak memory before | peak memory after |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [row(name, result) for name, result in results["bodies"].items()]
    for which, result in results.get("imports", {}).items():
        speakers = f"{SPEAKERS} speakers × {ALIASES} aliases" if which == "crowded" else "no speakers"
        lines.append(row(f"import of a 5 KB article, {speakers}", result))
    lines.append(f"\nLoad average (1 min) at the start and the end: {results['load'][0]} and {results['load'][1]}.")
    return "\n".join(lines)


def load_average() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", default=BEFORE)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--runs-before", type=int, default=1)
    parser.add_argument("--no-import", action="store_true")
    options = parser.parse_args()
    setup_django()
    before = package_at(options.before)
    results = {"machine": machine() if not options.no_import else {}, "before": options.before}
    results["load"] = [load_average()]
    results["bodies"] = bodies(before, options.runs, options.runs_before)
    if not options.no_import:
        results["imports"] = imports(before, options.runs, options.runs_before)
    results["load"].append(load_average())
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "preannotation_cost.json").write_text(json.dumps(results, indent=2))
    print(table(results))


if __name__ == "__main__":
    main()
