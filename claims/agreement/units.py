"""Turning annotations into units for the categorical layers (plain Python data).

Mentions: within one article, the content spans of all annotators are clustered into units. A
unit holds at most one mention per annotator, and all its mentions share at least one code point.
Candidate pairs (two mentions by different annotators that overlap) are taken by greatest overlap
first (ties: closer boundaries first, then text order); each joins the two mentions' units when
that keeps one mention per annotator and a common code point. A mention left alone is a unit of
its own. An annotator with no mention in a unit is a missing value there.

Only the overlapping pairs are found and ranked (a sweep over starts), not every pair of mentions:
O(n log n + p log p) for n mentions and p overlapping pairs of different annotators' mentions. For
real annotations p grows like n (a mention overlaps a few of another annotator's); one annotator's
mentions alone make no pair at all. Spans nested or stacked on purpose can make p grow like n²
(two annotators' 4,000 nested spans: 16 million pairs), so an article whose pairs pass
pair_budget(n) is clustered by identical spans only, in O(n log n), and says so (`exact_only`).

Article stances: one unit per (article, claim) that anyone gave a stance for; an annotator who
gave none for that claim is a missing value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from heapq import heappop, heappush

from .coefficients import UNSET
from .submissions import MentionLabel, Submission

MentionUnit = dict[str, MentionLabel]


def _label(value: object) -> str:
    """A unit value: ids as strings, so every layer's labels are one type; unset is UNSET."""
    return UNSET if value is None else str(value)


# What each mention layer compares, read off the mentions matched into one unit.
MENTION_LAYERS: dict[str, Callable[[MentionLabel], str]] = {
    "mention_speaker": lambda mention: _label(mention.speaker_id),
    "mention_stance": lambda mention: _label(mention.stance),
    "mention_quote_type": lambda mention: _label(mention.quote_type),
    "mention_claim": lambda mention: _label(mention.claim_id),
}


def pair_budget(mentions: int) -> int:
    """The most overlapping pairs one article's clustering ranks: far above what real annotations
    make (a few per mention), far below what stacked spans can (one per pair of mentions)."""
    return 20 * mentions + 10_000


class TooEntangled(Exception):
    """An article's mentions overlap in more pairs than pair_budget allows."""


class MentionUnits(list):
    """An article's units; `exact_only` when its mentions were too entangled to cluster by overlap."""

    exact_only = False


@dataclass
class _Cluster:
    members: dict[str, int]  # annotator -> index of their mention
    start: int  # the code points every member shares: [start, end)
    end: int


def _overlapping_pairs(items: Sequence[tuple[str, MentionLabel]], budget: int) -> list[tuple[int, int, int, int]]:
    """Each pair of mentions by different annotators that share a code point, ranked as the module
    docstring says: (-shared code points, distance of the boundaries, i, j) with i < j.

    A sweep in order of start keeps, per annotator, the mentions still open (a heap by end), and
    pairs each mention only with the other annotators' open ones: O(n log n + pairs), where
    comparing every pair of mentions was O(n²) even for one annotator alone. Raises TooEntangled
    past `budget` pairs, having done O(n log n + budget) work.
    """
    open_by: dict[str, list[tuple[int, int]]] = {}  # annotator -> (end, index) of mentions begun and not ended
    pairs = []
    for j in sorted(range(len(items)), key=lambda index: items[index][1].start):
        annotator, y = items[j]
        for other, still_open in open_by.items():
            if other == annotator:
                continue
            while still_open and still_open[0][0] <= y.start:
                heappop(still_open)
            for _, i in still_open:  # began no later than y and ends after y starts
                x = items[i][1]
                shared = min(x.end, y.end) - max(x.start, y.start)
                if shared > 0:
                    distance = abs(x.start - y.start) + abs(x.end - y.end)
                    pairs.append((-shared, distance, i, j) if i < j else (-shared, distance, j, i))
            if len(pairs) > budget:
                raise TooEntangled
        heappush(open_by.setdefault(annotator, []), (y.end, j))
    return pairs


def _identical_span_units(items: Sequence[tuple[str, MentionLabel]]) -> MentionUnits:
    """Units of mentions with the very same span, one per annotator (the first in their order)."""
    by_span: dict[tuple[int, int], list[MentionUnit]] = {}
    for annotator, mention in items:
        units = by_span.setdefault((mention.start, mention.end), [])
        unit = next((unit for unit in units if annotator not in unit), None)
        if unit is None:
            units.append(unit := {})
        unit[annotator] = mention
    result = MentionUnits(unit for _, units in sorted(by_span.items()) for unit in units)
    result.exact_only = True
    return result


def mention_units(mentions_by_annotator: Mapping[str, Sequence[MentionLabel]]) -> MentionUnits:
    """Cluster one article's mentions into units (see the module docstring), in text order."""
    items = [
        (annotator, mention)
        for annotator in sorted(mentions_by_annotator)
        for mention in mentions_by_annotator[annotator]
    ]
    try:
        pairs = _overlapping_pairs(items, pair_budget(len(items)))
    except TooEntangled:
        return _identical_span_units(items)
    clusters = {i: _Cluster({annotator: i}, mention.start, mention.end) for i, (annotator, mention) in enumerate(items)}
    cluster_of = list(range(len(items)))
    for *_, i, j in sorted(pairs):
        first, second = clusters[cluster_of[i]], clusters[cluster_of[j]]
        start, end = max(first.start, second.start), min(first.end, second.end)
        if first is second or first.members.keys() & second.members.keys() or start >= end:
            continue
        first.members.update(second.members)
        first.start, first.end = start, end
        del clusters[cluster_of[j]]
        for member in second.members.values():
            cluster_of[member] = cluster_of[i]
    units = [{annotator: items[i][1] for annotator, i in cluster.members.items()} for cluster in clusters.values()]
    return MentionUnits(sorted(units, key=lambda unit: min((m.start, m.end) for m in unit.values())))


def mention_layer_units(article_units: Sequence[MentionUnit], layer: str) -> list[dict[str, str]]:
    """The values of one mention layer (a key of MENTION_LAYERS) in each unit."""
    value_of = MENTION_LAYERS[layer]
    return [{annotator: value_of(mention) for annotator, mention in unit.items()} for unit in article_units]


def article_stance_units(submissions: Sequence[Submission]) -> list[dict[str, str]]:
    """One unit per (article, claim) with any stance: {annotator: stance}."""
    units: dict[tuple[int, int], dict[str, str]] = {}
    for submission in submissions:
        for claim_id, stance in submission.article_stances.items():
            units.setdefault((submission.article_id, claim_id), {})[submission.annotator] = stance
    return [units[key] for key in sorted(units)]
