"""Drafting attributions with the pre-annotator, and accepting or rejecting the drafts."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction

from claims.models import (
    Article,
    Assignment,
    ClaimMention,
    Decision,
    Job,
    JobKind,
    Project,
    Speaker,
    SpeakerAlias,
    SpeakerKind,
    Suggestion,
    SuggestionDecision,
)
from claims.offsets import stored_span
from claims.preannotation import Catalogue, preannotate_within

from .assignments import assignment_lock_open, assignment_require_open
from .errors import RuleViolation
from .jobs import Progress, job_enqueue
from .labels import mention_create, mention_delete, mentions_create
from .projects import project_require_active
from .speakers import speaker_get_or_create

logger = logging.getLogger(__name__)

SUGGESTION_OTHER_ARTICLE = "This suggestion is for another article."
SUGGESTION_DECIDED = "This suggestion was already {decision} here."
SUGGESTION_NOT_DECIDED = "This suggestion is not accepted or rejected here: it is pending already."
SUGGESTION_DUPLICATES_MENTION = (
    "Your work already has a mention of these words by this speaker; edit that mention, or reject this suggestion."
)
SUGGESTIONS_NOT_PENDING = "Not a pending suggestion of this assignment's article: {ids}. Nothing was decided."
SUGGESTION_NOT_ACCEPTED = "Suggestion {id} (“{text}”) cannot be accepted: {reason} Nothing was decided."
SUGGESTIONS_NOT_ACCEPTED = "These suggestions cannot be accepted: {reason} Nothing was decided."


def catalogue_of(project: Project) -> list[dict]:
    """The project's speakers as the pre-annotator reads them (names, aliases, kinds, roles).

    Plain rows, not model instances: a catalogue may hold thousands of aliases, and this runs for every import.
    """
    speakers = Speaker.objects.filter(project=project).current()
    aliases: dict[int, list[str]] = {}
    for speaker_id, name in SpeakerAlias.objects.filter(speaker__in=speakers).values_list("speaker_id", "name"):
        aliases.setdefault(speaker_id, []).append(name)
    return [
        {"name": name, "kind": kind, "role": role, "aliases": aliases.get(pk, [])}
        for pk, name, kind, role in speakers.values_list("pk", "name", "kind", "role")
    ]


def _span_fields(prefix: str, span) -> dict:
    if span is None:
        return {f"{prefix}_start": None, f"{prefix}_end": None, f"{prefix}_text": None}
    return {f"{prefix}_start": span.start, f"{prefix}_end": span.end, f"{prefix}_text": span.text}


@transaction.atomic
def article_preannotate(*, article: Article, catalogue: Catalogue | list[dict] | None = None) -> int:
    """Draft the article's attributions again. Drafts someone already decided on stay as they are.

    Within the budgets PREANNOTATE_MAX_CHARS and PREANNOTATE_MAX_SUGGESTIONS: what they leave out is logged.
    Returns how many new suggestions were stored.
    """
    catalogue = catalogue_of(article.project) if catalogue is None else catalogue
    drafted = preannotate_within(
        article.body,
        speakers=catalogue,
        max_chars=settings.PREANNOTATE_MAX_CHARS,
        max_suggestions=settings.PREANNOTATE_MAX_SUGGESTIONS,
    )
    if drafted.note:
        logger.warning("Pre-annotation of article %s: %s", article.pk, drafted.note)
    by_name = {s.name: s for s in Speaker.objects.filter(project=article.project_id).current()}
    Suggestion.objects.filter(article=article, decisions__isnull=True).delete()
    kept = set(Suggestion.objects.filter(article=article).values_list("start", "end"))
    drafts = [
        Suggestion(
            article=article,
            start=found.content.start,
            end=found.content.end,
            text=found.content.text,
            **_span_fields("source", found.source),
            **_span_fields("cue", found.cue),
            quote_type=found.quote_type,
            speaker=None if found.speaker_is_new else by_name.get(found.speaker_name),
            speaker_name=found.speaker_name or "",
            speaker_kind=found.speaker_kind or "",
            confidence=max(0.0, min(1.0, found.confidence)),
        )
        for found in drafted.suggestions
        if (found.content.start, found.content.end) not in kept
    ]
    Suggestion.objects.bulk_create(drafts, ignore_conflicts=True)
    return len(drafts)


def articles_preannotate(
    *, articles: Iterable[Article], project: Project, progress: Callable[[int], None] | None = None
) -> int:
    """Draft attributions for many articles of one project (one transaction per article)."""
    catalogue = Catalogue(catalogue_of(project))  # built once: the cost of a catalogue is per run, not per article
    total = 0
    for article in articles:
        total += article_preannotate(article=article, catalogue=catalogue)
        if progress:
            progress(1)
    return total


def _require_undecided(suggestion: Suggestion, assignment: Assignment) -> None:
    if suggestion.article_id != assignment.article_id:
        raise RuleViolation({"suggestion": SUGGESTION_OTHER_ARTICLE})
    decided = SuggestionDecision.objects.filter(suggestion=suggestion, assignment=assignment).first()
    if decided is not None:
        raise RuleViolation({"suggestion": SUGGESTION_DECIDED.format(decision=decided.decision)})


def _mention_fields(suggestion: Suggestion, project: Project) -> dict:
    """The mention a suggestion becomes; a speaker it proposes by name is found or created in the catalogue."""
    speaker = suggestion.speaker
    if speaker is None and suggestion.speaker_name:
        kind = suggestion.speaker_kind if suggestion.speaker_kind in SpeakerKind.values else SpeakerKind.PERSON
        speaker, _ = speaker_get_or_create(project=project, name=suggestion.speaker_name, kind=kind)
    return {
        "start": suggestion.start, "end": suggestion.end, "text": suggestion.text, "speaker": speaker,
        "source": stored_span(suggestion, "source"), "cue": stored_span(suggestion, "cue"),
        "quote_type": suggestion.quote_type,
    }  # fmt: skip


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, assignment: Assignment) -> ClaimMention:
    """Turn a suggestion into a real mention in this assignment (creating its speaker when new)."""
    _require_undecided(suggestion, assignment)
    fields = _mention_fields(suggestion, assignment.article.project)
    # Same words, same speaker: a second mention would only differ by its claim, which a suggestion never has,
    # so it is the same attribution twice. (A speaker created just above goes with the refusal's rollback.)
    twin = ClaimMention.objects.filter(
        assignment=assignment, start=suggestion.start, end=suggestion.end, speaker=fields["speaker"]
    )
    if twin.exists():
        raise RuleViolation({"non_field_errors": SUGGESTION_DUPLICATES_MENTION})
    mention = mention_create(assignment=assignment, **fields)
    SuggestionDecision.objects.create(
        suggestion=suggestion, assignment=assignment, decision=Decision.ACCEPTED, mention=mention
    )
    return mention


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, assignment: Assignment) -> None:
    locked = Assignment.objects.select_for_update(of=("self",)).select_related("article__project").get(pk=assignment.pk)
    project_require_active(locked.article.project)
    assignment_require_open(locked)
    _require_undecided(suggestion, assignment)
    SuggestionDecision.objects.create(suggestion=suggestion, assignment=assignment, decision=Decision.REJECTED)


@transaction.atomic
def suggestion_decision_undo(
    *, suggestion: Suggestion, assignment: Assignment, expected_version: int | None = None
) -> None:
    """Return a suggestion to pending in this assignment (the page's undo of an accept or a reject).

    Undoing an acceptance deletes the mention it made, when there still is one; `expected_version` is that
    mention's version as the caller last read it (If-Match), so a mention changed since is kept and the undo
    refused (StaleVersion), never a change of someone else's lost.
    """
    assignment = assignment_lock_open(assignment.pk)
    if suggestion.article_id != assignment.article_id:
        raise RuleViolation({"suggestion": SUGGESTION_OTHER_ARTICLE})
    decision = (
        SuggestionDecision.objects.select_for_update(of=("self",))
        .select_related("mention")
        .filter(suggestion=suggestion, assignment=assignment)
        .first()
    )
    if decision is None:
        raise RuleViolation({"suggestion": SUGGESTION_NOT_DECIDED})
    if decision.mention is not None:
        mention_delete(mention=decision.mention, expected_version=expected_version)
    decision.delete()
def suggestions_decide(
    *, assignment: Assignment, suggestion_ids: Iterable[int], decision: str
) -> list[tuple[Suggestion, ClaimMention | None]]:
    """Accept or reject many suggestions in one step: every one of them, or none (one transaction).

    Each id must name a suggestion of the assignment's article that this assignment has not decided on yet;
    any other id (another article's or project's, unknown, already decided) refuses the whole step. Accepting
    makes the mentions suggestion_accept would, in text order and in one INSERT: every rule of a single accept
    holds (a proposed speaker is created once, one mention per span, speaker and claim, the per-assignment cap).

    Returns (suggestion, the mention it became or None when rejected) in text order: what reversing the step
    needs (delete those mentions at the versions given, then withdraw the decisions).
    """
    assignment = assignment_lock_open(assignment.pk)
    ids = list(dict.fromkeys(suggestion_ids))
    found = {s.pk: s for s in Suggestion.objects.pending_for(assignment).filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        shown = ", ".join(str(pk) for pk in missing[:20]) + (" …" if len(missing) > 20 else "")
        raise RuleViolation({"ids": SUGGESTIONS_NOT_PENDING.format(ids=shown)})
    ordered = sorted(found.values(), key=lambda s: (s.start, s.end, s.pk))
    if decision == Decision.REJECTED:
        SuggestionDecision.objects.bulk_create(
            [SuggestionDecision(suggestion=s, assignment=assignment, decision=Decision.REJECTED) for s in ordered]
        )
        return [(s, None) for s in ordered]
    # One INSERT for all the mentions (mentions_create checks every rule of a single accept first).
    items = [_mention_fields(suggestion, assignment.article.project) for suggestion in ordered]
    try:
        mentions = mentions_create(assignment=assignment, items=items)
    except RuleViolation as refused:
        failed = next((int(field) for field in refused.errors if field.isdigit()), None)
        if failed is None:
            raise RuleViolation({"ids": SUGGESTIONS_NOT_ACCEPTED.format(reason=refused)}) from refused
        reason = " ".join(message for messages in refused.errors[str(failed)].values() for message in messages)
        suggestion = ordered[failed]
        raise RuleViolation(
            {"ids": SUGGESTION_NOT_ACCEPTED.format(id=suggestion.pk, text=suggestion.text[:80], reason=reason)}
        ) from refused
    accepted = Decision.ACCEPTED
    SuggestionDecision.objects.bulk_create(
        [
            SuggestionDecision(suggestion=suggestion, assignment=assignment, decision=accepted, mention=mention)
            for suggestion, mention in zip(ordered, mentions, strict=True)
        ]
    )
    return list(zip(ordered, mentions, strict=True))


def imported_articles_preannotate(
    *, project: Project, article_ids: list[int], progress: Callable[[int], None] | None = None
) -> int:
    """After an import: draft attributions for the new articles, when the project wants that.

    Runs after the import's own transaction, so storing the articles never waits for drafting.
    """
    if not project.preannotate_on_import or not article_ids:
        return 0
    articles = Article.objects.filter(project=project, pk__in=article_ids).order_by("id")
    return articles_preannotate(articles=articles.iterator(chunk_size=200), project=project, progress=progress)


def project_preannotate(*, project: Project, only_new: bool = False, progress: Progress | None = None) -> dict:
    """Draft attributions for every article of the project again (`only_new`: those without drafts)."""
    progress = progress or Progress()
    articles = Article.objects.filter(project=project).order_by("id")
    if only_new:
        articles = articles.filter(suggestions__isnull=True).distinct()
    total = articles.count()
    progress.stage("Drafting attributions", total=total)
    made = articles_preannotate(articles=articles.iterator(chunk_size=200), project=project, progress=progress)
    return {"articles": total, "suggestions": made}


def project_preannotate_enqueue(*, project: Project, user) -> Job:
    project_require_active(project)
    return job_enqueue(project=project, user=user, kind=JobKind.PREANNOTATE, parameters={})


def project_preannotate_job_run(*, job: Job, progress: Progress) -> dict:
    return project_preannotate(project=job.project, progress=progress)
