"""What a reviewer reads: articles whose work is in, how far annotators disagree, and each
article's labels lined up across annotators and the gold version.

Mentions of different annotators are lined up with the same matching the agreement figures use
(claims.agreement.units: clusters of overlapping content spans, one mention per annotator).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from claims.agreement.units import mention_units
from claims.models import OPEN_STATUSES, Article, ArticleStance, Assignment, AssignmentStatus, ClaimMention, Project

GOLD = "gold"
# The fields a reviewer compares; "span" is the content's boundaries.
COMPARED = ("span", "speaker", "source", "cue", "quote_type", "claim", "stance")

# What the review queue can show: the API parameter, the page's filter and review_queue agree on these.
QUEUE_STATUSES = ("all", "unreviewed", "disagreeing")


def _value(mention: ClaimMention, name: str):
    if name == "span":
        return (mention.start, mention.end)
    if name in ("source", "cue"):
        start = getattr(mention, f"{name}_start")
        return None if start is None else (start, getattr(mention, f"{name}_end"))
    if name in ("speaker", "claim"):
        return getattr(mention, f"{name}_id")
    return getattr(mention, name)


@dataclass
class Unit:
    """One stretch of text marked by some annotators (and perhaps in gold)."""

    start: int
    end: int
    mentions: dict[str, ClaimMention | None]  # annotator → their mention here, None when they marked nothing
    gold: ClaimMention | None
    differs: list[str] = field(default_factory=list)  # compared fields on which annotators disagree

    @property
    def agreed(self) -> bool:
        return not self.differs


def _differences(mentions: dict[str, ClaimMention | None]) -> list[str]:
    present = [m for m in mentions.values() if m is not None]
    if len(present) < len(mentions):
        return ["missing", *[name for name in COMPARED if len({_value(m, name) for m in present}) > 1]]
    return [name for name in COMPARED if len({_value(m, name) for m in present}) > 1]


def line_up(work: dict[str, list[ClaimMention]], gold: list[ClaimMention]) -> list[Unit]:
    """Units of one article: each annotator's mention (or None) and the gold one, in text order."""
    everyone = dict(work) | ({GOLD: gold} if gold else {})
    units = []
    for cluster in mention_units(everyone):
        mentions = {annotator: cluster.get(annotator) for annotator in work}
        shown = [m for m in cluster.values()]
        units.append(
            Unit(
                start=min(m.start for m in shown),
                end=max(m.end for m in shown),
                mentions=mentions,
                gold=cluster.get(GOLD),
                differs=_differences(mentions) if len(work) > 1 else [],
            )
        )
    return units


def is_sent_back(assignment: Assignment) -> bool:
    """Open again because a reviewer sent it back (not merely not yet handed in)."""
    return assignment.status in OPEN_STATUSES and assignment.sent_back_at is not None


@dataclass
class ArticleReview:
    article: Article
    assignments: list[Assignment]  # annotators' work once started (gold excluded); units compare the handed-in
    # and the sent-back ones
    gold: Assignment | None
    units: list[Unit]
    stances: list[dict]  # {"claim", "by": {annotator: stance | None}, "gold": stance | None, "differs": bool}

    @property
    def disagreeing_units(self) -> int:
        return sum(1 for unit in self.units if unit.differs)


def article_review(article: Article) -> ArticleReview:
    """Everything the review page shows for one article, in a fixed number of queries."""
    assignments = list(
        Assignment.objects.filter(article=article)
        .exclude(status__in=[AssignmentStatus.ASSIGNED])
        .select_related("annotator")
        .order_by("is_gold", "annotator__username")
    )
    gold = next((a for a in assignments if a.is_gold), None)
    work = [a for a in assignments if not a.is_gold]
    mentions = (
        ClaimMention.objects.filter(assignment__in=assignments)
        .select_related("speaker", "claim")
        .order_by("start", "end", "id")
    )
    by_assignment: dict[int, list[ClaimMention]] = defaultdict(list)
    for mention in mentions:
        by_assignment[mention.assignment_id].append(mention)
    names = {a.pk: a.annotator.username for a in work}
    # Lined up: handed-in work, and work a reviewer sent back (its annotator keeps their column while
    # reworking it, marked on the page by its status and comment).
    compared = [a for a in work if a.status == AssignmentStatus.SUBMITTED or is_sent_back(a)]
    units = line_up({names[a.pk]: by_assignment[a.pk] for a in compared}, by_assignment[gold.pk] if gold else [])
    stances: dict[int, dict] = {}
    for stance in ArticleStance.objects.filter(assignment__in=assignments).select_related("claim"):
        row = stances.setdefault(stance.claim_id, {"claim": stance.claim, "by": {}, "gold": None})
        if gold and stance.assignment_id == gold.pk:
            row["gold"] = stance.stance
        elif stance.assignment_id in names:
            row["by"][names[stance.assignment_id]] = stance.stance
    shown = [names[a.pk] for a in compared]
    for row in stances.values():
        values = [row["by"].get(name) for name in shown]
        row["by"] = dict(zip(shown, values, strict=True))
        row["differs"] = len(set(values)) > 1
    return ArticleReview(
        article=article, assignments=work, gold=gold, units=units,
        stances=sorted(stances.values(), key=lambda row: row["claim"].pk),
    )  # fmt: skip


@dataclass(frozen=True)
class QueueItem:
    article: Article
    annotators: list[str]  # who handed in work
    units: int
    disagreeing: int
    stance_disagreements: int
    reviewed: bool
    gold_id: int | None
    submitted: int  # k of…
    expected: int  # …n: the project's overlap, or more when more annotators hold the article
    still_open: int  # annotators' work not yet handed in

    @property
    def complete(self) -> bool:
        """Everyone expected has handed in and nobody is still at work: its disagreement means something."""
        return self.submitted >= self.expected and not self.still_open

    @property
    def disagreement(self) -> float:
        """Share of marked stretches (and article stances) on which annotators differ: 0 = all agree."""
        total = self.units + self.stance_disagreements
        return (self.disagreeing + self.stance_disagreements) / total if total else 0.0


def review_queue(
    *, project: Project, status: str = "all", annotator: str | None = None, limit: int = 500
) -> list[QueueItem]:
    """Articles with handed-in work: the complete ones (everyone expected has handed in, nobody is still at
    work) first, most disagreement first; then the incomplete ones, whose disagreement compares only part
    of the work, in id order.

    status: one of QUEUE_STATUSES: "all", "unreviewed" (no submitted gold yet) or "disagreeing" (annotators
    differ somewhere).
    """
    articles = (
        Article.objects.filter(project=project)
        .annotate(
            handed_in=Count("assignments", filter=Q(assignments__is_gold=False,
                                                      assignments__status=AssignmentStatus.SUBMITTED)),
            still_open=Count("assignments", filter=Q(assignments__is_gold=False,
                                                       assignments__status__in=OPEN_STATUSES)),
        )
        .filter(handed_in__gt=0)
    )  # fmt: skip
    if annotator:
        articles = articles.filter(
            assignments__annotator__username=annotator, assignments__status=AssignmentStatus.SUBMITTED
        )
    articles = list(articles.order_by("id")[:limit])
    work = Assignment.objects.filter(article__in=articles, status=AssignmentStatus.SUBMITTED).select_related(
        "annotator"
    )
    assignments_of: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in work:
        assignments_of[assignment.article_id].append(assignment)
    mentions_of: dict[int, list[ClaimMention]] = defaultdict(list)
    for mention in ClaimMention.objects.filter(assignment__in=work).order_by("start", "end", "id"):
        mentions_of[mention.assignment_id].append(mention)
    stances_of: dict[int, dict[int, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))  # article → claim → …
    for stance in ArticleStance.objects.filter(assignment__in=work, assignment__is_gold=False).select_related(
        "assignment__annotator"
    ):
        stances_of[stance.assignment.article_id][stance.claim_id][stance.assignment.annotator.username] = stance.stance
    items = []
    for article in articles:
        own = [a for a in assignments_of[article.pk] if not a.is_gold]
        gold = next((a for a in assignments_of[article.pk] if a.is_gold), None)
        names = [a.annotator.username for a in own]
        units = line_up({a.annotator.username: mentions_of[a.pk] for a in own}, [])
        stance_rows = list(stances_of[article.pk].values())
        items.append(
            QueueItem(
                article=article, annotators=sorted(names), units=len(units),
                disagreeing=sum(1 for u in units if u.differs),
                stance_disagreements=sum(1 for by in stance_rows if len(by) < len(names) or len(set(by.values())) > 1),
                reviewed=gold is not None, gold_id=gold.pk if gold else None, submitted=article.handed_in,
                expected=max(project.annotators_per_article, article.handed_in + article.still_open),
                still_open=article.still_open,
            )
        )  # fmt: skip
    if status == "unreviewed":
        items = [item for item in items if not item.reviewed]
    elif status == "disagreeing":
        items = [item for item in items if item.disagreement > 0]
    return sorted(
        items,
        key=lambda item: (0, -item.disagreement, item.article.pk) if item.complete else (1, 0, item.article.pk),
    )


def queue_annotators(*, project: Project) -> list[str]:
    """The usernames of the members who have annotator work in the project (the queue's filter)."""
    return list(
        project.memberships.filter(user__assignments__article__project=project, user__assignments__is_gold=False)
        .values_list("user__username", flat=True)
        .distinct()
        .order_by("user__username")
    )
