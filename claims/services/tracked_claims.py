"""Tracked claims: created once, linked from mentions and article stances in any article."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower

from claims.models import ArticleStance, Claim, ClaimMention, Project

from .errors import Problems, RuleViolation
from .projects import project_require_active

# A claim's text, and so the longest text `similar_to` compares with claims.
CLAIM_TEXT_LIMIT = 2000
CLAIM_TEXT_REQUIRED = f"Give the claim's text (at most {CLAIM_TEXT_LIMIT} characters)."
CLAIM_TEXT_TAKEN = "This claim is already tracked in the project (id {id})."
CLAIM_NOTES_INVALID = "notes must be text."
CLAIM_IN_USE = "Labels refer to this claim; merge it into another claim instead of deleting it."
CLAIM_MERGED = "This claim was merged into claim {id}."
MERGE_SAME = "A claim cannot be merged into itself."
MERGE_OTHER_PROJECT = "Both claims must belong to the same project."
SPLIT_NOTHING = "Name the mentions or article stances that move to the new claim."
SPLIT_NOT_OURS = "These labels are not linked to this claim: {ids}."


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _claim_problems(*, project: Project, text: object, notes: object, claim: Claim | None = None) -> Problems:
    problems = Problems()
    if not isinstance(text, str) or not text.strip() or len(text) > CLAIM_TEXT_LIMIT:
        problems.add("text", CLAIM_TEXT_REQUIRED)
    else:
        clash = _find(project, text, exclude=claim)
        if clash is not None and clash.merged_into_id is not None:
            problems.add("text", CLAIM_MERGED.format(id=clash.merged_into_id))
        elif clash is not None:
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
    project_require_active(project)
    _claim_problems(project=project, text=text, notes=notes).raise_if_any()
    return Claim.objects.create(project=project, text=_normalise(text), notes=notes, created_by=created_by)


@transaction.atomic
def claim_update(*, claim: Claim, text: str | None = None, notes: str | None = None) -> Claim:
    claim = Claim.objects.select_for_update(of=("self",)).select_related("project").get(pk=claim.pk)
    project_require_active(claim.project)
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
        return (existing.merged_into if existing.merged_into_id else existing), False
    return claim_create(project=project, text=text, created_by=created_by), True


@transaction.atomic
def claim_delete(*, claim: Claim) -> None:
    claim = Claim.objects.select_for_update(of=("self",)).select_related("project").get(pk=claim.pk)
    project_require_active(claim.project)
    if claim.mentions.exists() or claim.article_stances.exists():
        raise RuleViolation({"claim": CLAIM_IN_USE})
    claim.delete()


def claim_merge_check(*, source: Claim, target: Claim) -> None:
    """Whether `source` may be merged into `target` (RuleViolation when not): asked by the merge and by
    the preview that asks for confirmation before it."""
    if source.pk == target.pk:
        raise RuleViolation({"into": MERGE_SAME})
    if source.project_id != target.project_id:
        raise RuleViolation({"into": MERGE_OTHER_PROJECT})
    project_require_active(Project.objects.get(pk=source.project_id))
    for claim in (source, target):
        if claim.merged_into_id:
            raise RuleViolation({"into": CLAIM_MERGED.format(id=claim.merged_into_id)})


@transaction.atomic
def claim_merge(*, source: Claim, target: Claim) -> Claim:
    """Move every mention and article stance of `source` to `target`; `source` then points at `target`.

    Where one assignment gave an article stance toward both claims, the target's stays (the other
    is deleted, and the label history keeps it). Moved labels get a new version, so a client that
    still holds the old one is told to reload instead of writing it back.
    """
    source, target = (Claim.objects.select_for_update().get(pk=c.pk) for c in (source, target))
    claim_merge_check(source=source, target=target)
    ClaimMention.objects.filter(claim=source).update(claim=target, version=F("version") + 1)
    both = ArticleStance.objects.filter(claim=target).values("assignment_id")
    ArticleStance.objects.filter(claim=source, assignment_id__in=both).delete()
    ArticleStance.objects.filter(claim=source).update(claim=target, version=F("version") + 1)
    Claim.objects.filter(merged_into=source).update(merged_into=target)
    source.merged_into = target
    source.save(update_fields=["merged_into", "updated_at"])
    return target


@transaction.atomic
def claim_split(
    *, claim: Claim, text: str, mention_ids: list[int] = (), article_stance_ids: list[int] = (), created_by=None
) -> Claim:
    """A new claim for some of this claim's labels (when one claim turned out to be two)."""
    if not mention_ids and not article_stance_ids:
        raise RuleViolation({"mention_ids": SPLIT_NOTHING})
    project_require_active(Project.objects.get(pk=claim.project_id))
    mentions = ClaimMention.objects.filter(pk__in=mention_ids, claim=claim)
    stances = ArticleStance.objects.filter(pk__in=article_stance_ids, claim=claim)
    strangers = sorted(set(mention_ids) - set(mentions.values_list("pk", flat=True)))
    strangers += sorted(set(article_stance_ids) - set(stances.values_list("pk", flat=True)))
    if strangers:
        raise RuleViolation({"mention_ids": SPLIT_NOT_OURS.format(ids=", ".join(map(str, strangers)))})
    new = claim_create(project=claim.project, text=text, created_by=created_by)
    mentions.update(claim=new, version=F("version") + 1)
    stances.update(claim=new, version=F("version") + 1)
    return new
