"""The pre-annotator: find attributions in an article body and resolve their speakers."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from .cues import find_cues
from .document import Document
from .noun_phrases import Phrases
from .quotes import CONFIDENCE as QUOTE_CONFIDENCE
from .quotes import DirectQuotes, quote_content
from .reported_speech import ReportedSpeech
from .speakers import Catalogue, Resolution, SpeakerResolver
from .suggestions import Attribution, Span, Suggestion

# How much a speaker found in each way is trusted, relative to the pattern's own confidence.
SPEAKER_TRUST = {"catalogue": 1.0, "history": 0.9, "pronoun": 0.9, "new": 0.85}
UNRESOLVED_TRUST = 0.6


def preannotate(body: str, *, speakers: Catalogue | Iterable[dict] = ()) -> list[Suggestion]:
    """Suggested claim mentions for an English news article, in text order.

    `speakers` is the project's catalogue: dicts with "name", "kind" and "aliases" (and
    optionally "role"), or a `Catalogue` of them built once for many articles. Every span
    satisfies `body[start:end] == text`. The time it takes grows linearly with the body.
    """
    catalogue = speakers if isinstance(speakers, Catalogue) else Catalogue(speakers)
    doc = Document(body)
    cues = find_cues(doc)
    phrases = Phrases(doc, [cue.span for cue in cues])
    direct = DirectQuotes(doc, phrases, cues)
    attributions = direct.find()
    attributions += ReportedSpeech(doc, phrases, cues, direct.used_cues).find()
    attributions = _without_nested(attributions)
    attributions += _continuations(doc, direct, attributions)
    attributions = _without_overlaps(attributions)
    return _resolve(doc, catalogue, phrases, attributions)


def _without_nested(attributions: list[Attribution]) -> list[Attribution]:
    """'X said a Lumera engineer had told him that C': keep the innermost attribution only.

    An attribution is nested when an indirect source starts in the first three characters of its content
    and ends inside it; the shortest source starting at each offset is all that needs remembering.
    """
    shortest: dict[int, int] = {}
    for a in attributions:
        if a.source is not None and a.quote_type != "direct":
            shortest[a.source.start] = min(shortest.get(a.source.start, a.source.end), a.source.end)
    return [
        attribution
        for attribution in attributions
        if not any(
            shortest.get(start, attribution.content.end + 1) <= attribution.content.end
            for start in range(attribution.content.start, attribution.content.start + 3)
        )
    ]


def _continuations(doc: Document, direct: DirectQuotes, attributions: list[Attribution]) -> list[Attribution]:
    """A quoted sentence with no speaker next to it continues the latest attribution of its paragraph,
    or of the previous paragraph when that one ends inside an unclosed quotation (a quote that runs on).
    """
    latest = _Latest([a for a in attributions if a.source is not None])
    unclosed = [q.open for q in doc.quotations if q.close is None]
    last_unclosed = unclosed[-1] if unclosed else -1
    found = []
    for quotation in direct.unattributed:
        content = quote_content(doc, quotation)
        position = quotation.open
        paragraph_start, _ = doc.paragraph_at(position)
        before = latest.starting_within(paragraph_start, position)
        if before is None and paragraph_start == position and paragraph_start > 0:
            previous_start, previous_end = doc.paragraph_at(paragraph_start - 1)
            if last_unclosed >= previous_start:  # an unclosed quotation from the previous paragraph on
                before = latest.starting_within(previous_start, previous_end)
        if before is not None and content is not None:
            found.append(
                Attribution(
                    content, before.source, before.cue, "direct", QUOTE_CONFIDENCE["continuation"], "continuation"
                )
            )
    return found


class _Latest:
    """Attributions by where their content starts: the latest one starting in a stretch (the first of a tie)."""

    def __init__(self, attributions: list[Attribution]):
        self._attributions = sorted(attributions, key=lambda a: a.content.start)  # stable: ties keep their order
        self._starts = [a.content.start for a in self._attributions]

    def starting_within(self, start: int, end: int) -> Attribution | None:
        index = bisect_left(self._starts, end) - 1
        if index < 0 or self._starts[index] < start:
            return None
        return self._attributions[bisect_left(self._starts, self._starts[index])]


def _without_overlaps(attributions: list[Attribution]) -> list[Attribution]:
    """Two attributions of overlapping content: the more confident one stays (the earlier found of a tie)."""
    kept: list[Attribution] = []
    taken = _Disjoint(max((a.content.end for a in attributions), default=0))
    for attribution in sorted(attributions, key=lambda a: -a.confidence):
        if not taken.overlaps(attribution.content.start, attribution.content.end):
            taken.add(attribution.content.start, attribution.content.end)
            kept.append(attribution)
    return sorted(kept, key=lambda a: (a.content.start, a.content.end))


class _Disjoint:
    """Disjoint stretches of the body, added in any order, asked whether a new stretch overlaps one.

    Only the stretch that starts last before the new one ends can overlap it (the stretches are disjoint, so
    their ends come in the order of their starts); a Fenwick tree over the offsets counts and finds starts.
    """

    def __init__(self, size: int):
        self._tree = [0] * (size + 1)
        self._ends: dict[int, int] = {}
        self._top = 1 << size.bit_length()

    def add(self, start: int, end: int) -> None:
        self._ends[start] = end
        index = start + 1
        while index < len(self._tree):
            self._tree[index] += 1
            index += index & -index

    def overlaps(self, start: int, end: int) -> bool:
        count, index = 0, end  # how many stretches start before `end`
        while index > 0:
            count += self._tree[index]
            index -= index & -index
        if count == 0:
            return False
        position, step = 0, self._top  # the count-th start: the last one before `end`
        while step:
            if position + step < len(self._tree) and self._tree[position + step] < count:
                position += step
                count -= self._tree[position]
            step >>= 1
        return self._ends[position] > start


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
        suggestions.append(_suggestion(doc.body, event, resolution))
    return sorted(suggestions, key=lambda s: (s.content.start, s.content.end))


def _suggestion(body: str, attribution: Attribution, resolution: Resolution | None) -> Suggestion:
    content = Span.of(body, attribution.content.start, attribution.content.end)
    if resolution is None or resolution.name is None:
        return Suggestion(
            content=content,
            source=attribution.source,
            cue=attribution.cue,
            quote_type=attribution.quote_type,
            speaker_name=None,
            speaker_is_new=False,
            speaker_kind=resolution.kind if resolution else None,
            confidence=round(attribution.confidence * UNRESOLVED_TRUST, 2),
        )
    return Suggestion(
        content=content,
        source=attribution.source,
        cue=attribution.cue,
        quote_type=attribution.quote_type,
        speaker_name=resolution.name,
        speaker_is_new=resolution.is_new,
        speaker_kind=resolution.kind,
        confidence=round(attribution.confidence * SPEAKER_TRUST[resolution.how], 2),
    )
