"""Agreement on where the content spans are, between pairs of annotators (plain Python data).

Spans are half-open code point ranges `(start, end)` into the article body (docs/offsets.md). Each
annotator pair `[a, b]` (usernames in alphabetical order) is compared over the articles both
submitted, with a as the reference and b as the prediction: precision = matched / spans of b,
recall = matched / spans of a; F1 = 2 * matched / (spans of a + spans of b) is symmetric. Matches
and spans are pooled over the pair's articles before dividing.

Matching is one-to-one in both modes: `exact` pairs spans with equal start and end; `overlap`
pairs spans sharing at least one code point and takes a maximum matching, so one long span that
overlaps two short ones matches only one of them. Both take O(n log n) per article and pair.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from heapq import heappop, heappush
from itertools import combinations

Span = tuple[int, int]

FIGURES = ("precision", "recall", "f1_exact", "precision_overlap", "recall_overlap", "f1_overlap")


def overlap_length(x: Span, y: Span) -> int:
    """Code points two spans share (0 when they are disjoint or only touch)."""
    return max(0, min(x[1], y[1]) - max(x[0], y[0]))


def exact_matches(reference: Sequence[Span], prediction: Sequence[Span]) -> int:
    """Spans of both with equal start and end, each span used once (a duplicated span counts once per copy)."""
    return sum((Counter(reference) & Counter(prediction)).values())


def overlap_matches(reference: Sequence[Span], prediction: Sequence[Span]) -> int:
    """Size of a maximum one-to-one matching between spans that overlap by at least one code point.

    One sweep in order of end, O(n log n): the span that ends first takes, of the other side's
    free spans that overlap it, the one that ends first; a span with none stays unmatched. That is
    a maximum: every span overlapping the first-ending one contains its last code point and ends no
    earlier, so in any maximum matching the partners of the two can be swapped. Greedy by start, or
    by overlap, can miss the maximum (a long span taking the only partner of a short one).
    """
    spans = [(start, end, side) for side, group in enumerate((reference, prediction)) for start, end in group]
    spans = [span for span in spans if span[0] < span[1]]  # an empty span overlaps nothing
    by_start = sorted(range(len(spans)), key=lambda k: spans[k][0])
    started: tuple[list, list] = ([], [])  # per side: (end, index) of spans begun before the current end
    done = [False] * len(spans)  # matched, or passed with no partner left
    matches = next_start = 0
    for k in sorted(range(len(spans)), key=lambda k: spans[k][1]):
        _, end, side = spans[k]
        while next_start < len(by_start) and spans[by_start[next_start]][0] < end:
            begun = by_start[next_start]
            heappush(started[spans[begun][2]], (spans[begun][1], begun))
            next_start += 1
        if done[k]:
            continue
        done[k] = True
        others = started[1 - side]
        while others and done[others[0][1]]:
            heappop(others)
        if others:  # not done, so it ends no earlier than span k, and began before span k ends
            done[heappop(others)[1]] = True
            matches += 1
    return matches


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass
class PairCounts:
    """Spans and matches of one annotator pair, pooled over the articles both submitted."""

    n_articles: int = 0
    n_reference: int = 0
    n_prediction: int = 0
    exact: int = 0
    overlap: int = 0

    def add(self, reference: Sequence[Span], prediction: Sequence[Span]) -> None:
        self.n_articles += 1
        self.n_reference += len(reference)
        self.n_prediction += len(prediction)
        self.exact += exact_matches(reference, prediction)
        self.overlap += overlap_matches(reference, prediction)

    def figures(self) -> dict[str, float | None]:
        """P/R/F1 for both modes; None where a denominator is 0 (no span on that side)."""
        both = self.n_reference + self.n_prediction
        return {
            "precision": _ratio(self.exact, self.n_prediction),
            "recall": _ratio(self.exact, self.n_reference),
            "f1_exact": _ratio(2 * self.exact, both),
            "precision_overlap": _ratio(self.overlap, self.n_prediction),
            "recall_overlap": _ratio(self.overlap, self.n_reference),
            "f1_overlap": _ratio(2 * self.overlap, both),
        }


def _mean(values: list[float | None]) -> float | None:
    defined = [value for value in values if value is not None]
    return sum(defined) / len(defined) if defined else None


def span_agreement(spans_by_article: Mapping[object, Mapping[str, Sequence[Span]]]) -> dict:
    """Pairwise span P/R/F1 for every annotator pair that submitted at least one article in common.

    `spans_by_article` maps each article to {annotator: that annotator's content spans}; an
    annotator who submitted the article without marking anything maps to an empty list.
    `mean` averages each figure over the pairs where it is defined.
    """
    counts: dict[tuple[str, str], PairCounts] = {}
    for by_annotator in spans_by_article.values():
        for a, b in combinations(sorted(by_annotator), 2):
            counts.setdefault((a, b), PairCounts()).add(by_annotator[a], by_annotator[b])
    pairs = [
        {
            "annotators": [a, b],
            "n_articles": pair.n_articles,
            "n_spans": [pair.n_reference, pair.n_prediction],
            "matches_exact": pair.exact,
            "matches_overlap": pair.overlap,
            **pair.figures(),
        }
        for (a, b), pair in sorted(counts.items())
    ]
    return {
        "orientation": "in pairs [a, b], a is the reference and b the prediction; F1 is symmetric",
        "mean": {figure: _mean([pair[figure] for pair in pairs]) for figure in FIGURES},
        "pairs": pairs,
    }
