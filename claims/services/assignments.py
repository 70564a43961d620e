"""Handing out articles to annotators and moving their work through its states."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from claims.models import OPEN_STATUSES, Article, Assignment, AssignmentStatus, Membership, Project

from .errors import RuleViolation, check_version

ASSIGNMENT_CLOSED = "This assignment is {status}; its labels can no longer change."
ASSIGNMENT_NOT_OPEN = "Only an assigned or in-progress assignment can be {action}."
ASSIGNMENT_ALREADY_EXISTS = "This annotator already has an assignment for this article."
ASSIGNMENT_GOLD_EXISTS = "This article already has a gold assignment."
SKIP_REASON_REQUIRED = "Say why you skip this article."
REOPEN_NOT_SUBMITTED = "Only submitted or skipped work can be sent back."


def assignment_require_open(assignment: Assignment) -> None:
    """Labels change only while the work is open (assigned or in progress)."""
    if assignment.status not in OPEN_STATUSES:
        raise RuleViolation({"assignment": ASSIGNMENT_CLOSED.format(status=assignment.get_status_display().lower())})


def assignment_lock_open(assignment_id: int) -> Assignment:
    """Lock the assignment row for a label write, check it is open, and mark it started.

    The row lock orders label writes against submit, so nothing lands in submitted work.
    """
    assignment = Assignment.objects.select_for_update(of=("self",)).select_related("article").get(pk=assignment_id)
    assignment_require_open(assignment)
    if assignment.status == AssignmentStatus.ASSIGNED:
        assignment.status = AssignmentStatus.IN_PROGRESS
        assignment.started_at = timezone.now()
        assignment.version += 1
        assignment.save(update_fields=["status", "started_at", "version", "updated_at"])
    return assignment


@transaction.atomic
def assignment_create(*, article: Article, annotator, is_gold: bool = False) -> Assignment:
    existing = Assignment.objects.filter(article=article)
    if is_gold and existing.filter(is_gold=True).exists():
        raise RuleViolation({"article": ASSIGNMENT_GOLD_EXISTS})
    if not is_gold and existing.filter(annotator=annotator, is_gold=False).exists():
        raise RuleViolation({"annotator": ASSIGNMENT_ALREADY_EXISTS})
    return Assignment.objects.create(article=article, annotator=annotator, is_gold=is_gold)


@transaction.atomic
def assignment_next(*, project: Project, user) -> tuple[Assignment | None, bool]:
    """The caller's next piece of work: (assignment, created).

    Open work is resumed first (in progress before merely assigned). Otherwise the first article
    that still needs annotators and that this user has never had is assigned. Concurrent callers
    never get the same slot: the membership row serialises one user's calls, and candidate
    articles are locked with SKIP LOCKED so two annotators pass each other instead of waiting.
    Returns (None, False) when nothing is left.
    """
    # Only the membership row: without `of`, FOR UPDATE also locked the project row joined in for
    # Membership's ordering, and every annotator's call queued behind every other's.
    Membership.objects.select_for_update(of=("self",)).filter(project=project, user=user).first()
    open_work = (
        Assignment.objects.for_annotator(user)
        .filter(article__project=project, status__in=OPEN_STATUSES)
        .order_by("-status", "id")  # 'in_progress' sorts after 'assigned': descending resumes it first
        .first()
    )
    if open_work is not None:
        return open_work, False
    # Open articles come from a partial index in id order, so finished ones cost nothing however many
    # there are; SKIP LOCKED lets two annotators pass each other instead of waiting.
    article_id = (
        Article.objects.filter(project=project)
        .open_to(user)
        .order_by("id")
        .select_for_update(of=("self",), skip_locked=True)
        .values_list("id", flat=True)
        .first()
    )
    if article_id is None:
        return None, False
    return Assignment.objects.create(article_id=article_id, annotator=user), True


def _transition(assignment: Assignment, expected_version: int | None, action: str) -> Assignment:
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    check_version(assignment.version, expected_version)
    if assignment.status not in OPEN_STATUSES:
        raise RuleViolation({"status": ASSIGNMENT_NOT_OPEN.format(action=action)})
    return assignment


@transaction.atomic
def assignment_submit(*, assignment: Assignment, expected_version: int | None = None) -> Assignment:
    assignment = _transition(assignment, expected_version, "submitted")
    now = timezone.now()
    assignment.status = AssignmentStatus.SUBMITTED
    assignment.submitted_at = now
    assignment.started_at = assignment.started_at or now
    assignment.version += 1
    assignment.save()
    return assignment


@transaction.atomic
def assignment_skip(*, assignment: Assignment, reason: str, expected_version: int | None = None) -> Assignment:
    if not isinstance(reason, str) or not reason.strip():
        raise RuleViolation({"skip_reason": SKIP_REASON_REQUIRED})
    assignment = _transition(assignment, expected_version, "skipped")
    assignment.status = AssignmentStatus.SKIPPED
    assignment.skip_reason = reason.strip()
    assignment.version += 1
    assignment.save()
    return assignment


@transaction.atomic
def assignment_reopen(*, assignment: Assignment, comment: str = "", expected_version: int | None = None) -> Assignment:
    """Send submitted (or skipped) work back to its annotator, with the reviewer's comment."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    check_version(assignment.version, expected_version)
    if assignment.status not in (AssignmentStatus.SUBMITTED, AssignmentStatus.SKIPPED):
        raise RuleViolation({"status": REOPEN_NOT_SUBMITTED})
    assignment.status = AssignmentStatus.IN_PROGRESS
    assignment.review_comment = comment.strip()
    assignment.submitted_at = None
    assignment.version += 1
    assignment.save()
    return assignment
