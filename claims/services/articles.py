"""Adding articles to a project, one at a time or in bulk (idempotent by external_id)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.utils.dateparse import parse_date, parse_datetime

from claims import untrusted_json
from claims.models import Article, ArticleStance, ClaimMention, Project
from claims.models.articles import field_limit
from claims.offsets import normalise_newlines

from .dates import utc
from .errors import Problems, RuleViolation
from .projects import project_require_active

ARTICLE_NOT_OBJECT = "Each article is a JSON object."
ARTICLE_EXTERNAL_ID_REQUIRED = (
    f"Give the article an external_id (its id in your source), at most {field_limit('external_id')} characters."
)
ARTICLE_EXTERNAL_ID_TAKEN = "An article with this external_id already exists in the project."
ARTICLE_BODY_REQUIRED = "The article body is empty."
ARTICLE_BODY_TOO_LONG = "The body is longer than the {limit} characters an article may hold (ARTICLE_MAX_CHARS)."
ARTICLE_TEXT_FIELD = "Must be text of at most {limit} characters."
ARTICLE_URL_INVALID = "Enter a valid http(s) URL."
ARTICLE_DATE_INVALID = "Give an ISO 8601 date or date-time, e.g. 2019-03-12 or 2019-03-12T09:30:00Z."
ARTICLE_METADATA_INVALID = "metadata must be a JSON object."
ARTICLE_NUL = "Text cannot contain NUL (\\x00) characters: PostgreSQL cannot store them."
ARTICLE_UNKNOWN_FIELD = "Unknown field."
ARTICLE_BODY_FROZEN = "This article is annotated; its body can no longer change."
ARTICLE_DELETE_ANNOTATED = "This article is annotated; deleting it would delete people's labels."
ARTICLE_EXISTS_DIFFERENT = "An article with this external_id exists with a different body; nothing was changed."
IMPORT_DUPLICATE_IN_BATCH = "external_id {external_id!r} already appeared on line {line}."
IMPORT_ALREADY_PRESENT = "already in the project (unchanged)"

_TEXT_LIMITS = {name: field_limit(name) for name in ("title", "source", "author", "language")}
_FIELDS = {"external_id", "title", "body", "source", "url", "author", "published_at", "language", "metadata"}
_BATCH = 5000
# A batch is also cut at this much text: bodies are held until their batch is written, and a few
# thousand long ones (a zip of text unpacks to as much as IMPORT_MAX_BYTES) must not all be.
_BATCH_CHARS = 4 * 1024 * 1024


def body_sha256(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _parse_published(value: object) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time())
    elif isinstance(value, str):
        try:
            parsed = parse_datetime(value.replace("Z", "+00:00"))
            if parsed is None:
                day = parse_date(value)
                parsed = dt.datetime.combine(day, dt.time()) if day else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValueError(value)
    else:
        raise ValueError(value)
    return utc(parsed)


def article_fields_clean(data: object) -> tuple[dict, Problems]:
    """Validate one incoming article; returns model fields (body newlines normalised) and problems."""
    problems = Problems()
    if not isinstance(data, dict):
        problems.add("non_field_errors", ARTICLE_NOT_OBJECT)
        return {}, problems
    for name in set(data) - _FIELDS:
        problems.add(name, ARTICLE_UNKNOWN_FIELD)
    clean: dict = {}
    external_id = data.get("external_id")
    if isinstance(external_id, int) and not isinstance(external_id, bool):
        external_id = str(external_id)
    if not isinstance(external_id, str) or not external_id.strip() or len(external_id) > field_limit("external_id"):
        problems.add("external_id", ARTICLE_EXTERNAL_ID_REQUIRED)
    else:
        clean["external_id"] = external_id.strip()
    body = data.get("body")
    if not isinstance(body, str) or not body.strip():
        problems.add("body", ARTICLE_BODY_REQUIRED)
    elif len(body := normalise_newlines(body)) > settings.ARTICLE_MAX_CHARS:
        problems.add("body", ARTICLE_BODY_TOO_LONG.format(limit=settings.ARTICLE_MAX_CHARS))
    else:
        clean["body"] = body
    for name, limit in _TEXT_LIMITS.items():
        value = data.get(name, "")
        if value is None:
            value = ""
        if not isinstance(value, str) or len(value) > limit:
            problems.add(name, ARTICLE_TEXT_FIELD.format(limit=limit))
        else:
            clean[name] = normalise_newlines(value)
    if not clean.get("language"):
        clean["language"] = "en"
    url = data.get("url") or ""
    if not isinstance(url, str) or len(url) > field_limit("url"):
        problems.add("url", ARTICLE_URL_INVALID)
    elif url:
        try:
            URLValidator(schemes=["http", "https"])(url)
            clean["url"] = url
        except DjangoValidationError:
            problems.add("url", ARTICLE_URL_INVALID)
    else:
        clean["url"] = ""
    try:
        clean["published_at"] = _parse_published(data.get("published_at"))
    except (ValueError, OverflowError):
        problems.add("published_at", ARTICLE_DATE_INVALID)
    metadata = data.get("metadata", {})
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        problems.add("metadata", ARTICLE_METADATA_INVALID)
    else:
        clean["metadata"] = metadata
    for name in [name for name, value in clean.items() if holds_nul(value)]:
        problems.add(name, ARTICLE_NUL)
        del clean[name]
    # What the API and the importers already refuse as they read JSON, for callers that pass
    # Python values: text and jsonb that PostgreSQL would refuse with an error, not a message.
    for name, value in list(clean.items()):
        if isinstance(value, str | dict) and (refused := untrusted_json.problem(value, at=(name,))):
            problems.add(name, refused.message if isinstance(value, str) else str(refused))
            del clean[name]
    return clean, problems


def holds_nul(value: object) -> bool:
    """Whether a text, or any key or text inside JSON, has a NUL character (text and jsonb refuse it)."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(holds_nul(item) for item in value)
    return False


@transaction.atomic
def article_create(*, project: Project, **data) -> Article:
    project_require_active(project)
    clean, problems = article_fields_clean(data)
    if "external_id" in clean and Article.objects.filter(project=project, external_id=clean["external_id"]).exists():
        problems.add("external_id", ARTICLE_EXTERNAL_ID_TAKEN)
    problems.raise_if_any()
    return Article.objects.create(project=project, body_sha256=body_sha256(clean["body"]), **clean)


def article_is_annotated(article: Article) -> bool:
    return (
        ClaimMention.objects.filter(assignment__article=article).exists()
        or ArticleStance.objects.filter(assignment__article=article).exists()
    )


@transaction.atomic
def article_update(*, article: Article, **data) -> Article:
    """Change an article's fields; its body only while nothing is annotated on it."""
    article = Article.objects.select_for_update(of=("self",)).select_related("project").get(pk=article.pk)
    project_require_active(article.project)
    merged = {name: getattr(article, name) for name in _FIELDS} | data
    clean, problems = article_fields_clean(merged)
    if (
        clean.get("external_id") != article.external_id
        and Article.objects.filter(project=article.project_id, external_id=clean.get("external_id")).exists()
    ):
        problems.add("external_id", ARTICLE_EXTERNAL_ID_TAKEN)
    if "body" in clean and clean["body"] != article.body and article_is_annotated(article):
        problems.add("body", ARTICLE_BODY_FROZEN)
    problems.raise_if_any()
    for name, value in clean.items():
        setattr(article, name, value)
    article.save()
    article.refresh_from_db(fields=["body_sha256"])
    return article


@transaction.atomic
def article_delete(*, article: Article) -> None:
    """Delete an article nobody has labelled yet (its empty assignments go with it)."""
    article = Article.objects.select_for_update(of=("self",)).select_related("project").get(pk=article.pk)
    project_require_active(article.project)
    if article_is_annotated(article):
        raise RuleViolation({"article": ARTICLE_DELETE_ANNOTATED})
    article.delete()


@dataclass
class ImportReport:
    """What happened to each incoming line: accepted, skipped (already there), or rejected (why)."""

    accepted: list[dict] = field(default_factory=list)  # {"line", "external_id", "id"}
    skipped: list[dict] = field(default_factory=list)  # {"line", "external_id", "reason"}
    rejected: list[dict] = field(default_factory=list)  # {"line", "errors"}
    notes: dict = field(default_factory=dict)  # dataset imports: duplicates, similar claims, encoding

    def as_dict(self) -> dict:
        return {
            "accepted": len(self.accepted),
            "skipped": len(self.skipped),
            "rejected": len(self.rejected),
            "accepted_lines": self.accepted,
            "skipped_lines": self.skipped,
            "rejected_lines": self.rejected,
            **({"notes": self.notes} if self.notes else {}),
        }


# Articles are written a batch at a time. A batch of at least _COPY_MIN_ROWS rows streams into a
# temporary table with COPY and moves over with one INSERT … ON CONFLICT DO NOTHING RETURNING:
# about ten times faster than an INSERT of parameters, and safe against a concurrent import of the
# same external_id (the loser skips the row instead of failing). Smaller batches (the API's bulk
# POST, the tail of a file) take one plain bulk INSERT: the temporary table's fixed cost of three
# round trips and a catalogue entry would outweigh what COPY saves on a handful of rows.
_COPY_MIN_ROWS = 200
_COPIED_FIELDS = ("external_id", "title", "body", "source", "url", "author", "published_at", "language", "metadata")
_CREATE_STAGING = """
    CREATE TEMPORARY TABLE IF NOT EXISTS claims_article_import (
        line integer NOT NULL, external_id text NOT NULL, title text NOT NULL, body text NOT NULL,
        source text NOT NULL, url text NOT NULL, author text NOT NULL,
        published_at timestamptz, language text NOT NULL, metadata jsonb NOT NULL
    ) ON COMMIT DROP
"""
_COPY_STAGING = """
    COPY claims_article_import (line, external_id, title, body, source, url, author, published_at, language, metadata)
    FROM STDIN
"""
# ORDER BY line: ids follow the order of the file. body_sha256 is filled in by the table's trigger.
_MOVE_STAGED = """
    INSERT INTO claims_article (project_id, external_id, title, body, source, url, author, published_at, language,
                                metadata, body_sha256, created_at, updated_at)
    SELECT %s, external_id, title, body, source, url, author, published_at, language, metadata, '', now(), now()
      FROM claims_article_import ORDER BY line
    ON CONFLICT (project_id, external_id) DO NOTHING
    RETURNING id, external_id
"""


# Django declares foreign keys DEFERRABLE INITIALLY DEFERRED, so each inserted row queues a check
# that PostgreSQL re-scans at the end of every later statement of the transaction: a long import
# slows down quadratically. Checking the article → project key at each statement's end instead
# keeps every batch equally cheap; the import restores the deferral when it is done.
_ARTICLE_PROJECT_FK = """
    SELECT conname FROM pg_constraint WHERE conrelid = 'claims_article'::regclass AND contype = 'f'
       AND conkey = ARRAY[(SELECT attnum FROM pg_attribute
                            WHERE attrelid = 'claims_article'::regclass AND attname = 'project_id')]
"""


@contextmanager
def _project_key_checked_per_statement():
    with connection.cursor() as cursor:
        cursor.execute(_ARTICLE_PROJECT_FK)
        name = connection.ops.quote_name(cursor.fetchone()[0])
        cursor.execute(f"SET CONSTRAINTS {name} IMMEDIATE")
        yield
        cursor.execute(f"SET CONSTRAINTS {name} DEFERRED")


def _insert_batch(project: Project, batch: list[tuple[int, dict]]) -> dict[str, int]:
    """Write a batch of cleaned articles; returns {external_id: id} of those that were new."""
    if len(batch) >= _COPY_MIN_ROWS:
        with connection.cursor() as cursor:
            cursor.execute(_CREATE_STAGING)
            with cursor.copy(_COPY_STAGING) as copy:
                for line, clean in batch:
                    copy.write_row(
                        (line, *(clean.get(name) for name in _COPIED_FIELDS[:-1]), json.dumps(clean["metadata"]))
                    )
            cursor.execute(_MOVE_STAGED, [project.pk])
            created = {external_id: pk for pk, external_id in cursor.fetchall()}
            cursor.execute("TRUNCATE claims_article_import")
        return created
    ids = [clean["external_id"] for _, clean in batch]
    present = set(Article.objects.filter(project=project, external_id__in=ids).values_list("external_id", flat=True))
    fresh = [clean for _, clean in batch if clean["external_id"] not in present]
    articles = Article.objects.bulk_create(
        [Article(project=project, body_sha256=body_sha256(clean["body"]), **clean) for clean in fresh]
    )
    return {article.external_id: article.pk for article in articles}


@transaction.atomic
def articles_import(*, project: Project, rows: Iterable[tuple[int, object]]) -> ImportReport:
    """Add many articles in one transaction: all of the valid ones, or none if anything fails.

    `rows` yields (line number, article dict). An external_id already in the project is skipped
    (so re-importing a file changes nothing); invalid rows are reported with their line number.
    Work per batch is a lookup of the batch's ids in the unique index, so the cost does not grow
    with what the project already holds; memory holds one batch (at most _BATCH articles and about
    _BATCH_CHARS of text), not the input.
    """
    project_require_active(project)
    report = ImportReport()
    seen: dict[str, int] = {}
    batch: list[tuple[int, dict]] = []
    batch_chars = 0

    def flush() -> None:
        created = _insert_batch(project, batch)
        for line, clean in batch:
            external_id = clean["external_id"]
            if external_id in created:
                report.accepted.append({"line": line, "external_id": external_id, "id": created[external_id]})
            else:
                report.skipped.append({"line": line, "external_id": external_id, "reason": IMPORT_ALREADY_PRESENT})
        batch.clear()

    with _project_key_checked_per_statement():
        for line, data in rows:
            clean, problems = article_fields_clean(data)
            external_id = clean.get("external_id")
            if external_id is not None and external_id in seen:
                problems.add(
                    "external_id", IMPORT_DUPLICATE_IN_BATCH.format(external_id=external_id, line=seen[external_id])
                )
            if problems.errors:
                report.rejected.append({"line": line, "errors": problems.errors})
                continue
            seen[external_id] = line
            batch.append((line, clean))
            batch_chars += len(clean["body"])
            if len(batch) >= _BATCH or batch_chars >= _BATCH_CHARS:
                flush()
                batch_chars = 0
        if batch:
            flush()
    return report


def article_get_or_create(*, project: Project, **data) -> tuple[Article, bool]:
    """The article with this external_id, created from `data` when the project lacks it.

    Idempotent for the same article; an existing one with another body is a conflict, not a match.
    """
    clean, problems = article_fields_clean(data)
    problems.raise_if_any()
    existing = Article.objects.filter(project=project, external_id=clean["external_id"]).first()
    if existing is None:
        return article_create(project=project, **data), True
    if existing.body != clean["body"]:
        raise RuleViolation({"external_id": ARTICLE_EXISTS_DIFFERENT})
    return existing, False


@transaction.atomic
def articles_create_all(*, project: Project, rows: Iterable[tuple[int, object]]) -> ImportReport:
    """Add a list of articles all or nothing: one invalid item refuses the whole list (its index
    names it) and nothing is stored; items whose external_id is already there are skipped."""
    report = articles_import(project=project, rows=rows)
    if report.rejected:
        raise RuleViolation({str(entry["line"]): entry["errors"] for entry in report.rejected})
    return report
