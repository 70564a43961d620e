"""Agreement coefficients for nominal labels, computed from plain Python data (no database).

A *unit* is one thing several annotators may label (a matched mention, an article-claim pair): a
mapping from annotator to the value that annotator gave. An annotator absent from the mapping did
not label the unit: a missing value. Only units with at least two values ("pairable" units) carry
information about agreement, so every figure here is computed over those.

Every function answers None where its formula is undefined (no pairable unit, or no variation
to correct for chance, where the formula would divide by zero), so callers never see NaN.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

import krippendorff

Unit = Mapping[str, str]


def pairable_units(units: Iterable[Unit]) -> list[Unit]:
    """The units that at least two annotators labelled."""
    return [unit for unit in units if len(unit) >= 2]


def _finite(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


# The value of a field left unset: a stance label is a slug and an id a number, so no label can be
# "(none)" (a project may well call a stance label "none").
UNSET = "(none)"


def sorted_labels(labels: Iterable[str]) -> list[str]:
    """Labels in a stable order for display: ids numerically, then words alphabetically, unset last."""
    return sorted(
        set(labels),
        key=lambda label: (label == UNSET, not label.isdigit(), int(label) if label.isdigit() else 0, label),
    )


def krippendorff_alpha_nominal(units: Iterable[Unit]) -> float | None:
    """Krippendorff's alpha for nominal data: any number of annotators, missing values allowed.

    The `krippendorff` package computes it from the pairable units' value counts. None when no unit
    has two values, or when all pairable values are one label (the expected disagreement is 0).
    """
    units = pairable_units(units)
    labels = sorted_labels(value for unit in units for value in unit.values())
    if len(labels) < 2:
        return None
    column = {label: i for i, label in enumerate(labels)}
    value_counts = [[0] * len(labels) for _ in units]
    for row, unit in zip(value_counts, units, strict=True):
        for value in unit.values():
            row[column[value]] += 1
    return _finite(krippendorff.alpha(value_counts=value_counts, level_of_measurement="nominal"))


def fleiss_kappa(units: Iterable[Unit]) -> float | None:
    """Fleiss' kappa over the pairable units, defined only when each has the same number of ratings.

    None when there is no pairable unit, when they have unequal numbers of ratings (Fleiss' kappa
    assumes a fixed number of raters per subject; use alpha then), or when every rating is one label.
    """
    units = pairable_units(units)
    sizes = {len(unit) for unit in units}
    if len(sizes) != 1:
        return None
    (raters,) = sizes
    per_unit = [Counter(unit.values()) for unit in units]
    totals: Counter[str] = Counter()
    for counts in per_unit:
        totals.update(counts)
    if len(totals) < 2:
        return None
    ratings = raters * len(units)
    expected = sum((total / ratings) ** 2 for total in totals.values())
    observed = sum(sum(n * (n - 1) for n in counts.values()) / (raters * (raters - 1)) for counts in per_unit) / len(
        units
    )
    return _finite((observed - expected) / (1 - expected))


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two annotators from their (first, second) labels of the units both labelled.

    None when there is no pair, or when both used one and the same label throughout (the chance
    agreement is then 1 and kappa divides by zero).
    """
    if not pairs:
        return None
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    if len(first.keys() | second.keys()) < 2:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    expected = sum(first[label] * second[label] for label in first) / n**2
    return _finite((observed - expected) / (1 - expected))


def pairwise_cohen_kappa(units: Sequence[Unit]) -> list[dict]:
    """Cohen's kappa for every pair of annotators (usernames in order) that labelled at least one unit in common.

    Each unit hands its values to the pairs of annotators in it: the work is the pairs within units,
    not every pair of the project's annotators times every unit.
    """
    shared: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for unit in units:
        for a, b in combinations(sorted(unit), 2):
            shared[a, b].append((unit[a], unit[b]))
    return [
        {"annotators": [a, b], "kappa": cohen_kappa(pairs), "n_units": len(pairs)}
        for (a, b), pairs in sorted(shared.items())
    ]


def percent_agreement(units: Iterable[Unit]) -> float | None:
    """Mean over pairable units of the share of annotator pairs in the unit that gave the same value."""
    units = pairable_units(units)
    if not units:
        return None
    shares = []
    for unit in units:
        m = len(unit)
        agreeing = sum(n * (n - 1) for n in Counter(unit.values()).values())
        shares.append(agreeing / (m * (m - 1)))
    return sum(shares) / len(shares)


def coincidence_matrix(units: Iterable[Unit]) -> dict:
    """Krippendorff's coincidence matrix of the pairable units, the data alpha is computed from.

    Within a unit with m values, each ordered pair of values from two different annotators adds
    1 / (m - 1) to cell [first][second]. The matrix is symmetric, a row sums to the number of
    pairable values with that label, and disagreements are the off-diagonal cells. With two
    annotators it is simply their label-by-label table counted in both directions.
    """
    units = pairable_units(units)
    labels = sorted_labels(value for unit in units for value in unit.values())
    row = {label: i for i, label in enumerate(labels)}
    matrix = [[0.0] * len(labels) for _ in labels]
    for unit in units:
        counts = Counter(unit.values())
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                ordered_pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                matrix[row[c]][row[k]] += ordered_pairs / (len(unit) - 1)
    return {"labels": labels, "matrix": matrix}


def categorical_agreement(units: Sequence[Unit]) -> dict:
    """Every figure of one categorical layer, as JSON-ready values."""
    return {
        "n_units": len(pairable_units(units)),
        "krippendorff_alpha_nominal": krippendorff_alpha_nominal(units),
        "fleiss_kappa": fleiss_kappa(units),
        "cohen_kappa": pairwise_cohen_kappa(units),
        "percent_agreement": percent_agreement(units),
        "confusion": coincidence_matrix(units),
    }
