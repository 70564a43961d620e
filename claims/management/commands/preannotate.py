"""Draft attributions for a project's articles with the rule-based pre-annotator."""

import pghistory
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.models import Article, Project
from claims.services.suggestions import articles_preannotate


class Command(BaseCommand):
    help = "Draft attributions (suggestions to accept or reject) for every article of a project."

    def add_arguments(self, parser):
        parser.add_argument("--project", required=True, help="The project's slug")
        parser.add_argument("--only-new", action="store_true", help="Skip articles that already have suggestions")

    def handle(self, *args, project: str, only_new: bool, **options):
        found = Project.objects.filter(slug=project).first()
        if found is None:
            raise CommandError(f"No project with slug {project!r}.")
        articles = Article.objects.filter(project=found).order_by("id")
        if only_new:
            articles = articles.filter(suggestions__isnull=True).distinct()
        total = articles.count()
        with pghistory.context(command="preannotate"), tqdm(total=total, unit="article", file=self.stderr) as bar:
            made = articles_preannotate(articles=articles.iterator(chunk_size=200), project=found, progress=bar.update)
        self.stdout.write(f"{made} suggestions drafted for {total} articles of {found.slug}.")
