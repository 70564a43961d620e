"""Give annotators' stale open work back to the pool (run it daily, e.g. from cron or a systemd timer)."""

import pghistory
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from claims.models import Project
from claims.services.assignments import assignments_release_stale
from claims.services.errors import RuleViolation


class Command(BaseCommand):
    help = (
        "Release every assigned or in-progress assignment with no sign of work (no change to it or its labels) "
        "for ASSIGNMENT_STALE_DAYS days, so that `next` hands the article to someone else. Its labels are deleted; "
        "the label history keeps them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", help="Only this project (its slug); every project when left out")
        parser.add_argument(
            "--days", type=int, help="Idle for at least this many days (default: ASSIGNMENT_STALE_DAYS)"
        )

    def handle(self, *args, project: str | None, days: int | None, **options):
        projects = Project.objects.order_by("slug")
        if project is not None:
            projects = projects.filter(slug=project)
            if not projects.exists():
                raise CommandError(f"No project with slug {project!r}.")
        days = settings.ASSIGNMENT_STALE_DAYS if days is None else days
        released = 0
        with pghistory.context(command="release_stale_assignments"):
            for found in projects:
                try:
                    released += assignments_release_stale(project=found, days=days)
                except RuleViolation as error:
                    raise CommandError(str(error)) from None
        self.stdout.write(
            f"Released {released} stale assignment{'s' if released != 1 else ''} (idle {days} days or more)."
        )
