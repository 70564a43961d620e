"""The labels of an assignment: claim mentions and article stances."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from claims.models import (
    Article,
    ArticleStance,
    Assignment,
    Claim,
    ClaimMention,
    QuoteType,
    Speaker,
    StanceLabel,
)
from claims.offsets import span_problems, stored_span

from .assignments import assignment_lock_open
from .errors import Problems, RuleViolation, check_version

SPEAKER_OTHER_PROJECT = "This speaker does not exist in the article's project."
CLAIM_OTHER_PROJECT = "This claim does not exist in the article's project."
STANCE_UNKNOWN = "{value!r} is not a stance label of this project for {holder}; use one of: {allowed}."
STANCE_NEEDS_CLAIM = "A stance is held toward a tracked claim: link the mention to a claim first."
QUOTE_TYPE_UNKNOWN = "quote_type must be one of: direct, indirect, mixed."
SPAN_NOT_OBJECT = "Give a span as {start, end, text}, or null for none."
OFFSETS_WITHOUT_TEXT = "Change start, end and text together."
FIELD_NOT_CHANGEABLE = "This field cannot be changed."
STANCE_REQUIRED = "Give a stance label."
ARTICLE_STANCE_CLAIM_REQUIRED = "Name the tracked claim the article's stance is toward."
MENTION_DUPLICATE = (
    "This assignment already has a mention of this span with this speaker and claim; change that one instead."
)
MENTION_LIMIT = "An assignment holds at most {limit} mentions (MAX_MENTIONS_PER_ASSIGNMENT); delete one to add another."

# The database's rule (claims.models.annotations): one mention per span, speaker and claim in an assignment.
_ONE_PER_SPAN = "mention_one_per_span_speaker_claim"

_UNSET: Any = object()
_MENTION_FIELDS = ("start", "end", "text", "speaker", "source", "cue", "quote_type", "claim", "stance")


def _span_of(value: object) -> tuple[object, object, object] | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return value.get("start"), value.get("end"), value.get("text")
    raise TypeError


def _stance_values(project_id: int, *, for_mentions: bool) -> list[str]:
    labels = StanceLabel.objects.filter(project_id=project_id).order_by("position")  # no join for the default order
    labels = labels.filter(for_mentions=True) if for_mentions else labels.filter(for_articles=True)
    return list(labels.values_list("value", flat=True))


def _stance_problem(project_id: int, value: str, *, for_mentions: bool) -> str | None:
    allowed = _stance_values(project_id, for_mentions=for_mentions)
    if value in allowed:
        return None
    holder = "mentions" if for_mentions else "articles"
    return STANCE_UNKNOWN.format(value=value, holder=holder, allowed=", ".join(allowed))


def mention_problems(*, article: Article, fields: dict) -> Problems:
    """Every rule a mention must meet, checked against its article. Used by create, update and admin."""
    problems = Problems()
    body = article.body
    problems.extend("text", span_problems(body, fields["start"], fields["end"], fields["text"]))
    for name in ("source", "cue"):
        try:
            span = _span_of(fields[name])
        except TypeError:
            problems.add(name, SPAN_NOT_OBJECT)
            continue
        if span is not None:
            problems.extend(name, span_problems(body, *span))
    speaker = fields["speaker"]
    if speaker is not None and speaker.project_id != article.project_id:
        problems.add("speaker_id", SPEAKER_OTHER_PROJECT)
    claim = fields["claim"]
    if claim is not None and claim.project_id != article.project_id:
        problems.add("claim_id", CLAIM_OTHER_PROJECT)
    if fields["quote_type"] not in QuoteType.values:
        problems.add("quote_type", QUOTE_TYPE_UNKNOWN)
    stance = fields["stance"]
    if stance is not None:
        if claim is None:
            problems.add("stance", STANCE_NEEDS_CLAIM)
        elif (message := _stance_problem(article.project_id, stance, for_mentions=True)) is not None:
            problems.add("stance", message)
    return problems


def _apply(mention: ClaimMention, fields: dict) -> None:
    mention.start, mention.end, mention.text = fields["start"], fields["end"], fields["text"]
    mention.speaker = fields["speaker"]
    mention.quote_type = fields["quote_type"]
    mention.claim = fields["claim"]
    mention.stance = fields["stance"]
    for name in ("source", "cue"):
        span = _span_of(fields[name]) or (None, None, None)
        setattr(mention, f"{name}_start", span[0])
        setattr(mention, f"{name}_end", span[1])
        setattr(mention, f"{name}_text", span[2])


def _current_fields(mention: ClaimMention) -> dict:
    return {
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "speaker": mention.speaker,
        "source": stored_span(mention, "source"),
        "cue": stored_span(mention, "cue"),
        "quote_type": mention.quote_type,
        "claim": mention.claim,
        "stance": mention.stance,
    }


class DuplicateMention(RuleViolation):
    """The assignment already has a mention of this span with this speaker and claim."""

    def __init__(self) -> None:
        super().__init__({"non_field_errors": MENTION_DUPLICATE})


def _save_one_per_span(mention: ClaimMention) -> None:
    """Save the mention; a copy of one already in the assignment is a 400 (DuplicateMention), not a 409.

    The constraint decides rather than a look-up first: it holds whoever writes, and however many
    requests post the same span at once. The savepoint keeps the caller's transaction usable (an
    import goes on with its next line).
    """
    try:
        with transaction.atomic():
            mention.save()
    except IntegrityError as error:
        if getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) == _ONE_PER_SPAN:
            raise DuplicateMention from error
        raise


@transaction.atomic
def mention_create(
    *,
    assignment: Assignment,
    start: int,
    end: int,
    text: str,
    speaker: Speaker | None = None,
    source: dict | None = None,
    cue: dict | None = None,
    quote_type: str = QuoteType.DIRECT,
    claim: Claim | None = None,
    stance: str | None = None,
) -> ClaimMention:
    """Label who claimed what in an open assignment. Offsets are code points; text must equal body[start:end]."""
    assignment = assignment_lock_open(assignment.pk)
    fields = dict(
        start=start, end=end, text=text, speaker=speaker, source=source, cue=cue,
        quote_type=quote_type, claim=claim, stance=stance,
    )  # fmt: skip
    mention_problems(article=assignment.article, fields=fields).raise_if_any()
    # Counted under the assignment's row lock, which every mention write takes: the cap holds.
    limit = settings.MAX_MENTIONS_PER_ASSIGNMENT
    if ClaimMention.objects.filter(assignment=assignment).count() >= limit:
        raise RuleViolation({"non_field_errors": MENTION_LIMIT.format(limit=limit)})
    mention = ClaimMention(assignment=assignment)
    _apply(mention, fields)
    _save_one_per_span(mention)
    return mention


@transaction.atomic
def mention_update(*, mention: ClaimMention, expected_version: int | None = None, **changes) -> ClaimMention:
    """Change some of a mention's fields; the result is validated as a whole. Bumps `version`."""
    unknown = set(changes) - set(_MENTION_FIELDS)
    if unknown:
        raise RuleViolation({name: FIELD_NOT_CHANGEABLE for name in unknown})
    offsets = {"start", "end", "text"} & set(changes)
    if offsets and offsets != {"start", "end", "text"}:
        raise RuleViolation({"text": OFFSETS_WITHOUT_TEXT})
    assignment = assignment_lock_open(mention.assignment_id)
    mention = ClaimMention.objects.select_for_update(of=("self",)).select_related("speaker", "claim").get(pk=mention.pk)
    check_version(mention.version, expected_version)
    fields = _current_fields(mention) | changes
    mention_problems(article=assignment.article, fields=fields).raise_if_any()
    _apply(mention, fields)
    mention.version += 1
    _save_one_per_span(mention)
    return mention


@transaction.atomic
def mention_delete(*, mention: ClaimMention, expected_version: int | None = None) -> None:
    assignment_lock_open(mention.assignment_id)
    mention = ClaimMention.objects.select_for_update().get(pk=mention.pk)
    check_version(mention.version, expected_version)
    mention.delete()


def article_stance_problems(*, assignment: Assignment, claim: Claim | None, stance: object) -> Problems:
    problems = Problems()
    project_id = assignment.article.project_id
    if claim is None:
        problems.add("claim_id", ARTICLE_STANCE_CLAIM_REQUIRED)
    elif claim.project_id != project_id:
        problems.add("claim_id", CLAIM_OTHER_PROJECT)
    if not isinstance(stance, str) or not stance:
        problems.add("stance", STANCE_REQUIRED)
    elif (message := _stance_problem(project_id, stance, for_mentions=False)) is not None:
        problems.add("stance", message)
    return problems


@transaction.atomic
def article_stance_set(*, assignment: Assignment, claim: Claim, stance: str) -> tuple[ArticleStance, bool]:
    """Set the article's own stance toward a claim in this assignment: (article stance, created)."""
    assignment = assignment_lock_open(assignment.pk)
    article_stance_problems(assignment=assignment, claim=claim, stance=stance).raise_if_any()
    existing = ArticleStance.objects.select_for_update(of=("self",)).filter(assignment=assignment, claim=claim).first()
    if existing is None:
        return ArticleStance.objects.create(assignment=assignment, claim=claim, stance=stance), True
    if existing.stance != stance:
        existing.stance = stance
        existing.version += 1
        existing.save()
    return existing, False


@transaction.atomic
def article_stance_update(
    *, article_stance: ArticleStance, expected_version: int | None = None, claim: Claim = _UNSET, stance: str = _UNSET
) -> ArticleStance:
    assignment = assignment_lock_open(article_stance.assignment_id)
    article_stance = (
        ArticleStance.objects.select_for_update(of=("self",)).select_related("claim").get(pk=article_stance.pk)
    )
    check_version(article_stance.version, expected_version)
    new_claim = article_stance.claim if claim is _UNSET else claim
    new_stance = article_stance.stance if stance is _UNSET else stance
    article_stance_problems(assignment=assignment, claim=new_claim, stance=new_stance).raise_if_any()
    article_stance.claim, article_stance.stance = new_claim, new_stance
    article_stance.version += 1
    article_stance.save()
    return article_stance


@transaction.atomic
def article_stance_delete(*, article_stance: ArticleStance, expected_version: int | None = None) -> None:
    assignment_lock_open(article_stance.assignment_id)
    article_stance = ArticleStance.objects.select_for_update().get(pk=article_stance.pk)
    check_version(article_stance.version, expected_version)
    article_stance.delete()


def mentions_create(*, assignment: Assignment, items: list[dict]) -> list[ClaimMention]:
    """Create many mentions in an open assignment at once: all of them or none (call inside a transaction).

    Each item holds mention_create's fields. Every rule of mention_create holds, checked for the whole batch
    before one INSERT (a bulk accept of hundreds of suggestions is one statement, not hundreds). A problem
    raises RuleViolation with the failing item's index as its field: {index: {field: [message]}}.
    """
    assignment = assignment_lock_open(assignment.pk)
    article = assignment.article
    limit = settings.MAX_MENTIONS_PER_ASSIGNMENT
    held = ClaimMention.objects.filter(assignment=assignment)
    if held.count() + len(items) > limit:
        raise RuleViolation({"non_field_errors": MENTION_LIMIT.format(limit=limit)})
    taken = set(held.values_list("start", "end", "speaker_id", "claim_id"))
    mentions = []
    for index, item in enumerate(items):
        fields = {"speaker": None, "source": None, "cue": None, "quote_type": QuoteType.DIRECT, "claim": None,
                  "stance": None} | item  # fmt: skip
        problems = mention_problems(article=article, fields=fields)
        speaker, claim = fields["speaker"], fields["claim"]
        key = (fields["start"], fields["end"], speaker.pk if speaker else None, claim.pk if claim else None)
        if key in taken:
            problems.add("non_field_errors", MENTION_DUPLICATE)
        if problems.errors:
            raise RuleViolation({str(index): problems.errors})
        taken.add(key)
        mention = ClaimMention(assignment=assignment)
        _apply(mention, fields)
        mentions.append(mention)
    try:
        with transaction.atomic():
            return ClaimMention.objects.bulk_create(mentions)
    except IntegrityError as error:  # the constraint holds however many write at once
        if getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) == _ONE_PER_SPAN:
            raise DuplicateMention from error
        raise
