"""Stance labels in the standard formats: each project label maps to a value of the format
(StanceLabel.fnc1 / .emergent / .semeval), "omit" leaves its rows out, and a blank mapping means
the project never declared one: the export refuses (claims.services.exports) instead of guessing."""

from __future__ import annotations

from .query import WORK

# The article stances (FNC-1, Emergent) in the export, joined from assignment `a` of article `ar`,
# with `l` the stance's label and `c` its claim.
ARTICLE_STANCES_FROM_ASSIGNMENT = """
      JOIN claims_articlestance st ON st.assignment_id = a.id
      JOIN claims_claim c ON c.id = st.claim_id
      JOIN claims_stancelabel l ON l.project_id = ar.project_id AND l.value = st.stance"""


def mapped(mapping: str) -> str:
    """Rows whose label has a value in the format (not omitted); `mapping` is a StanceLabel field."""
    assert mapping in ("fnc1", "emergent", "semeval")
    return f"l.{mapping} NOT IN ('', 'omit')"


def article_stance_rows(mapping: str) -> str:
    """FROM … WHERE of the export's article stances that the format keeps."""
    return f"""
      FROM claims_article ar
      JOIN claims_assignment a ON a.article_id = ar.id
      JOIN auth_user u ON u.id = a.annotator_id
      {ARTICLE_STANCES_FROM_ASSIGNMENT}
     WHERE {WORK} AND {mapped(mapping)}"""
