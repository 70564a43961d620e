"""Draft attributions for a project's articles with the rule-based pre-annotator."""

import pghistory
from django.core.management.base import BaseCommand, CommandError

from claims.management.progress import BarProgress
from claims.models import Project
from claims.services.suggestions import project_preannotate


class Command(BaseCommand):
    help = "Draft attributions (suggestions to accept or reject) for every article of a project."

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="The project's slug")
        parser.add_argument("--only-new", action="store_true", help="Skip articles that already have suggestions")

    def handle(self, *args, project: str, only_new: bool, **options):
        found = Project.objects.filter(slug=project).first()
        if found is None:
            raise CommandError(f"No project with slug {project!r}.")
        with pghistory.context(command="preannotate"), BarProgress(file=self.stderr) as progress:
            result = project_preannotate(project=found, only_new=only_new, progress=progress)
        drafted, articles = result["suggestions"], result["articles"]
        self.stdout.write(f"{drafted} suggestions drafted for {articles} articles of {found.slug}.")
