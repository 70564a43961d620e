"""The pre-annotator: find attributions in an article body and resolve their speakers."""

from __future__ import annotations

from collections.abc import Iterable

from .cues import find_cues
from .document import Document
from .noun_phrases import Phrases
from .quotes import CONFIDENCE as QUOTE_CONFIDENCE
from .quotes import DirectQuotes, quote_content
from .reported_speech import ReportedSpeech
from .speakers import Catalogue, Resolution, SpeakerResolver
from .suggestions import Attribution, Suggestion

# How much a speaker found in each way is trusted, relative to the pattern's own confidence.
SPEAKER_TRUST = {"catalogue": 1.0, "history": 0.9, "pronoun": 0.9, "new": 0.85}
UNRESOLVED_TRUST = 0.6


def preannotate(body: str, *, speakers: Iterable[dict] = ()) -> list[Suggestion]:
    """Suggested claim mentions for an English news article, in text order.

    `speakers` is the project's catalogue: dicts with "name", "kind" and "aliases" (and
    optionally "role"). Every span satisfies `body[start:end] == text`.
    """
    doc = Document(body)
    cues = find_cues(doc)
    phrases = Phrases(doc, [cue.span for cue in cues])
    direct = DirectQuotes(doc, phrases, cues)
    attributions = direct.find()
    attributions += ReportedSpeech(doc, phrases, cues, direct.used_cues).find()
    attributions = _without_nested(attributions)
    attributions += _continuations(doc, direct, attributions)
    attributions = _without_overlaps(attributions)
    return _resolve(doc, Catalogue(speakers), phrases, attributions)


def _without_nested(attributions: list[Attribution]) -> list[Attribution]:
    """'X said a Lumera engineer had told him that C': keep the innermost attribution only."""
    inner_sources = [a.source for a in attributions if a.source is not None and a.quote_type != "direct"]
    return [
        attribution
        for attribution in attributions
        if not any(
            attribution.content.contains(source) and source.start - attribution.content.start <= 2
            for source in inner_sources
        )
    ]


def _continuations(doc: Document, direct: DirectQuotes, attributions: list[Attribution]) -> list[Attribution]:
    """A quoted sentence with no speaker next to it continues the latest attribution of its paragraph,
    or of the previous paragraph when that one ends inside an unclosed quotation (a quote that runs on).
    """
    found = []
    for quotation in direct.unattributed:
        content = quote_content(doc, quotation)
        latest = _latest_attribution_before(doc, quotation.open, attributions)
        if latest is not None and content is not None:
            found.append(
                Attribution(
                    content, latest.source, latest.cue, "direct", QUOTE_CONFIDENCE["continuation"], "continuation"
                )
            )
    return found


def _latest_attribution_before(doc: Document, position: int, attributions: list[Attribution]) -> Attribution | None:
    paragraph_start, _ = doc.paragraph_at(position)
    earlier = [a for a in attributions if paragraph_start <= a.content.start < position and a.source]
    if not earlier and paragraph_start == position and paragraph_start > 0:
        previous_start, previous_end = doc.paragraph_at(paragraph_start - 1)
        runs_on = [q for q in doc.quotations if previous_start <= q.open and q.close is None]
        if runs_on:
            earlier = [a for a in attributions if previous_start <= a.content.start < previous_end and a.source]
    return max(earlier, key=lambda a: a.content.start) if earlier else None


def _without_overlaps(attributions: list[Attribution]) -> list[Attribution]:
    """Two attributions of overlapping content: the more confident one stays."""
    kept: list[Attribution] = []
    for attribution in sorted(attributions, key=lambda a: -a.confidence):
        if not any(attribution.content.overlaps(other.content) for other in kept):
            kept.append(attribution)
    return sorted(kept, key=lambda a: (a.content.start, a.content.end))


def _resolve(
    doc: Document, catalogue: Catalogue, phrases: Phrases, attributions: list[Attribution]
) -> list[Suggestion]:
    """Resolve every source left to right, interleaved with the other mentions of people and bodies."""
    resolver = SpeakerResolver(doc, catalogue, phrases)
    # Sources sort before other mentions at the same offset: a source is not its own antecedent.
    events: list[tuple[int, int, object]] = [
        (span.start, 1, (span, how, entity)) for span, how, entity in resolver.background_mentions()
    ]
    events += [(a.source.start if a.source else a.content.start, 0, a) for a in attributions]
    # A split quote's two parts share one source: it is resolved once.
    resolutions: dict[tuple[int, int], Resolution] = {}
    suggestions = []
    for _, _, event in sorted(events, key=lambda e: (e[0], e[1])):
        if not isinstance(event, Attribution):
            resolver.remember_background(*event)
            continue
        resolution = None
        if event.source is not None:
            key = (event.source.start, event.source.end)
            if key not in resolutions:
                resolutions[key] = resolver.resolve(event.source, event.source_roles, exclude=event.content)
            resolution = resolutions[key]
        suggestions.append(_suggestion(event, resolution))
    return sorted(suggestions, key=lambda s: (s.content.start, s.content.end))


def _suggestion(attribution: Attribution, resolution: Resolution | None) -> Suggestion:
    if resolution is None or resolution.name is None:
        return Suggestion(
            content=attribution.content,
            source=attribution.source,
            cue=attribution.cue,
            quote_type=attribution.quote_type,
            speaker_name=None,
            speaker_is_new=False,
            speaker_kind=resolution.kind if resolution else None,
            confidence=round(attribution.confidence * UNRESOLVED_TRUST, 2),
        )
    return Suggestion(
        content=attribution.content,
        source=attribution.source,
        cue=attribution.cue,
        quote_type=attribution.quote_type,
        speaker_name=resolution.name,
        speaker_is_new=resolution.is_new,
        speaker_kind=resolution.kind,
        confidence=round(attribution.confidence * SPEAKER_TRUST[resolution.how], 2),
    )
