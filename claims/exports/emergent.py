"""Emergent (Ferreira & Vlachos, 2016): one CSV row per article stance toward a tracked claim, in the
layout of the published `url-versions-2015-06-14-clean.csv`: a first column without a name (the row
index, which readers load with `index_col=0`), then `claimHeadline, articleHeadline,
articleHeadlineStance, articleId, claimId`; after them `articleBody, articleUrl, source` (the full
dataset's fields, where we have them) and `split` when asked for. Readers pick columns by name, so
the extra ones change nothing for them.

The stance is the article's own stance (ArticleStance) mapped through StanceLabel.emergent to
for / against / observing. Emergent labels the headline's stance separately from the body's; we
label the article as a whole, so articleHeadlineStance holds that one stance. articleId is the
article's external_id; claimId is the claim's Emergent id when the article was imported from
Emergent (kept in its metadata, `emergent_claim_ids`: claim text → id), otherwise the claim's id.
"""

from __future__ import annotations

from collections.abc import Iterator

from .labels import article_stance_rows
from .query import ARTICLES, ExportQuery, in_part, split_key, split_of
from .streaming import CSV, ExportStats, copy_rows

CONTENT_TYPE = "text/csv; charset=utf-8"
EXTENSION = "csv"
PER_ARTICLE = False
MAPPING = "emergent"

COLUMNS = ("", "claimHeadline", "articleHeadline", "articleHeadlineStance", "articleId", "claimId", "articleBody",
           "articleUrl", "source")  # fmt: skip
CLAIM_IDS_KEY = "emergent_claim_ids"
ORDER = "c.id, ar.id, a.is_gold DESC, u.username, a.id"


def statement(query: ExportQuery) -> str:
    split = f", {split_of(split_key(query))}" if query.split else ""
    return f"""
    SELECT row_number() OVER (ORDER BY {ORDER}) - 1, c.text, ar.title, l.emergent, ar.external_id,
           coalesce(ar.metadata -> '{CLAIM_IDS_KEY}' ->> c.text, c.id::text), ar.body, ar.url, ar.source{split}
    {article_stance_rows(MAPPING)} AND {ARTICLES} AND {in_part(split_key(query))}
     ORDER BY {ORDER}"""


def header(query: ExportQuery) -> bytes:
    return (",".join((*COLUMNS, *(("split",) if query.split else ()))) + "\n").encode()


def stream(*, cursor, query: ExportQuery, stats: ExportStats) -> Iterator[bytes]:
    # The header is written here: PostgreSQL cannot name a column with the empty string.
    yield header(query)
    for row in copy_rows(cursor, statement(query), query.params(), CSV):
        stats.records += 1
        yield row
