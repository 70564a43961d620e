"""Adjudication: building an article's gold version from its annotators' work."""

from __future__ import annotations

from django.db import transaction

from claims.models import Article, ArticleStance, Assignment, AssignmentStatus, ClaimMention
from claims.offsets import stored_span

from .assignments import (
    assignment_create,
    assignment_reopen,
    assignment_reopen_own,
    assignment_skip,
    assignment_submit,
)
from .errors import RuleViolation
from .labels import DuplicateMention, article_stance_set, mention_create
from .projects import project_require_active

COPY_OTHER_ARTICLE = "This label belongs to another article."
COPY_NOT_INTO_GOLD = "Labels are copied into the article's gold version only."
COPY_FROM_GOLD = "This label is already gold."
COPY_DUPLICATE = "The gold version already has a mention of this span with this speaker and claim; edit that one."


@transaction.atomic
def gold_get_or_create(*, article: Article, reviewer) -> tuple[Assignment, bool]:
    """The article's gold assignment; a new one belongs to the reviewer who starts it."""
    project_require_active(article.project)
    gold = Assignment.objects.select_for_update(of=("self",)).filter(article=article, is_gold=True).first()
    if gold is not None:
        return gold, False
    return assignment_create(article=article, annotator=reviewer, is_gold=True), True


def _require_copy(gold: Assignment, source: Assignment) -> None:
    if not gold.is_gold:
        raise RuleViolation({"assignment": COPY_NOT_INTO_GOLD})
    if source.is_gold:
        raise RuleViolation({"source": COPY_FROM_GOLD})
    if source.article_id != gold.article_id:
        raise RuleViolation({"source": COPY_OTHER_ARTICLE})


@transaction.atomic
def gold_mention_copy(*, gold: Assignment, mention: ClaimMention) -> ClaimMention:
    """Copy an annotator's mention, with every field, into the gold version (then edit it there).

    Gold holds one mention per span, speaker and claim like any assignment: where two annotators
    marked the same one with different stances, the reviewer copies one and edits its stance.
    """
    _require_copy(gold, mention.assignment)
    try:
        return mention_create(
            assignment=gold, start=mention.start, end=mention.end, text=mention.text, speaker=mention.speaker,
            source=stored_span(mention, "source"), cue=stored_span(mention, "cue"), quote_type=mention.quote_type,
            claim=mention.claim, stance=mention.stance,
        )  # fmt: skip
    except DuplicateMention as error:
        raise RuleViolation({"mention_id": COPY_DUPLICATE}) from error


@transaction.atomic
def gold_article_stance_copy(*, gold: Assignment, article_stance: ArticleStance) -> ArticleStance:
    """Take an annotator's article stance as the gold one for that claim."""
    _require_copy(gold, article_stance.assignment)
    return article_stance_set(assignment=gold, claim=article_stance.claim, stance=article_stance.stance)[0]


def review_complete(*, gold: Assignment, expected_version: int | None = None) -> Assignment:
    """Mark the article reviewed: its gold version is submitted."""
    if not gold.is_gold:
        raise RuleViolation({"assignment": COPY_NOT_INTO_GOLD})
    return assignment_submit(assignment=gold, expected_version=expected_version)


def review_send_back(*, assignment: Assignment, comment: str, expected_version: int | None = None) -> Assignment:
    """Return an annotator's work to them with the reviewer's comment (they see it on their page)."""
    return assignment_reopen(assignment=assignment, comment=comment, expected_version=expected_version)


def assignment_status_change(
    *,
    assignment: Assignment,
    status: str,
    by,
    comment: str = "",
    reason: str = "",
    expected_version: int | None = None,
) -> Assignment:
    """Move work to `status` (who may: claims.access.require_status_change): in progress, asked by its
    own annotator, reopens their submitted work (until review starts), asked by a reviewer sends it
    back with their comment; submitted hands it in (for gold: marks the article reviewed); skipped
    gives it up with a reason."""
    if status == AssignmentStatus.IN_PROGRESS:
        if assignment.annotator_id == by.pk and not assignment.is_gold:
            return assignment_reopen_own(assignment=assignment, expected_version=expected_version)
        return review_send_back(assignment=assignment, comment=comment, expected_version=expected_version)
    if status == AssignmentStatus.SUBMITTED:
        if assignment.is_gold:
            return review_complete(gold=assignment, expected_version=expected_version)
        return assignment_submit(assignment=assignment, expected_version=expected_version)
    return assignment_skip(assignment=assignment, reason=reason, expected_version=expected_version)
