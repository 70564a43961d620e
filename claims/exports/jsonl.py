"""The native format of DESIGN.md: one line per article with every annotation in the export.

`{"article": {...}, "annotations": [{"annotator", "gold", "status", "mentions": [...],
"article_stances": [...]}]}` (plus `"split"` when a split was asked for). PostgreSQL builds each
line; Python only passes the bytes on. Lossless: importing the file into an empty project and
exporting again gives the same lines apart from ids.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .documents import ARTICLE_STANCES_OF_ASSIGNMENT, ASSIGNMENT_ORDER, MENTIONS_OF_ASSIGNMENT
from .jsontext import array, boolean, number, obj, string
from .parallel import copy_in_buckets
from .query import ARTICLE_KEY, ARTICLES, WORK, ExportQuery, in_part, split_of
from .streaming import JSON_LINES, ExportStats, copy_rows

CONTENT_TYPE = "application/x-ndjson; charset=utf-8"
EXTENSION = "jsonl"
PER_ARTICLE = True
PARALLEL = True  # built by several connections at once when the snapshot allows (see parallel.py)

ARTICLE = obj(
    id=number("ar.id"),
    external_id=string("ar.external_id"),
    title=string("ar.title"),
    body=string("ar.body"),
    body_sha256=string("ar.body_sha256"),
    source=string("ar.source"),
    url=string("ar.url"),
    author=string("ar.author"),
    published_at=string("ar.published_at"),
    language=string("ar.language"),
    metadata="ar.metadata::text",
)

ANNOTATION = obj(
    annotator=string("u.username"),
    gold=boolean("a.is_gold"),
    status=string("a.status"),
    mentions=MENTIONS_OF_ASSIGNMENT,
    article_stances=ARTICLE_STANCES_OF_ASSIGNMENT,
)
ANNOTATIONS = array(
    ANNOTATION,
    source=f"FROM claims_assignment a JOIN auth_user u ON u.id = a.annotator_id WHERE a.article_id = ar.id AND {WORK}",
    order_by=ASSIGNMENT_ORDER,
)

# Scope `all` without an annotator filter is the whole project, unannotated articles included;
# otherwise an article is in the export when some assignment of it is.
IN_EXPORT = f"""(
    (%(scope)s = 'all' AND %(annotators)s::bigint[] IS NULL)
    OR EXISTS (SELECT 1 FROM claims_assignment a WHERE a.article_id = ar.id AND {WORK}))"""  # noqa: S608 (constant SQL fragments; values are bound parameters)


def _line(query: ExportQuery) -> str:
    split = {"split": string(split_of(ARTICLE_KEY))} if query.split else {}
    return obj(article=ARTICLE, annotations=ANNOTATIONS, **split)


def statement(query: ExportQuery) -> str:
    return f"""
    SELECT {_line(query)}
      FROM claims_article ar
     WHERE {ARTICLES} AND {IN_EXPORT} AND {in_part(ARTICLE_KEY)}
     ORDER BY ar.external_id"""  # noqa: S608 (constant SQL fragments; values are bound parameters)


def bucketed_statement(query: ExportQuery) -> str:
    """The same lines in buckets of %(bucket_rows)s consecutive lines, one row per bucket: its number and
    its lines, each followed by a line feed; only the buckets that connection %(worker)s of %(workers)s
    builds (see parallel.py).

    Each bucket starts at an external id found by walking the index %(bucket_rows)s selected articles on
    from the previous start (no JSON is built for that, and the first bucket is ready at once); its lines
    are the %(bucket_rows)s selected articles from its start, in index order, which ARRAY(… ORDER BY)
    keeps without sorting (a NULL line would be an empty one, as COPY writes it in `statement`). A
    recursive query's rows come in the order it made them: bucket 0, 1, … (copy_in_buckets checks it)."""
    selected = f"{ARTICLES} AND {IN_EXPORT} AND {in_part(ARTICLE_KEY)}"
    return f"""
    WITH RECURSIVE bucket (number, first_id) AS (
        (SELECT 0::bigint, ar.external_id FROM claims_article ar WHERE {selected} ORDER BY ar.external_id LIMIT 1)
        UNION ALL
        SELECT b.number + 1, (SELECT ar.external_id FROM claims_article ar
                               WHERE {selected} AND ar.external_id >= b.first_id
                               ORDER BY ar.external_id OFFSET %(bucket_rows)s LIMIT 1)
          FROM bucket b
         WHERE b.first_id IS NOT NULL)
    SELECT b.number,
           array_to_string(ARRAY(SELECT {_line(query)}
                                   FROM claims_article ar
                                  WHERE {selected} AND ar.external_id >= b.first_id
                                  ORDER BY ar.external_id LIMIT %(bucket_rows)s), E'\\n', '') || E'\\n'
      FROM bucket b
     WHERE b.first_id IS NOT NULL AND b.number %% %(workers)s = %(worker)s"""  # noqa: S608 (constant SQL fragments; values are bound parameters)


def stream(*, cursor, query: ExportQuery, stats: ExportStats, readers: Sequence = (), **options) -> Iterator[bytes]:
    """The lines; with `readers` (more psycopg connections in the cursor's snapshot) built by all of them at
    once, the same bytes in the same order (`options`: parallel.copy_in_buckets's sizes)."""
    if readers:
        yield from copy_in_buckets(
            connections=[cursor.connection, *readers], statement=bucketed_statement(query), params=query.params(),
            stats=stats, **options,
        )  # fmt: skip
        return
    for line in copy_rows(cursor, statement(query), query.params(), JSON_LINES):
        stats.records += 1
        yield line
