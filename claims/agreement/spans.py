"""Agreement on where the content spans are, between pairs of annotators (plain Python data).

Spans are half-open code point ranges `(start, end)` into the article body (DESIGN.md). Each
annotator pair `[a, b]` (usernames in alphabetical order) is compared over the articles both
submitted, with a as the reference and b as the prediction: precision = matched / spans of b,
recall = matched / spans of a; F1 = 2 * matched / (spans of a + spans of b) is symmetric. Matches
and spans are pooled over the pair's articles before dividing.

Matching is one-to-one in both modes: `exact` pairs spans with equal start and end; `overlap`
pairs spans sharing at least one code point and takes a maximum matching, so one long span that
overlaps two short ones matches only one of them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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

    Kuhn's augmenting paths: a reference span takes a free overlapping prediction span, or one
    whose current partner can move to another. Greedy matching can miss the maximum (a long span
    taking the only partner of a short one), this cannot; articles have few spans, so O(V * E) is cheap.
    """
    neighbours = [[j for j, p in enumerate(prediction) if overlap_length(r, p) > 0] for r in reference]
    partner_of: dict[int, int] = {}  # prediction index -> reference index

    def augment(root: int) -> bool:
        # Depth-first search for a free prediction span, with an explicit stack: a chain of spans each
        # overlapping the next is as deep as it is long, past Python's recursion limit.
        seen: set[int] = set()
        stack = [(root, iter(neighbours[root]))]  # reference spans on the path, with what is left to try
        taken: list[int] = []  # the prediction span each level of the path moves to
        while stack:
            _, untried = stack[-1]
            for j in untried:
                if j in seen:
                    continue
                seen.add(j)
                taken.append(j)
                if j not in partner_of:
                    for (reference_index, _), prediction_index in zip(stack, taken, strict=True):
                        partner_of[prediction_index] = reference_index
                    return True
                stack.append((partner_of[j], iter(neighbours[partner_of[j]])))
                break
            else:
                stack.pop()
                if taken:
                    taken.pop()
        return False

    return sum(augment(i) for i in range(len(reference)))


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
