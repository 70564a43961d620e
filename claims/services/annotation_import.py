"""Importing annotations in the native jsonl shape (docs/api.md) onto an article.

Speakers and claims are matched by name and text within the project (created when missing),
annotators by username (an inactive placeholder account when unknown, so that importing a
dataset into an empty project reproduces who labelled what without granting anyone a login).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from claims.models import Article, Assignment, AssignmentStatus, Membership, Role, SpeakerKind

from .articles import ARTICLE_NUL, holds_nul
from .assignments import assignment_skip, assignment_submit
from .errors import RuleViolation
from .labels import article_stance_set, mention_create
from .speakers import speaker_get_or_create
from .tracked_claims import claim_get_or_create

ANNOTATION_NOT_OBJECT = "An annotation is an object with 'annotator', 'mentions' and 'article_stances'."
ANNOTATOR_INVALID = "annotator must be a username (letters, digits and @/./+/-/_)."
STATUS_UNKNOWN = "status must be one of: assigned, in_progress, submitted, skipped."
LIST_EXPECTED = "Must be a list."
SPEAKER_REF_INVALID = "speaker must be {name, kind} or null."
CLAIM_REF_INVALID = "claim must be {text} or null."


def import_user(username: str):
    """The account with this username; a placeholder that cannot log in when there is none."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, is_active=False)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    return user


def speaker_ref(project, ref):
    if ref is None:
        return None
    if not isinstance(ref, dict) or not isinstance(ref.get("name"), str):
        raise RuleViolation({"speaker": SPEAKER_REF_INVALID})
    kind = ref.get("kind") if ref.get("kind") in SpeakerKind.values else SpeakerKind.PERSON
    return speaker_get_or_create(project=project, name=ref["name"], kind=kind)[0]


def claim_ref(project, ref, user):
    if ref is None:
        return None
    if not isinstance(ref, dict) or not isinstance(ref.get("text"), str):
        raise RuleViolation({"claim": CLAIM_REF_INVALID})
    return claim_get_or_create(project=project, text=ref["text"], created_by=user)[0]


def _prefixed(error: RuleViolation, prefix: str) -> RuleViolation:
    return RuleViolation({f"{prefix}.{field}": messages for field, messages in error.errors.items()})


@transaction.atomic
def annotation_import(*, article: Article, annotation: object) -> Assignment | None:
    """Create one annotator's (or the gold) work on the article; None when it is already there."""
    if not isinstance(annotation, dict):
        raise RuleViolation({"annotations": ANNOTATION_NOT_OBJECT})
    if holds_nul(annotation):  # in a name, a text, a label: PostgreSQL cannot compare or store it
        raise RuleViolation({"annotations": ARTICLE_NUL})
    username = annotation.get("annotator")
    if not isinstance(username, str) or not username.strip():
        raise RuleViolation({"annotator": ANNOTATOR_INVALID})
    status = annotation.get("status", AssignmentStatus.SUBMITTED)
    if status not in AssignmentStatus.values:
        raise RuleViolation({"status": STATUS_UNKNOWN})
    mentions = annotation.get("mentions", [])
    stances = annotation.get("article_stances", [])
    if not isinstance(mentions, list):
        raise RuleViolation({"mentions": LIST_EXPECTED})
    if not isinstance(stances, list):
        raise RuleViolation({"article_stances": LIST_EXPECTED})
    is_gold = bool(annotation.get("gold", False))
    try:
        user = import_user(username.strip())
    except Exception as error:  # django ValidationError from full_clean
        raise RuleViolation({"annotator": ANNOTATOR_INVALID}) from error

    existing = Assignment.objects.filter(article=article)
    if existing.filter(is_gold=True).exists() if is_gold else existing.filter(annotator=user, is_gold=False).exists():
        return None
    project = article.project
    Membership.objects.get_or_create(
        project=project, user=user, defaults={"role": Role.REVIEWER if is_gold else Role.ANNOTATOR}
    )
    assignment = Assignment.objects.create(article=article, annotator=user, is_gold=is_gold)
    for index, mention in enumerate(mentions):
        if not isinstance(mention, dict):
            raise RuleViolation({f"mentions[{index}]": ANNOTATION_NOT_OBJECT})
        try:
            mention_create(
                assignment=assignment,
                start=mention.get("start"),
                end=mention.get("end"),
                text=mention.get("text"),
                speaker=speaker_ref(project, mention.get("speaker")),
                source=mention.get("source"),
                cue=mention.get("cue"),
                quote_type=mention.get("quote_type", "direct"),
                claim=claim_ref(project, mention.get("claim"), user),
                stance=mention.get("stance"),
            )
        except RuleViolation as error:
            raise _prefixed(error, f"mentions[{index}]") from error
    for index, stance in enumerate(stances):
        try:
            if not isinstance(stance, dict):
                raise RuleViolation({"claim": CLAIM_REF_INVALID})
            article_stance_set(
                assignment=assignment, claim=claim_ref(project, stance.get("claim"), user), stance=stance.get("stance")
            )
        except RuleViolation as error:
            raise _prefixed(error, f"article_stances[{index}]") from error
    if status == AssignmentStatus.SUBMITTED:
        assignment = assignment_submit(assignment=assignment)
    elif status == AssignmentStatus.SKIPPED:
        assignment = assignment_skip(
            assignment=assignment, reason=annotation.get("skip_reason") or "imported as skipped"
        )
    else:
        Assignment.objects.filter(pk=assignment.pk).update(status=status)
    return assignment
