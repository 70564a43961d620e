import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims.models import Project
from claims.services.errors import RuleViolation
from claims.services.exports import FORMATS, export_query, export_stream

NO_SUCH_PROJECT = "No project with the slug {slug!r}."


class Command(BaseCommand):
    help = "Export a project's labels in a research format, streamed to a file or standard output."

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="The project's slug.")
        parser.add_argument("--format", default="jsonl", choices=list(FORMATS))
        parser.add_argument("--scope", default="gold", choices=["gold", "submitted", "all"])
        parser.add_argument("--annotator", action="append", default=[], help="Only this annotator (repeatable).")
        parser.add_argument("--since", help="Only articles changed since this ISO date-time.")
        parser.add_argument("--split", help="train,dev,test percentages, e.g. 80,10,10.")
        parser.add_argument("--split-by", choices=["article", "claim"], default="article")
        parser.add_argument("--part", choices=["train", "dev", "test"])
        parser.add_argument("--output", type=Path, help="File to write (default: standard output).")

    def handle(self, *args, project: str, output: Path | None, **options):
        target = Project.objects.filter(slug=project).first()
        if target is None:
            raise CommandError(NO_SUCH_PROJECT.format(slug=project))
        try:
            query = export_query(
                project=target, format=options["format"], scope=options["scope"], annotators=options["annotator"],
                since=options["since"], split=options["split"], split_by=options["split_by"], part=options["part"],
            )  # fmt: skip
        except RuleViolation as error:
            raise CommandError(str(error)) from error
        sink = output.open("wb") if output else sys.stdout.buffer
        try:
            for chunk in export_stream(query=query):
                sink.write(chunk)
        finally:
            if output:
                sink.close()
