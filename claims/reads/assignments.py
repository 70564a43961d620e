"""The managers' view of the work queue: each article in the order `next` hands them out, who holds it,
in which state, since when, and whether it is stale. Five queries per page, whatever the project's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from claims.models import OPEN_STATUSES, Article, Assignment, AssignmentStatus, Project
from claims.reads.review import is_sent_back

# Which articles the queue lists: the API parameter and the page's filter agree on these.
QUEUE_SHOWS = ("open", "all")
PAGE_SIZE = 100


@dataclass(frozen=True)
class QueuedWork:
    assignment_id: int
    annotator: str
    status: str
    is_gold: bool
    created_at: datetime
    last_activity: datetime
    sent_back: bool  # open again because a reviewer sent it back
    stale: bool  # open, and no sign of work for ASSIGNMENT_STALE_DAYS

    @property
    def status_label(self) -> str:
        return AssignmentStatus(self.status).label.lower()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def age(self) -> timedelta:
        """How long the annotator has held it."""
        return timezone.now() - self.created_at


@dataclass(frozen=True)
class QueuedArticle:
    article: Article
    work: list[QueuedWork] = field(default_factory=list)

    @property
    def annotators(self) -> list[QueuedWork]:
        return [w for w in self.work if not w.is_gold]

    @property
    def submitted(self) -> int:
        return sum(1 for w in self.annotators if w.status == AssignmentStatus.SUBMITTED)


@dataclass(frozen=True)
class AssignmentQueue:
    articles: list[QueuedArticle]
    count: int  # articles shown by this filter, on every page
    offset: int
    stale_days: int
    stale: int  # stale open assignments in the whole project

    @property
    def next_offset(self) -> int | None:
        end = self.offset + len(self.articles)
        return end if end < self.count else None


def _with_open_work() -> Exists:
    return Exists(Assignment.objects.filter(article=OuterRef("pk"), is_gold=False, status__in=OPEN_STATUSES))


def assignment_queue(*, project: Project, show: str = "open", offset: int = 0) -> AssignmentQueue:
    """One page of the project's articles by priority then id (the order `next` follows).

    show: one of QUEUE_SHOWS: "open" lists the articles that still need annotators or have open work,
    "all" every article."""
    articles = Article.objects.filter(project=project)
    if show == "open":
        articles = articles.filter(Q(needs_annotators=True) | _with_open_work())
    page = list(
        articles.order_by("-priority", "id").only(
            "id", "project_id", "external_id", "title", "priority", "is_qualification", "needs_annotators"
        )[offset : offset + PAGE_SIZE]
    )
    stale_days = settings.ASSIGNMENT_STALE_DAYS
    on_page = Assignment.objects.filter(article__in=[a.pk for a in page])
    stale_ids = set(on_page.stale(days=stale_days).values_list("pk", flat=True))
    work_of: dict[int, list[QueuedWork]] = defaultdict(list)
    for assignment in on_page.with_last_activity().select_related("annotator").order_by("is_gold", "created_at", "id"):
        work_of[assignment.article_id].append(
            QueuedWork(
                assignment_id=assignment.pk, annotator=assignment.annotator.get_username(), status=assignment.status,
                is_gold=assignment.is_gold, created_at=assignment.created_at, last_activity=assignment.last_activity,
                sent_back=is_sent_back(assignment), stale=assignment.pk in stale_ids,
            )
        )  # fmt: skip
    stale = Assignment.objects.filter(article__project=project).stale(days=stale_days).count()
    return AssignmentQueue(
        articles=[QueuedArticle(article=a, work=work_of[a.pk]) for a in page],
        count=articles.count(), offset=offset, stale_days=stale_days, stale=stale,
    )  # fmt: skip
