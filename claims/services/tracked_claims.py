"""Tracked claims: created once, linked from mentions and article stances in any article."""

from __future__ import annotations

from django.db import transaction
from django.db.models.functions import Lower

from claims.models import Claim, Project

from .errors import Problems, RuleViolation

CLAIM_TEXT_REQUIRED = "Give the claim's text (at most 2000 characters)."
CLAIM_TEXT_TAKEN = "This claim is already tracked in the project (id {id})."
CLAIM_NOTES_INVALID = "notes must be text."
CLAIM_IN_USE = "Labels refer to this claim; merge it into another claim instead of deleting it."


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _claim_problems(*, project: Project, text: object, notes: object, claim: Claim | None = None) -> Problems:
    problems = Problems()
    if not isinstance(text, str) or not text.strip() or len(text) > 2000:
        problems.add("text", CLAIM_TEXT_REQUIRED)
    else:
        clash = _find(project, text, exclude=claim)
        if clash is not None:
            problems.add("text", CLAIM_TEXT_TAKEN.format(id=clash.pk))
    if not isinstance(notes, str):
        problems.add("notes", CLAIM_NOTES_INVALID)
    return problems


def _find(project: Project, text: str, exclude: Claim | None = None) -> Claim | None:
    return (
        Claim.objects.filter(project=project)
        .annotate(lower_text=Lower("text"))
        .filter(lower_text=_normalise(text).lower())
        .exclude(pk=getattr(exclude, "pk", None))
        .first()
    )


@transaction.atomic
def claim_create(*, project: Project, text: str, notes: str = "", created_by=None) -> Claim:
    _claim_problems(project=project, text=text, notes=notes).raise_if_any()
    return Claim.objects.create(project=project, text=_normalise(text), notes=notes, created_by=created_by)


@transaction.atomic
def claim_update(*, claim: Claim, text: str | None = None, notes: str | None = None) -> Claim:
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    new_text = claim.text if text is None else text
    new_notes = claim.notes if notes is None else notes
    _claim_problems(project=claim.project, text=new_text, notes=new_notes, claim=claim).raise_if_any()
    claim.text, claim.notes = _normalise(new_text), new_notes
    claim.save()
    return claim


def claim_get_or_create(*, project: Project, text: str, created_by=None) -> tuple[Claim, bool]:
    """The project's claim with this text (case- and spacing-insensitive), created when missing."""
    existing = _find(project, text)
    if existing is not None:
        return existing, False
    return claim_create(project=project, text=text, created_by=created_by), True


@transaction.atomic
def claim_delete(*, claim: Claim) -> None:
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.mentions.exists() or claim.article_stances.exists():
        raise RuleViolation({"claim": CLAIM_IN_USE})
    claim.delete()
