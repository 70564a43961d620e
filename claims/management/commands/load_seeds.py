from pathlib import Path

import pghistory
from django.conf import settings
from django.core.management.base import BaseCommand

from claims.services.seeds import seeds_load


class Command(BaseCommand):
    help = "Load the demo project(s) from seeds/ (idempotent: a second run creates nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=settings.BASE_DIR / "seeds")

    def handle(self, *args, path: Path, **options):
        with pghistory.context(command="load_seeds"):
            results = seeds_load(root=path)
        for name, created in results.items():
            made = ", ".join(f"{count} {what}" for what, count in created.items() if count) or "nothing new"
            self.stdout.write(f"seeds/{name}: {made}")
