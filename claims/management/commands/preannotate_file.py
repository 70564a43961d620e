"""Add the pre-annotator's suggestions to articles in the native jsonl format, as the annotator 'auto'.

Reads and writes files only; the database is not touched.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.preannotation import Catalogue, preannotate_within
from claims.preannotation.native_format import FormatError, load_catalogue, read_records, with_auto_annotation

PROGRESS_EVERY = 100
LINE_NOT_ARTICLE = "line {number}: expected {{'article': {{'body': ...}}, ...}} in the native jsonl format."


class Command(BaseCommand):
    help = "Pre-annotate articles (native jsonl) and write them with the suggestions as the annotator 'auto'."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("input", type=Path, help="articles in the native jsonl format")
        parser.add_argument("output", type=Path, help="where to write the articles with suggestions")
        parser.add_argument(
            "--speakers",
            type=Path,
            help="the speaker catalogue: a JSON list of {name, kind, aliases} or a project.json",
        )

    def handle(self, *args, input: Path, output: Path, speakers: Path | None, **options):
        catalogue = Catalogue(self._catalogue(speakers))
        articles = suggestions = 0
        try:
            with output.open("w", encoding="utf-8") as out:
                for number, record in read_records(input):
                    body = _body(record, number)
                    drafted = preannotate_within(
                        body,
                        speakers=catalogue,
                        max_chars=settings.PREANNOTATE_MAX_CHARS,
                        max_suggestions=settings.PREANNOTATE_MAX_SUGGESTIONS,
                    )
                    if drafted.note:
                        self.stderr.write(f"line {number}: {drafted.note}")
                    found = drafted.suggestions
                    out.write(json.dumps(with_auto_annotation(record, found), ensure_ascii=False) + "\n")
                    articles += 1
                    suggestions += len(found)
                    if articles % PROGRESS_EVERY == 0:
                        self.stderr.write(f"{articles} articles pre-annotated…")
        except (FormatError, OSError) as error:
            raise CommandError(str(error)) from error
        self.stderr.write(f"{articles} articles, {suggestions} suggestions written to {output}")

    def _catalogue(self, path: Path | None) -> list[dict]:
        if path is None:
            return []
        try:
            return load_catalogue(path)
        except (OSError, ValueError) as error:  # ValueError: bad JSON or a FormatError
            raise CommandError(f"{path}: {error}") from error


def _body(record: object, number: int) -> str:
    article = record.get("article") if isinstance(record, dict) else None
    body = article.get("body") if isinstance(article, dict) else None
    if not isinstance(body, str):
        raise CommandError(LINE_NOT_ARTICLE.format(number=number))
    return body
