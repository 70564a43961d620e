"""The native format of docs/api.md: one line per article with every annotation in the export.

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
    """The same lines in buckets, one row per bucket: its number and its lines, each followed by a line
    feed; only the buckets that connection %(worker)s of %(workers)s builds (see parallel.py).

    Bucket n holds the project's articles n * %(bucket_rows)s to (n + 1) * %(bucket_rows)s - 1 in
    external id order, found by walking the (project, external_id) index %(bucket_rows)s entries at a
    time (no JSON is built for that, and the first bucket is ready at once), and its lines are those of
    these articles that are in the export (none, for a bucket of articles outside it), in index order,
    which ARRAY(… ORDER BY) keeps without sorting (OFFSET 0 keeps PostgreSQL from building the array once
    for each use of it). The export's own conditions are checked once per article, as in `statement`.
    A recursive query's rows come in the order it made them: bucket 0, 1, … (copy_in_buckets checks it)."""
    project_ids = "FROM claims_article x WHERE x.project_id = %(project)s"
    return f"""
    WITH RECURSIVE bucket (number, first_id) AS (
        (SELECT 0::bigint, x.external_id {project_ids} ORDER BY x.external_id LIMIT 1)
        UNION ALL
        SELECT b.number + 1, (SELECT x.external_id {project_ids} AND x.external_id >= b.first_id
                               ORDER BY x.external_id OFFSET %(bucket_rows)s LIMIT 1)
          FROM bucket b
         WHERE b.first_id IS NOT NULL)
    SELECT b.number,
           array_to_string(l.lines, E'\\n', '') || CASE WHEN cardinality(l.lines) > 0 THEN E'\\n' ELSE '' END
      FROM bucket b,
           LATERAL (SELECT coalesce((SELECT x.external_id {project_ids} AND x.external_id >= b.first_id
                                      ORDER BY x.external_id OFFSET %(bucket_rows)s - 1 LIMIT 1),
                                    (SELECT max(x.external_id) {project_ids})) AS last_id) r,
           LATERAL (SELECT ARRAY(SELECT {_line(query)}
                                   FROM claims_article ar
                                  WHERE {ARTICLES} AND {IN_EXPORT} AND {in_part(ARTICLE_KEY)}
                                    AND ar.external_id BETWEEN b.first_id AND r.last_id
                                  ORDER BY ar.external_id) AS lines
                    OFFSET 0) l
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
