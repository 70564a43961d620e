"""Emergent (Ferreira & Vlachos, 2016): one CSV row per article stance toward a tracked claim,
columns `claimId, claimHeadline, articleId, articleHeadline, articleHeadlineStance, articleBody,
articleUrl, source` (plus `split` when asked for).

The stance is the article's own stance (ArticleStance) mapped through StanceLabel.emergent to
for / against / observing. Emergent labels the headline's stance separately from the body's; we
label the article as a whole, so articleHeadlineStance holds that one stance.
"""

from __future__ import annotations

from collections.abc import Iterator

from .labels import article_stance_rows
from .query import ARTICLES, ExportQuery, in_part, split_key, split_of
from .streaming import CSV_WITH_HEADER, ExportStats, copy_rows

CONTENT_TYPE = "text/csv; charset=utf-8"
EXTENSION = "csv"
PER_ARTICLE = False
MAPPING = "emergent"


def statement(query: ExportQuery) -> str:
    split = f', {split_of(split_key(query))} AS "split"' if query.split else ""
    return f"""
    SELECT c.id AS "claimId", c.text AS "claimHeadline", ar.id AS "articleId", ar.title AS "articleHeadline",
           l.emergent AS "articleHeadlineStance", ar.body AS "articleBody", ar.url AS "articleUrl",
           ar.source AS "source"{split}
    {article_stance_rows(MAPPING)} AND {ARTICLES} AND {in_part(split_key(query))}
     ORDER BY c.id, ar.id, a.is_gold DESC, u.username, a.id"""


def stream(*, cursor, query: ExportQuery, stats: ExportStats) -> Iterator[bytes]:
    rows = copy_rows(cursor, statement(query), query.params(), CSV_WITH_HEADER)
    yield next(rows)
    for row in rows:
        stats.records += 1
        yield row
