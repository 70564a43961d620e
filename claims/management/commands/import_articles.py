import json
from contextlib import nullcontext
from pathlib import Path

import pghistory
from django.core.management.base import BaseCommand, CommandError

from claims.imports import FileTooLarge
from claims.management.progress import BarProgress
from claims.models import Project
from claims.services.errors import RuleViolation
from claims.services.imports import IMPORT_FORMATS, import_run

NO_SUCH_PROJECT = "No project with the slug {slug!r}."
NO_SUCH_FILE = "No file at {path}."


class Command(BaseCommand):
    help = (
        "Import a file of articles (jsonl, csv, txt or a zip of txt) or a published dataset (fnc1: bodies and "
        "stances files, or a zip of both; emergent; semeval2016) into a project: valid lines are added, "
        "invalid ones reported with their line numbers, all in one transaction; re-importing changes nothing. "
        "Runs here, in this process (the API and the data page queue the same work for a worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("stances", type=Path, nargs="?", help="fnc1: the stances file, beside the bodies.")
        parser.add_argument("--project", required=True, help="The project's slug.")
        parser.add_argument("--format", choices=IMPORT_FORMATS, help="Default: from the file's extension.")
        parser.add_argument("--max-bytes", type=int, help="Size limit for this file (default: IMPORT_MAX_BYTES).")
        parser.add_argument("--mapping", help='brat: JSON object of types to content/source/cue/"" over the default.')
        parser.add_argument("--gold", action="store_true", help="Datasets: stances as the articles' gold annotation.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (e.g. in logs).")
        parser.add_argument(
            "--no-preannotate", action="store_true",
            help="Do not draft attributions for the new articles, even if the project asks for it.",
        )  # fmt: skip

    def handle(self, *args, path: Path, stances: Path | None, project: str, format: str | None, max_bytes: int | None,
               **options):  # fmt: skip
        target = Project.objects.filter(slug=project).first()
        if target is None:
            raise CommandError(NO_SUCH_PROJECT.format(slug=project))
        for given in (path, stances):
            if given is not None and not given.is_file():
                raise CommandError(NO_SUCH_FILE.format(path=given))
        try:
            with (
                path.open("rb") as file,
                stances.open("rb") if stances else nullcontext() as second,
                pghistory.context(command="import_articles"),
                BarProgress(disable=options["no_progress"]) as progress,
            ):
                report = import_run(
                    project=target, file=file, filename=path.name, format=format, max_bytes=max_bytes,
                    preannotate=not options["no_preannotate"], progress=progress, second=second,
                    second_name=stances.name if stances else None, gold=options["gold"], mapping=options["mapping"],
                )  # fmt: skip
        except (FileTooLarge, RuleViolation) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{path.name}: {report['accepted']} accepted, {report['skipped']} skipped "
            f"({'already there, or repeated rows' if report.get('notes') else 'already there'}), "
            f"{report['rejected']} rejected"
        )
        if report["suggestions"]:
            self.stdout.write(f"{report['suggestions']} suggestions drafted for the new articles.")
        for name, note in report.get("notes", {}).items():
            self.stdout.write(f"{name}: {json.dumps(note, ensure_ascii=False)}")
        for entry in report["rejected_lines"]:
            where = f"line {entry['line']}" + (f" ({entry['file']})" if "file" in entry else "")
            problems = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in entry["errors"].items())
            self.stderr.write(f"  {where}: {problems}")
