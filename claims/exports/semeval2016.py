"""SemEval-2016 Task 6 (stance detection): a tab-separated file `ID, Target, Tweet, Stance` with the
header line `ID\\tTarget\\tTweet\\tStance`, as the task's scorer (eval.pl) reads it: exactly four
tab-separated fields per line.

First one row per article stance (as a SemEval-2016 import stores each tweet): the ID is the
article's external_id, the target the claim's text, the tweet the article's body, in the order the
stances were stored (an imported file's order). Then one row per claim mention that has a tracked
claim and a stance: the claim's text is the target, the mention's text the tweet. Stances are
mapped through StanceLabel.semeval to FAVOR / AGAINST / NONE. A line cannot hold a tab or a line
break, so each one inside a target or tweet becomes a space (one character for one: offsets still
count the same). The scorer allows no fifth
column, so offsets are not in the file: a mention's ID is its id, which the csv and jsonl
exports list with its offsets. With a split and no part, the export is a zip of `train.txt`,
`dev.txt` and `test.txt`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace

from .labels import article_stance_rows
from .query import ARTICLES, PARTS, WORK, ExportQuery, in_part, split_key
from .streaming import JSON_LINES, ExportStats, copy_rows
from .zipstream import ZipStream

CONTENT_TYPE = "text/tab-separated-values; charset=utf-8"
EXTENSION = "txt"
PER_ARTICLE = False
MAPPING = "semeval"
HEADER = b"ID\tTarget\tTweet\tStance\n"
_ONE_LINE = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def zipped(query: ExportQuery) -> bool:
    return bool(query.split) and not query.part


def statement(query: ExportQuery) -> str:
    return f"""
    SELECT json_build_array(m.id, c.text, m.text, l.semeval)
      FROM claims_article ar
      JOIN claims_assignment a ON a.article_id = ar.id
      JOIN auth_user u ON u.id = a.annotator_id
      JOIN claims_claimmention m ON m.assignment_id = a.id
      JOIN claims_claim c ON c.id = m.claim_id
      JOIN claims_stancelabel l ON l.project_id = ar.project_id AND l.value = m.stance
     WHERE {ARTICLES} AND {WORK} AND l.semeval NOT IN ('', 'omit') AND {in_part(split_key(query))}
     ORDER BY ar.external_id, a.is_gold DESC, u.username, a.id, m.start, m."end", m.id"""  # noqa: S608 (constant SQL fragments; values are bound parameters)


def article_stances_statement(query: ExportQuery) -> str:
    return f"""
    SELECT json_build_array(ar.external_id, c.text, ar.body, l.semeval)
    {article_stance_rows(MAPPING)} AND {ARTICLES} AND {in_part(split_key(query))}
     ORDER BY min(st.id) OVER (PARTITION BY ar.id, c.id), a.is_gold DESC, u.username, a.id"""


def _lines(cursor, query: ExportQuery, stats: ExportStats) -> Iterator[bytes]:
    yield HEADER
    for statement_of in (article_stances_statement, statement):
        yield from _rows(cursor, statement_of(query), query, stats)


def _rows(cursor, sql: str, query: ExportQuery, stats: ExportStats) -> Iterator[bytes]:
    for row in copy_rows(cursor, sql, query.params(), JSON_LINES):
        row_id, target, tweet, stance = json.loads(row)
        stats.records += 1
        yield f"{row_id}\t{target.translate(_ONE_LINE)}\t{tweet.translate(_ONE_LINE)}\t{stance}\n".encode()


def stream(*, cursor, query: ExportQuery, stats: ExportStats) -> Iterator[bytes]:
    if not zipped(query):
        yield from _lines(cursor, query, stats)
        return
    archive = ZipStream()
    for part in PARTS:
        yield from archive.entry(f"{part}.txt", _lines(cursor, replace(query, part=part), stats), large=True)
    yield from archive.close()
