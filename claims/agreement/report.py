"""The agreement report of a project: loads submitted work, then computes every layer from plain values."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from claims.models import Project

from .coefficients import categorical_agreement
from .loading import load_submissions
from .spans import span_agreement
from .submissions import Submission
from .units import MENTION_LAYERS, article_stance_units, mention_layer_units, mention_units

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Shipped with every report so a reader of the figures knows what was compared with what.
MATCHING = {
    "span_exact": "two content spans match when their start and end are equal; one-to-one",
    "span_overlap": (
        "two content spans match when they share at least one code point; one-to-one, maximum number of matches"
    ),
    "span_orientation": (
        "in pairs [a, b] a is the reference and b the prediction: precision = matched / spans of b, "
        "recall = matched / spans of a; F1 is symmetric; pooled over the articles both submitted"
    ),
    "mention_units": (
        "per article, the content spans of all annotators are clustered into units of at most one mention "
        "per annotator that all share at least one code point, joining overlapping mentions of different "
        "annotators by greatest overlap first; an annotator without a mention in a unit is a missing value. "
        "An article whose mentions overlap in more pairs than 20 per mention (plus 10,000), which only spans "
        "stacked on purpose do, is clustered by identical spans only and listed in articles_matched_exactly"
    ),
    "mention_values": (
        "speaker id ('none' when the mention has no speaker: the outlet's own claim), stance ('none' when unset), "
        "quote type, claim id ('none' when unlinked)"
    ),
    "article_stance_units": (
        "one unit per (article, claim); the value is the annotator's article stance toward that claim, "
        "missing when they set none"
    ),
}

DEFINITIONS = {
    "n_units": "units with at least two values",
    "krippendorff_alpha_nominal": "Krippendorff's alpha, nominal, over all units; missing values allowed",
    "fleiss_kappa": "Fleiss' kappa, defined only when every unit with at least two values has the same number",
    "cohen_kappa": "per annotator pair, over the units both labelled",
    "percent_agreement": "mean over units with at least two values of the share of annotator pairs that agree",
    "confusion": "Krippendorff's coincidence matrix: each ordered pair of values in a unit of m values adds 1/(m-1)",
}


def agreement_report(submissions: Sequence[Submission]) -> dict:
    """Every agreement layer of these submissions; pure, so it is testable without the database."""
    by_article: dict[int, dict[str, Submission]] = defaultdict(dict)
    for submission in submissions:
        by_article[submission.article_id][submission.annotator] = submission
    units = []
    matched_exactly = []
    for article_id, article in by_article.items():
        article_units = mention_units({annotator: work.mentions for annotator, work in article.items()})
        units.extend(article_units)
        if article_units.exact_only:
            matched_exactly.append(article_id)
    spans = {
        article_id: {annotator: [(m.start, m.end) for m in work.mentions] for annotator, work in article.items()}
        for article_id, article in by_article.items()
    }
    return {
        "annotators": sorted({submission.annotator for submission in submissions}),
        "n_articles": len(by_article),
        "n_submissions": len(submissions),
        "articles_matched_exactly": sorted(matched_exactly),
        "matching": MATCHING,
        "definitions": DEFINITIONS,
        "mention_spans": span_agreement(spans),
        **{layer: categorical_agreement(mention_layer_units(units, layer)) for layer in MENTION_LAYERS},
        "article_stance": categorical_agreement(article_stance_units(submissions)),
    }


def project_agreement(
    *,
    project: Project,
    annotators: list[User] | None = None,
    submitted_from: datetime | None = None,
    submitted_to: datetime | None = None,
) -> dict:
    """Agreement figures of the project's submitted, non-gold work, as a JSON-serialisable dict.

    Optionally only these annotators' work, and only work submitted in [submitted_from, submitted_to).
    Three queries, however many articles. Undefined figures are None (JSON null), never NaN.
    """
    submissions = load_submissions(
        project=project, annotators=annotators, submitted_from=submitted_from, submitted_to=submitted_to
    )
    return {
        "project": project.pk,
        "filters": {
            "annotators": None if annotators is None else sorted(user.get_username() for user in annotators),
            "submitted_from": submitted_from.isoformat() if submitted_from else None,
            "submitted_to": submitted_to.isoformat() if submitted_to else None,
        },
        **agreement_report(submissions),
    }
