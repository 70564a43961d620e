from pathlib import Path

import pghistory
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.imports import FileTooLarge
from claims.models import Project
from claims.services.errors import RuleViolation
from claims.services.imports import IMPORT_FORMATS, articles_file_import
from claims.services.suggestions import imported_articles_preannotate

NO_SUCH_PROJECT = "No project with the slug {slug!r}."
NO_SUCH_FILE = "No file at {path}."


class Command(BaseCommand):
    help = (
        "Import a file of articles (jsonl, csv, txt or a zip of txt) into a project: valid lines are added, "
        "invalid ones reported with their line numbers, all in one transaction; re-importing changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--project", required=True, help="The project's slug.")
        parser.add_argument("--format", choices=IMPORT_FORMATS, help="Default: from the file's extension.")
        parser.add_argument("--max-bytes", type=int, help="Size limit for this file (default: IMPORT_MAX_BYTES).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar (e.g. in logs).")
        parser.add_argument(
            "--no-preannotate", action="store_true",
            help="Do not draft attributions for the new articles, even if the project asks for it.",
        )  # fmt: skip

    def handle(self, *args, path: Path, project: str, format: str | None, max_bytes: int | None, **options):
        target = Project.objects.filter(slug=project).first()
        if target is None:
            raise CommandError(NO_SUCH_PROJECT.format(slug=project))
        if not path.is_file():
            raise CommandError(NO_SUCH_FILE.format(path=path))
        bar = tqdm(total=path.stat().st_size, unit="B", unit_scale=True, desc=path.name, disable=options["no_progress"])
        try:
            with bar, path.open("rb") as file, pghistory.context(command="import_articles"):
                report = articles_file_import(
                    project=target, file=file, filename=path.name, format=format, max_bytes=max_bytes,
                    progress=bar.update,
                )  # fmt: skip
        except (FileTooLarge, RuleViolation) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{path.name}: {len(report.accepted)} accepted, {len(report.skipped)} skipped (already there), "
            f"{len(report.rejected)} rejected"
        )
        if not options["no_preannotate"] and target.preannotate_on_import and report.accepted:
            ids = [entry["id"] for entry in report.accepted]
            with tqdm(total=len(ids), unit="article", desc="drafting", disable=options["no_progress"]) as drafting:
                drafted = imported_articles_preannotate(project=target, article_ids=ids, progress=drafting.update)
            self.stdout.write(f"{drafted} suggestions drafted for the new articles.")
        for entry in report.rejected:
            where = f"line {entry['line']}" + (f" ({entry['file']})" if "file" in entry else "")
            problems = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in entry["errors"].items())
            self.stderr.write(f"  {where}: {problems}")
