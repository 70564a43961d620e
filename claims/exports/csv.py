"""One CSV row per claim mention: who (annotator, gold), the article, the speaker, the source, cue
and content spans (offsets and text), quote type, tracked claim and stance.

Formula injection: a spreadsheet runs a cell that begins with =, +, -, @ (or a tab or carriage
return) as a formula, and article text comes from the open web. Every text cell that begins with
one of those characters, or with a single quote, gets a single quote (') put in front. The rule
is reversible: a consumer that reads the file as data drops the first character of any text cell
that begins with a quote (`cell[1:] if cell.startswith("'") else cell`) and gets the text back
exactly, so `body[start:end] == text` holds after that step. Numbers are never prefixed.
The jsonl export is the lossless one; use it when no spreadsheet is involved.
"""

from __future__ import annotations

from collections.abc import Iterator

from .query import ARTICLES, WORK, ExportQuery, in_part, split_key, split_of
from .streaming import CSV_WITH_HEADER, ExportStats, copy_rows

CONTENT_TYPE = "text/csv; charset=utf-8"
EXTENSION = "csv"
PER_ARTICLE = False

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def cell(expression: str) -> str:
    """SQL for a text cell with the formula-injection quote of the module's policy."""
    return (
        f"CASE WHEN left({expression}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r', '''') "
        f"THEN '''' || {expression} ELSE {expression} END"
    )


def escape(value: str) -> str:
    """The same rule in Python (used by tests and by anyone writing such a CSV by hand)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def statement(query: ExportQuery) -> str:
    split = f', {split_of(split_key(query))} AS "split"' if query.split else ""
    return f"""
    SELECT ar.id AS article_id, {cell("ar.external_id")} AS external_id, {cell("w.username")} AS annotator,
           a.is_gold::text AS gold, a.status, m.id AS mention_id,
           m.start AS content_start, m."end" AS content_end, {cell("m.text")} AS content_text,
           s.id AS speaker_id, {cell("s.name")} AS speaker, s.kind AS speaker_kind,
           m.source_start, m.source_end, {cell("m.source_text")} AS source_text,
           m.cue_start, m.cue_end, {cell("m.cue_text")} AS cue_text,
           m.quote_type, c.id AS claim_id, {cell("c.text")} AS claim, {cell("m.stance")} AS stance{split}
      FROM claims_article ar
      JOIN claims_assignment a ON a.article_id = ar.id
      JOIN auth_user w ON w.id = a.annotator_id
      JOIN claims_claimmention m ON m.assignment_id = a.id
      LEFT JOIN claims_speaker s ON s.id = m.speaker_id
      LEFT JOIN claims_claim c ON c.id = m.claim_id
     WHERE {ARTICLES} AND {WORK} AND {in_part(split_key(query))}
     ORDER BY ar.external_id, a.is_gold DESC, w.username, a.id, m.start, m."end", m.id"""  # noqa: S608 (constant SQL fragments; values are bound parameters)


def stream(*, cursor, query: ExportQuery, stats: ExportStats) -> Iterator[bytes]:
    rows = copy_rows(cursor, statement(query), query.params(), CSV_WITH_HEADER)
    yield next(rows)
    for row in rows:
        stats.records += 1
        yield row
