"""Handing out articles to annotators and moving their work through its states."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from claims.models import OPEN_STATUSES, Article, Assignment, AssignmentStatus, Membership, Project
from claims.models.articles import PRIORITY_MAX, PRIORITY_MIN

from .errors import RuleViolation, check_version
from .projects import project_require_active

ASSIGNMENT_CLOSED = "This assignment is {status}; its labels can no longer change."
ASSIGNMENT_NOT_OPEN = "Only an assigned or in-progress assignment can be {action}."
ASSIGNMENT_ALREADY_EXISTS = "This annotator already has an assignment for this article."
ASSIGNMENT_GOLD_EXISTS = "This article already has a gold assignment."
SKIP_REASON_REQUIRED = "Say why you skip this article."
REOPEN_NOT_SUBMITTED = "Only submitted or skipped work can be sent back."
RELEASE_NOT_OPEN = "Only assigned or in-progress work can be released; this is {status}."
RELEASE_GOLD = "A gold version is not released; reopen or edit it on the review page."
ASSIGN_NOT_A_MEMBER = "{username} is not a member of this project."
STALE_DAYS_INVALID = "days must be a whole number of at least 1."
PRIORITY_INVALID = f"priority must be a whole number from {PRIORITY_MIN} to {PRIORITY_MAX}."
QUALIFICATION_INVALID = "qualification must be true or false."
REOPEN_OWN_NOT_SUBMITTED = "Only submitted work can be reopened."
REOPEN_REVIEW_STARTED = "A reviewer has started on this article; only they can send your work back now."


def assignment_require_open(assignment: Assignment) -> None:
    """Labels change only while the work is open (assigned or in progress)."""
    if assignment.status not in OPEN_STATUSES:
        raise RuleViolation({"assignment": ASSIGNMENT_CLOSED.format(status=assignment.get_status_display().lower())})


def assignment_lock_open(assignment_id: int) -> Assignment:
    """Lock the assignment row for a label write, check it is open, and mark it started.

    The row lock orders label writes against submit, so nothing lands in submitted work.
    """
    assignment = (
        Assignment.objects.select_for_update(of=("self",)).select_related("article__project").get(pk=assignment_id)
    )
    project_require_active(assignment.article.project)
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
    (highest priority first, then by id) that still needs annotators and that this user has never had
    is assigned. Concurrent callers
    never get the same slot: the membership row serialises one user's calls, and candidate
    articles are locked with SKIP LOCKED so two annotators pass each other instead of waiting.
    Returns (None, False) when nothing is left.
    """
    project_require_active(project)
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
    # Open articles come from a partial index by priority then id (a manager's priorities first), so
    # finished ones cost nothing however many there are; SKIP LOCKED lets two annotators pass each other.
    article_id = (
        Article.objects.filter(project=project)
        .open_to(user)
        .order_by("-priority", "id")
        .select_for_update(of=("self",), skip_locked=True)
        .values_list("id", flat=True)
        .first()
    )
    if article_id is None:
        return None, False
    return Assignment.objects.create(article_id=article_id, annotator=user), True


def _transition(assignment: Assignment, expected_version: int | None, action: str) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update(of=("self",)).select_related("article__project").get(pk=assignment.pk)
    )
    project_require_active(assignment.article.project)
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
    assignment = (
        Assignment.objects.select_for_update(of=("self",)).select_related("article__project").get(pk=assignment.pk)
    )
    project_require_active(assignment.article.project)
    check_version(assignment.version, expected_version)
    if assignment.status not in (AssignmentStatus.SUBMITTED, AssignmentStatus.SKIPPED):
        raise RuleViolation({"status": REOPEN_NOT_SUBMITTED})
    assignment.status = AssignmentStatus.IN_PROGRESS
    assignment.review_comment = comment.strip()
    assignment.submitted_at = None
    assignment.sent_back_at = timezone.now()
    assignment.version += 1
    assignment.save()
    return assignment


# --- assignment control (managers) -----------------------------------------------------------------------


@transaction.atomic
def assignment_release(*, assignment: Assignment) -> None:
    """Give open work back to the pool: the assignment and its labels are deleted (the label history keeps
    them), so the article again needs an annotator (the database's trigger says so) and `next` may hand it
    to anyone, this annotator included."""
    assignment = Assignment.objects.select_for_update(of=("self",)).get(pk=assignment.pk)
    if assignment.is_gold:
        raise RuleViolation({"assignment": RELEASE_GOLD})
    if assignment.status not in OPEN_STATUSES:
        raise RuleViolation({"status": RELEASE_NOT_OPEN.format(status=assignment.get_status_display().lower())})
    assignment.delete()


@transaction.atomic
def assignments_release_stale(*, project: Project, days: int | None = None) -> int:
    """Release every annotator's open work in the project with no sign of work for `days` days
    (settings.ASSIGNMENT_STALE_DAYS when None). Returns how many were released."""
    days = settings.ASSIGNMENT_STALE_DAYS if days is None else days
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise RuleViolation({"days": STALE_DAYS_INVALID})
    stale = (
        Assignment.objects.filter(article__project=project)
        .stale(days=days)
        .select_for_update(of=("self",), skip_locked=True)
    )
    ids = list(stale.values_list("pk", flat=True))
    Assignment.objects.filter(pk__in=ids).delete()
    return len(ids)


@transaction.atomic
def assignment_assign(*, article: Article, annotator) -> Assignment:
    """Give this article to this member, whether or not `next` would have (a manager's choice may go
    past the project's overlap)."""
    project_require_active(article.project)
    if not Membership.objects.filter(project_id=article.project_id, user=annotator).exists():
        raise RuleViolation({"annotator": ASSIGN_NOT_A_MEMBER.format(username=annotator.get_username())})
    return assignment_create(article=article, annotator=annotator)


@transaction.atomic
def article_queue_settings(*, article: Article, priority: int | None = None, qualification: bool | None = None):
    """Set an article's priority in the `next` queue and whether it is a qualification item.

    Written with an UPDATE of those columns only: neither is article content, so the article's updated_at
    (which incremental exports read) stays as it was."""
    project_require_active(article.project)
    changes = {}
    if priority is not None:
        if isinstance(priority, bool) or not isinstance(priority, int) or not PRIORITY_MIN <= priority <= PRIORITY_MAX:
            raise RuleViolation({"priority": PRIORITY_INVALID})
        changes["priority"] = priority
    if qualification is not None:
        if not isinstance(qualification, bool):
            raise RuleViolation({"qualification": QUALIFICATION_INVALID})
        changes["is_qualification"] = qualification
    if changes:
        Article.objects.filter(pk=article.pk).update(**changes)
    return Article.objects.get(pk=article.pk)
@transaction.atomic
def assignment_reopen_own(*, assignment: Assignment, expected_version: int | None = None) -> Assignment:
    """The annotator takes their submitted work back to change it, until a reviewer starts on the
    article (its gold version exists); from then on only a reviewer sends it back.

    The assignment row is locked first and then the article row, the order the needs_annotators
    triggers take them in; the article lock is the one the gold assignment's insert waits for (its
    trigger locks the article), so a reviewer starting and an annotator reopening are serialised
    and exactly one of them comes first.
    """
    assignment = Assignment.objects.select_for_update(of=("self",)).get(pk=assignment.pk)
    check_version(assignment.version, expected_version)
    if assignment.status != AssignmentStatus.SUBMITTED or assignment.is_gold:
        raise RuleViolation({"status": REOPEN_OWN_NOT_SUBMITTED})
    Article.objects.select_for_update(no_key=True).filter(pk=assignment.article_id).first()
    if not Assignment.objects.filter(pk=assignment.pk).review_not_started().exists():
        raise RuleViolation({"status": REOPEN_REVIEW_STARTED})
    assignment.status = AssignmentStatus.IN_PROGRESS
    assignment.submitted_at = None
    assignment.version += 1
    assignment.save()
    return assignment
