"""FNC-1 (Fake News Challenge stage 1): a zip of `bodies.csv` (`Body ID,articleBody`) and
`stances.csv` (`Headline,Body ID,Stance`), headers exactly as the FNC-1 scorer checks them.

A tracked claim plays the headline; the stance is the article's own stance toward it
(ArticleStance) mapped through StanceLabel.fnc1 to agree / disagree / discuss / unrelated.
Body ID is the article's external_id when that is a whole number (an imported FNC-1 set: its own
Body IDs, so the export scores against the original gold), otherwise the article's id (FNC-1 tools
read it as an integer). Should an article's id equal another article's numeric external_id in the
project, every Body ID is the article's id, so no two bodies share one. Stances come in the order
their pairs were first stored (an imported file's row order), bodies in the order the articles were
added. With a split, the files are
named like FNC-1's own: `train_bodies.csv`, `train_stances.csv`, `dev_…`, `test_…`; each part's
bodies are those its stances refer to. Scope `gold` gives one label per (claim, article); wider
scopes repeat a pair once per annotator, gold first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from .labels import ARTICLE_STANCES_FROM_ASSIGNMENT, article_stance_rows, mapped
from .query import ARTICLES, PARTS, WORK, ExportQuery, in_part, split_key
from .streaming import CSV_WITH_HEADER, ExportStats, copy_rows
from .zipstream import ZipStream

CONTENT_TYPE = "application/zip"
EXTENSION = "zip"
PER_ARTICLE = False
MAPPING = "fnc1"


# Whole numbers without leading zeros, as FNC-1's Body IDs are (its tools read them with int()).
WHOLE_NUMBER = "'^(0|[1-9][0-9]{0,17})$'"
_BODY_IDS_FROM_EXTERNAL = f"""
    SELECT NOT EXISTS (
        SELECT 1 FROM claims_article x JOIN claims_article y ON y.id::text = x.external_id
         WHERE x.project_id = %(project)s AND y.project_id = %(project)s AND x.external_id ~ {WHOLE_NUMBER}
           AND y.external_id !~ {WHOLE_NUMBER})"""  # noqa: S608 (constant SQL fragments; values are bound parameters)
BODY_ID = (
    f"(CASE WHEN %(external_body_ids)s AND ar.external_id ~ {WHOLE_NUMBER} THEN ar.external_id ELSE ar.id::text END)"
)


def stances_statement(query: ExportQuery) -> str:
    # A (claim, article) pair first stored earliest comes first; its annotators' rows gold first.
    return f"""
    SELECT c.text AS "Headline", {BODY_ID} AS "Body ID", l.fnc1 AS "Stance"
    {article_stance_rows(MAPPING)} AND {ARTICLES} AND {in_part(split_key(query))}
     ORDER BY min(st.id) OVER (PARTITION BY ar.id, c.id), a.is_gold DESC, u.username, a.id"""


def bodies_statement(query: ExportQuery) -> str:
    return f"""
    SELECT {BODY_ID} AS "Body ID", ar.body AS "articleBody"
      FROM claims_article ar
     WHERE {ARTICLES} AND EXISTS (
        SELECT 1 FROM claims_assignment a {ARTICLE_STANCES_FROM_ASSIGNMENT}
         WHERE a.article_id = ar.id AND {WORK} AND {mapped(MAPPING)} AND {in_part(split_key(query))})
     ORDER BY ar.id"""  # noqa: S608 (constant SQL fragments; values are bound parameters)


def _counted(rows: Iterator[bytes], stats: ExportStats) -> Iterator[bytes]:
    yield next(rows)  # the header
    for row in rows:
        stats.records += 1
        yield row


def stream(*, cursor, query: ExportQuery, stats: ExportStats) -> Iterator[bytes]:
    cursor.execute(_BODY_IDS_FROM_EXTERNAL, {"project": query.project_id})
    external_body_ids = cursor.fetchone()[0]
    archive = ZipStream()
    parts = [query.part] if query.part else (list(PARTS) if query.split else [None])
    for part in parts:
        prefix = f"{part}_" if part else ""
        params = replace(query, part=part).params() | {"external_body_ids": external_body_ids}
        bodies = copy_rows(cursor, bodies_statement(query), params, CSV_WITH_HEADER)
        yield from archive.entry(f"{prefix}bodies.csv", bodies, large=True)
        stances = copy_rows(cursor, stances_statement(query), params, CSV_WITH_HEADER)
        yield from archive.entry(f"{prefix}stances.csv", _counted(stances, stats), large=True)
    yield from archive.close()
