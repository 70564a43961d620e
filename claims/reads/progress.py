"""How far work has come: per project for the home page, per annotator for managers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from claims.models import Article, Assignment, AssignmentStatus, Project, Role


@dataclass(frozen=True)
class ProjectProgress:
    project: Project
    role: str
    articles: int
    needed: int  # articles × annotators per article
    submitted: int  # by everyone, gold excluded
    mine_assigned: int
    mine_in_progress: int
    mine_submitted: int
    mine_skipped: int
    available_to_me: int  # articles `next` could still give this user

    @property
    def percent_done(self) -> int:
        return round(100 * self.submitted / self.needed) if self.needed else 0


def project_progress_for(user) -> list[ProjectProgress]:
    """The user's projects; an archived one only to its reviewers and managers (annotators have nothing
    left to do in it)."""
    projects = (
        Project.objects.for_user(user)
        .with_role_of(user)
        .exclude(archived_at__isnull=False, my_role=Role.ANNOTATOR)
        .annotate(n_articles=Count("articles", distinct=True))
        .order_by("name")
    )
    result = []
    for project in projects:
        work = Assignment.objects.filter(article__project=project, is_gold=False)
        counts = work.aggregate(
            submitted=Count("id", filter=Q(status=AssignmentStatus.SUBMITTED)),
            **{
                f"mine_{status}": Count("id", filter=Q(annotator=user, status=status))
                for status in AssignmentStatus.values
            },
        )
        available = Article.objects.filter(project=project).open_to(user).count()
        result.append(
            ProjectProgress(
                project=project,
                role=project.my_role,
                articles=project.n_articles,
                needed=project.n_articles * project.annotators_per_article,
                submitted=counts["submitted"],
                mine_assigned=counts["mine_assigned"],
                mine_in_progress=counts["mine_in_progress"],
                mine_submitted=counts["mine_submitted"],
                mine_skipped=counts["mine_skipped"],
                available_to_me=available,
            )
        )
    return result
