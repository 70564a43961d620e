"""Score the pre-annotator against the gold of the demo article and the development sets.

Reads files only; the database is not touched.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from claims.preannotation.evaluation import evaluate, standard_corpora, to_json, to_markdown


class Command(BaseCommand):
    help = "Precision, recall and F1 of the pre-annotator on the demo article and the development sets (Markdown)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="machine-readable output instead of Markdown")

    def handle(self, *args, json: bool, **options):
        reports = {name: evaluate(articles) for name, articles in standard_corpora(settings.BASE_DIR).items()}
        self.stdout.write(to_json(reports) if json else to_markdown(reports), ending="")
