"""The matching behind the agreement figures and the review page gives exactly what it gave when it
compared every pair of mentions: the earlier code is kept here as the reference, and hypothesis
compares the two on many small articles (spans crowded into a short text, so they overlap a lot,
nest, touch, repeat and tie). Cohen's kappa per pair of annotators likewise."""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.agreement import MentionLabel, cohen_kappa, mention_units, overlap_matches
from claims.agreement.coefficients import pairwise_cohen_kappa
from claims.agreement.spans import overlap_length

# --- the reference: the code before the sweep, unchanged --------------------------------------------------------------


def reference_overlap_matches(reference: Sequence[tuple[int, int]], prediction: Sequence[tuple[int, int]]) -> int:
    """Kuhn's augmenting paths over every overlapping pair, as spans.overlap_matches was."""
    neighbours = [[j for j, p in enumerate(prediction) if overlap_length(r, p) > 0] for r in reference]
    partner_of: dict[int, int] = {}

    def augment(root: int) -> bool:
        seen: set[int] = set()
        stack = [(root, iter(neighbours[root]))]
        taken: list[int] = []
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


@dataclass
class _Cluster:
    members: dict[str, int]
    start: int
    end: int


def reference_mention_units(mentions_by_annotator):
    """Every pair of mentions ranked, then clustered greedily, as units.mention_units was."""
    items = [
        (annotator, mention)
        for annotator in sorted(mentions_by_annotator)
        for mention in mentions_by_annotator[annotator]
    ]
    candidates = []
    for i, j in combinations(range(len(items)), 2):
        (a, x), (b, y) = items[i], items[j]
        shared = overlap_length((x.start, x.end), (y.start, y.end))
        if a != b and shared > 0:
            candidates.append((-shared, abs(x.start - y.start) + abs(x.end - y.end), i, j))
    clusters = {i: _Cluster({annotator: i}, mention.start, mention.end) for i, (annotator, mention) in enumerate(items)}
    cluster_of = list(range(len(items)))
    for *_, i, j in sorted(candidates):
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
    return sorted(units, key=lambda unit: min((m.start, m.end) for m in unit.values()))


def reference_pairwise_cohen_kappa(units):
    """Every pair of annotators times every unit, as coefficients.pairwise_cohen_kappa was."""
    annotators = sorted({annotator for unit in units for annotator in unit})
    result = []
    for a, b in combinations(annotators, 2):
        shared = [(unit[a], unit[b]) for unit in units if a in unit and b in unit]
        if shared:
            result.append({"annotators": [a, b], "kappa": cohen_kappa(shared), "n_units": len(shared)})
    return result


# --- inputs ----------------------------------------------------------------------------------------------------------

# Starts and lengths from a small range: many overlaps, nestings, shared boundaries and equal spans.
# A length of 0 (or a span running backwards) overlaps nothing; the database refuses both, the
# functions still take them.
spans = st.lists(st.tuples(st.integers(0, 25), st.integers(-1, 12)).map(lambda s: (s[0], s[0] + s[1])), max_size=12)


@st.composite
def articles(draw):
    """{annotator: mentions} for one article; every mention's speaker_id is its serial number, so two
    equal spans are told apart and a unit holding the other copy is a different answer."""
    names = draw(st.lists(st.sampled_from(["ana", "ben", "cat", "dan", "gold"]), min_size=1, max_size=4, unique=True))
    serial = 0
    article = {}
    for name in names:
        article[name] = []
        for start, end in draw(spans):
            serial += 1
            article[name].append(MentionLabel(start, end, speaker_id=serial))
    return article


# --- the comparisons -------------------------------------------------------------------------------------------------


@settings(max_examples=1500, deadline=None)
@given(spans, spans)
def test_overlap_matches_equals_the_augmenting_path_maximum(reference, prediction):
    assert overlap_matches(reference, prediction) == reference_overlap_matches(reference, prediction)


@settings(max_examples=1500, deadline=None)
@given(articles())
def test_mention_units_equal_those_of_the_pairwise_greedy(article):
    assert mention_units(article) == reference_mention_units(article)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from("abcdef"), st.sampled_from(["x", "y", "z"]), max_size=6), max_size=20))
def test_pairwise_cohen_kappa_equals_that_of_every_pair_over_every_unit(units):
    assert pairwise_cohen_kappa(units) == reference_pairwise_cohen_kappa(units)


def test_equal_spans_of_one_annotator_pair_with_the_other_annotators_copies_in_order():
    article = {
        "ana": [MentionLabel(0, 10, speaker_id=1), MentionLabel(0, 10, speaker_id=2)],
        "ben": [MentionLabel(0, 10, speaker_id=3), MentionLabel(0, 10, speaker_id=4)],
    }
    units = mention_units(article)
    assert [{name: m.speaker_id for name, m in unit.items()} for unit in units] == [
        {"ana": 1, "ben": 3},
        {"ana": 2, "ben": 4},
    ]
    assert units == reference_mention_units(article)
