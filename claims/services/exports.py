"""Exporting a project's labels in research formats: the options checked once, then a stream.

The stream runs in one read-only REPEATABLE READ transaction, so every statement of a multi-file
export (FNC-1's bodies and stances) sees the same snapshot while annotators keep working; the jsonl
export is built by two connections at once, the second reading that same snapshot
(claims/exports/parallel.py). It reads from the replica when DATABASE_REPLICA_URL configures one.
Pre-annotator suggestions are never stored as labels, so no export can contain them: exports read
only the mentions and article stances people saved.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType

import psycopg
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connections, transaction
from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime

from claims.exports import brat, citron, csv, emergent, fnc1, jsonl, semeval2016
from claims.exports.parallel import CONNECTIONS, join_snapshot, session_settings, shareable_snapshot
from claims.exports.query import (
    ARTICLE_KEY,
    ARTICLES,
    PARTS,
    SCOPES,
    WORK,
    ExportQuery,
    in_part,
    with_changed_articles,
)
from claims.exports.streaming import ExportStats, chunked
from claims.models import Project, StanceLabel

from .dates import utc
from .errors import Problems

logger = logging.getLogger(__name__)

FORMATS: dict[str, ModuleType] = {
    "jsonl": jsonl, "csv": csv, "fnc1": fnc1, "emergent": emergent, "semeval2016": semeval2016,
    "citron": citron, "brat": brat,
}  # fmt: skip
FORMAT_UNKNOWN = "format must be one of: " + ", ".join(FORMATS) + "."
SCOPE_UNKNOWN = "scope must be one of: gold, submitted, all."
ANNOTATOR_UNKNOWN = "No user is named {names}."
SINCE_INVALID = "since must be an ISO 8601 date or date-time, e.g. 2026-01-31T12:00:00Z."
SPLIT_INVALID = (
    "split must be two or three whole percentages adding up to 100: train,dev,test (80,10,10) or train,test (90,10)."
)
SPLIT_BY_UNKNOWN = "split_by must be article or claim."
SPLIT_BY_CLAIM_NEEDS_ROWS = (
    "split_by=claim needs a format with one row per claim (csv, fnc1, emergent, semeval2016); {format} holds "
    "whole articles."
)
PART_UNKNOWN = "part must be train, dev or test."
PART_NEEDS_SPLIT = "part needs a split, e.g. split=80,10,10."
MAPPING_MISSING = (
    "These stance labels have no {format} mapping: {labels}. Declare one for each in the project's label set "
    "(or 'omit' to leave their rows out)."
)


def _since(value: object, problems: Problems) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        text = str(value).strip().replace("Z", "+00:00").replace(" ", "+")
        try:
            parsed = parse_datetime(text)
            if parsed is None and (day := parse_date(text)) is not None:
                parsed = dt.datetime.combine(day, dt.time())
        except ValueError:
            parsed = None
        if parsed is None:
            problems.add("since", SINCE_INVALID)
            return None
    try:
        return utc(parsed)
    except OverflowError:
        problems.add("since", SINCE_INVALID)
        return None


def _split(value: object, problems: Problems) -> tuple[int, int, int] | None:
    if value in (None, ""):
        return None
    items = value.split(",") if isinstance(value, str) else value
    try:
        numbers = [int(str(item).strip()) for item in items]
    except (TypeError, ValueError):
        numbers = []
    if len(numbers) not in (2, 3) or sum(numbers) != 100 or min(numbers) < 0:
        problems.add("split", SPLIT_INVALID)
        return None
    train, *rest = numbers
    return (train, 0, rest[0]) if len(rest) == 1 else (train, rest[0], rest[1])


def _annotator_ids(names: list[str], problems: Problems) -> tuple[int, ...]:
    if not names:
        return ()
    found = dict(get_user_model().objects.filter(username__in=names).values_list("username", "pk"))
    missing = [name for name in names if name not in found]
    if missing:
        problems.add("annotator", ANNOTATOR_UNKNOWN.format(names=", ".join(sorted(missing))))
    return tuple(sorted(set(found.values())))


def _unmapped_labels(project: Project, module: ModuleType) -> list[str]:
    mapping = getattr(module, "MAPPING", None)
    if mapping is None:
        return []
    # SemEval rows are mentions and article stances; FNC-1's and Emergent's article stances only.
    use = Q(for_mentions=True) | Q(for_articles=True) if mapping == "semeval" else Q(for_articles=True)
    labels = StanceLabel.objects.filter(use, project=project, **{mapping: ""})
    return list(labels.order_by("position", "value").values_list("value", flat=True))


def export_query(
    *,
    project: Project,
    format: str | None = None,
    scope: str | None = None,
    annotators: list[str] | tuple[str, ...] = (),
    since: object = None,
    split: object = None,
    split_by: str | None = None,
    part: str | None = None,
) -> ExportQuery:
    """Check an export's options (every problem at once, as field errors) and resolve them."""
    problems = Problems()
    format = format or "jsonl"
    scope = scope or "gold"
    split_by = split_by or "article"
    module = FORMATS.get(format)
    if module is None:
        problems.add("format", FORMAT_UNKNOWN)
    if scope not in SCOPES:
        problems.add("scope", SCOPE_UNKNOWN)
    annotator_ids = _annotator_ids(list(annotators), problems)
    since_value = _since(since, problems)
    split_value = _split(split, problems)
    if split_by not in ("article", "claim"):
        problems.add("split_by", SPLIT_BY_UNKNOWN)
    elif split_by == "claim" and module is not None and module.PER_ARTICLE:
        problems.add("split_by", SPLIT_BY_CLAIM_NEEDS_ROWS.format(format=format))
    if part not in (None, "", *PARTS):
        problems.add("part", PART_UNKNOWN)
    elif part and split_value is None:
        problems.add("part", PART_NEEDS_SPLIT)
    if module is not None and (unmapped := _unmapped_labels(project, module)):
        problems.add("format", MAPPING_MISSING.format(format=format, labels=", ".join(unmapped)))
    problems.raise_if_any()
    stance_values = ()
    if module is brat:
        labels = StanceLabel.objects.filter(project=project, for_mentions=True).order_by("position", "value")
        stance_values = tuple(labels.values_list("value", flat=True))
    return ExportQuery(
        project_id=project.pk, format=format, scope=scope, annotator_ids=annotator_ids, since=since_value,
        split=split_value, split_by=split_by, part=part or None, stance_values=stance_values,
    )  # fmt: skip


def export_database() -> str:
    """The connection exports read from: the replica when there is one."""
    return "replica" if "replica" in settings.DATABASES else "default"


def export_content_type(query: ExportQuery) -> str:
    if query.format == "semeval2016" and semeval2016.zipped(query):
        return "application/zip"
    return FORMATS[query.format].CONTENT_TYPE


def export_filename(*, project: Project, query: ExportQuery) -> str:
    extension = "zip" if export_content_type(query) == "application/zip" else FORMATS[query.format].EXTENSION
    part = f"-{query.part}" if query.part else ""
    return f"{project.slug}-{query.format}-{query.scope}{part}.{extension}"


@contextmanager
def export_snapshot() -> Iterator:
    """A cursor in one read-only REPEATABLE READ transaction on the export database. Inside a
    caller's transaction (a test, a release being cut) the caller's transaction is the snapshot."""
    alias = export_database()
    connection = connections[alias]
    fresh = not connection.in_atomic_block
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        if fresh:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        # JIT compiling an export's many small subqueries costs half a second before the first row and
        # saves nothing while they run (measured in bench/).
        cursor.execute("SET LOCAL jit = off")
        yield cursor


@contextmanager
def snapshot_readers(cursor, *, count: int) -> Iterator[list]:
    """Up to `count` more connections to the export database reading the snapshot of `cursor`'s
    transaction (psycopg connections, each in its own read-only transaction), closed afterwards; none
    when that transaction's snapshot cannot be shared (see parallel.shareable_snapshot), fewer when the
    database refuses more connections (the export then needs fewer, not an error)."""
    # PostgreSQL exports no snapshot from inside a savepoint (an atomic block nested in the export's).
    in_savepoint = bool(connections[export_database()].savepoint_ids)
    snapshot = shareable_snapshot(cursor) if count > 0 and not in_savepoint else None
    if snapshot is None:
        yield []
        return
    # The output depends on the session's time zone (to_json of a timestamptz): the readers use the
    # exporting session's, whatever the connection settings say.
    session = session_settings(cursor, ("TimeZone", "jit"))
    opened, joined = [], []
    try:
        for _ in range(count):
            reader = connections.create_connection(export_database())
            opened.append(reader)
            try:
                reader.ensure_connection()
                join_snapshot(reader.connection, snapshot, session)
            except (DatabaseError, psycopg.Error) as error:
                logger.warning("export built by %d connection(s), another one failed: %s", len(joined) + 1, error)
                break
            joined.append(reader.connection)
        yield joined
    finally:
        for reader in opened:
            reader.close()


def export_connections() -> int:
    """How many connections build a jsonl export: settings.EXPORT_CONNECTIONS, else parallel.CONNECTIONS
    (1 builds it on the export's own connection alone, as before parallel.py)."""
    return int(getattr(settings, "EXPORT_CONNECTIONS", CONNECTIONS))


def export_stream(*, query: ExportQuery, stats: ExportStats | None = None) -> Iterator[bytes]:
    """The export's bytes, in chunks, in a snapshot of its own; `stats` is filled in as they go."""
    with export_snapshot() as cursor:
        yield from export_stream_in(cursor=cursor, query=query, stats=stats)


def export_stream_in(*, cursor, query: ExportQuery, stats: ExportStats | None = None) -> Iterator[bytes]:
    """The export's bytes read through `cursor`, already in the export's snapshot (a release counts its
    rows in the same one). A format that can be built by several connections at once (jsonl) gets
    export_connections() - 1 more, reading that snapshot."""
    stats = stats if stats is not None else ExportStats()
    module = FORMATS[query.format]
    query = with_changed_articles(cursor, query)
    if not getattr(module, "PARALLEL", False):
        yield from chunked(module.stream(cursor=cursor, query=query, stats=stats), stats)
        return
    with snapshot_readers(cursor, count=export_connections() - 1) as readers:
        yield from chunked(module.stream(cursor=cursor, query=query, stats=stats, readers=readers), stats)


SELECTION_COUNTS = f"""
    WITH work AS (
        SELECT a.id, a.article_id FROM claims_article ar JOIN claims_assignment a ON a.article_id = ar.id
         WHERE {ARTICLES} AND {WORK} AND {in_part(ARTICLE_KEY)})
    SELECT (SELECT count(DISTINCT article_id) FROM work), (SELECT count(*) FROM work),
           (SELECT count(*) FROM claims_claimmention m JOIN work ON work.id = m.assignment_id),
           (SELECT count(*) FROM claims_articlestance s JOIN work ON work.id = s.assignment_id)
"""  # noqa: S608 (constant SQL fragments; values are bound parameters)


def export_counts(*, cursor, query: ExportQuery) -> dict[str, int]:
    """What the export's scope selects (before a format leaves rows out): articles with work in it,
    annotations, mentions, article stances. A claim split counts the whole scope."""
    query = with_changed_articles(cursor, query)
    params = query.params() | ({"part": None} if query.split_by == "claim" else {})
    cursor.execute(SELECTION_COUNTS, params)
    articles, annotations, mentions, stances = cursor.fetchone()
    return {"articles": articles, "annotations": annotations, "mentions": mentions, "article_stances": stances}
