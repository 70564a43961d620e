"""Emergent (Ferreira & Vlachos, 2016): one CSV row per article stance toward a tracked claim, in the
layout of the published `url-versions-2015-06-14-clean.csv`: a first column without a name (the row
index, which readers load with `index_col=0`), then `claimHeadline, articleHeadline,
articleHeadlineStance, articleId, claimId`; after them `articleBody, articleUrl, source` (the full
dataset's fields, where we have them) and `split` when asked for. Readers pick columns by name, so
the extra ones change nothing for them.

The stance is the article's own stance (ArticleStance) mapped through StanceLabel.emergent to
for / against / observing. Emergent labels the headline's stance separately from the body's; we
label the article as a whole, so articleHeadlineStance holds that one stance. Rows come in the
order their (claim, article) pairs were first stored (an imported file's order); the index column
numbers them from 0. articleId is the
article's external_id; claimId is the claim's Emergent id when the article was imported from
Emergent (kept in its metadata, `emergent_claim_ids`: claim text → id), otherwise the claim's id.
"""

from __future__ import annotations

from collections.abc import Iterator

from claims.imports.emergent import CLAIM_IDS_KEY

from .labels import article_stance_rows
from .query import ARTICLES, ExportQuery, in_part, split_key, split_of
from .streaming import CSV, ExportStats, copy_rows

CONTENT_TYPE = "text/csv; charset=utf-8"
EXTENSION = "csv"
PER_ARTICLE = False
MAPPING = "emergent"

COLUMNS = ("", "claimHeadline", "articleHeadline", "articleHeadlineStance", "articleId", "claimId", "articleBody",
           "articleUrl", "source")  # fmt: skip


def statement(query: ExportQuery) -> str:
    # A (claim, article) pair stored earliest comes first (an imported file's row order), gold first.
    split = f", {split_of(split_key(query))} AS split" if query.split else ""
    order = "first_id, is_gold DESC, username, assignment_id"
    return f"""
    SELECT row_number() OVER (ORDER BY {order}) - 1, claim, title, stance, external_id, claim_id, body, url, source
           {", split" if query.split else ""}
      FROM (SELECT min(st.id) OVER (PARTITION BY ar.id, c.id) AS first_id, a.is_gold, u.username, a.id AS assignment_id,
                   c.text AS claim, ar.title, l.emergent AS stance, ar.external_id,
                   coalesce(ar.metadata -> '{CLAIM_IDS_KEY}' ->> c.text, c.id::text) AS claim_id, ar.body, ar.url,
                   ar.source{split}
            {article_stance_rows(MAPPING)} AND {ARTICLES} AND {in_part(split_key(query))}) r
     ORDER BY {order}"""  # noqa: S608 (constant SQL fragments; values are bound parameters)


def header(query: ExportQuery) -> bytes:
    return (",".join((*COLUMNS, *(("split",) if query.split else ()))) + "\n").encode()


def stream(*, cursor, query: ExportQuery, stats: ExportStats) -> Iterator[bytes]:
    # The header is written here: PostgreSQL cannot name a column with the empty string.
    yield header(query)
    for row in copy_rows(cursor, statement(query), query.params(), CSV):
        stats.records += 1
        yield row
