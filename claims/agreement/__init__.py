"""Inter-annotator agreement of a project, layer by layer (the figures behind /api/projects/{id}/agreement/).

`project_agreement()` reads the project's submitted, non-gold work (loading.py, a constant number of
queries) and computes from plain values (everything else, testable without the database):

- `mention_spans`: pairwise precision / recall / F1 of content spans, exact and overlapping (spans.py);
- `mention_speaker`, `mention_stance`, `mention_quote_type`, `mention_claim`: categorical agreement on
  mentions matched across annotators into units (units.py);
- `article_stance`: categorical agreement on the article's stance per (article, claim).

Matching of mentions: per article, all annotators' content spans are clustered into units of at most
one mention per annotator that all share at least one code point, by greatest overlap first; an
annotator without a mention in a unit is a missing value. Each categorical layer reports Krippendorff's
alpha (nominal), Fleiss' kappa where defined, Cohen's kappa per pair, percent agreement and a coincidence matrix
(coefficients.py). Undefined figures are None, never NaN. Annotators are named by username.
"""

from .coefficients import (
    categorical_agreement,
    cohen_kappa,
    coincidence_matrix,
    fleiss_kappa,
    krippendorff_alpha_nominal,
    percent_agreement,
)
from .report import agreement_report, project_agreement
from .spans import exact_matches, overlap_matches, span_agreement
from .submissions import MentionLabel, Submission
from .units import article_stance_units, mention_units

__all__ = [
    "MentionLabel",
    "Submission",
    "agreement_report",
    "article_stance_units",
    "categorical_agreement",
    "cohen_kappa",
    "coincidence_matrix",
    "exact_matches",
    "fleiss_kappa",
    "krippendorff_alpha_nominal",
    "mention_units",
    "overlap_matches",
    "percent_agreement",
    "project_agreement",
    "span_agreement",
]
