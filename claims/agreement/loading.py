"""Reading a project's submitted work from the database into plain values, in three queries."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import TYPE_CHECKING

from claims.models import ArticleStance, Assignment, ClaimMention, Project

from .submissions import MentionLabel, Submission

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def submitted_assignments(
    *,
    project: Project,
    annotators: list[User] | None = None,
    submitted_from: datetime | None = None,
    submitted_to: datetime | None = None,
):
    """The project's submitted, non-gold assignments, optionally by these annotators only and
    submitted in the half-open range [submitted_from, submitted_to)."""
    assignments = Assignment.objects.submitted().filter(article__project=project, is_gold=False)
    if annotators is not None:
        assignments = assignments.filter(annotator__in=annotators)
    if submitted_from is not None:
        assignments = assignments.filter(submitted_at__gte=submitted_from)
    if submitted_to is not None:
        assignments = assignments.filter(submitted_at__lt=submitted_to)
    return assignments


def load_submissions(
    *,
    project: Project,
    annotators: list[User] | None = None,
    submitted_from: datetime | None = None,
    submitted_to: datetime | None = None,
) -> list[Submission]:
    """Every selected assignment with its mentions and article stances, whatever the number of articles.

    The label queries filter on the assignment query as a subquery rather than a list of ids, so
    the SQL stays small for big projects; values_list skips building model instances.
    """
    assignments = submitted_assignments(
        project=project, annotators=annotators, submitted_from=submitted_from, submitted_to=submitted_to
    )
    rows = list(
        assignments.order_by("article_id", "annotator__username").values_list("id", "article_id", "annotator__username")
    )
    mentions: dict[int, list[MentionLabel]] = defaultdict(list)
    for assignment_id, start, end, speaker_id, stance, quote_type, claim_id in (
        ClaimMention.objects.filter(assignment__in=assignments)
        .order_by("assignment_id", "start", "end", "id")
        .values_list("assignment_id", "start", "end", "speaker_id", "stance", "quote_type", "claim_id")
    ):
        mentions[assignment_id].append(
            MentionLabel(
                start=start, end=end, speaker_id=speaker_id, stance=stance, quote_type=quote_type, claim_id=claim_id
            )
        )
    stances: dict[int, dict[int, str]] = defaultdict(dict)
    # order_by() drops the model's default ordering, whose joins this lookup does not need.
    for assignment_id, claim_id, stance in (
        ArticleStance.objects.filter(assignment__in=assignments)
        .order_by()
        .values_list("assignment_id", "claim_id", "stance")
    ):
        stances[assignment_id][claim_id] = stance
    return [
        Submission(
            annotator=username,
            article_id=article_id,
            mentions=tuple(mentions[assignment_id]),
            article_stances=stances[assignment_id],
        )
        for assignment_id, article_id, username in rows
    ]
