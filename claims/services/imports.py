"""Importing a file of articles (jsonl, csv, txt, zip of txt) into a project: one transaction per file.

Over HTTP an import is a background job (`import_enqueue`): the upload is stored and checked for what
can be checked at once (format, size), and a worker imports it (`import_run`, which the command line
calls in-process too), then drafts attributions for the new articles.

The file's valid lines are added and its invalid ones reported, with their line numbers; if
anything fails on the way (a crash, a killed process, a file that turns out to be unreadable
half-way) nothing of the file is stored. Re-importing a file changes nothing: articles are
matched by external_id, annotations by annotator.

Native jsonl lines may carry annotations. Articles are added first, all lines at once and fast
(`articles_import`); the annotations are then read in a second pass over the file, line by line,
each line in its own savepoint: a line whose annotations break a rule is rejected as a whole,
its new article removed again, and the rest of the file goes on.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import get_valid_filename

from claims.imports import FileTooLarge, Record, csv, jsonl, text
from claims.imports.archives import open_archive
from claims.models import Article, Job, JobKind, Project
from claims.offsets import normalise_newlines

from .annotation_import import annotation_import
from .articles import ARTICLE_EXISTS_DIFFERENT, ImportReport, articles_import
from .errors import RuleViolation
from .jobs import Progress, job_enqueue
from .projects import project_require_active
from .suggestions import imported_articles_preannotate

IMPORT_FORMATS = ("jsonl", "csv", "txt", "zip")
IMPORT_FORMAT_UNKNOWN = "Name the format (jsonl, csv, txt or zip): the file name {name!r} does not tell."
IMPORT_FORMAT_INVALID = "format must be one of: jsonl, csv, txt, zip."
IMPORT_TOO_LARGE = "The file has {size} bytes; an import accepts at most {limit} (IMPORT_MAX_BYTES)."

UPLOAD_FOLDER = "imports"

_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".txt": "txt", ".zip": "zip"}


def import_format(*, filename: str, format: str | None = None) -> str:
    """The format named, or else the one the file name's extension tells."""
    if format:
        if format not in IMPORT_FORMATS:
            raise RuleViolation({"format": IMPORT_FORMAT_INVALID})
        return format
    found = _EXTENSIONS.get(PurePosixPath(filename.replace("\\", "/")).suffix.lower())
    if found is None:
        raise RuleViolation({"format": IMPORT_FORMAT_UNKNOWN.format(name=filename)})
    return found


def _size(file: BinaryIO) -> int:
    position = file.tell()
    size = file.seek(0, os.SEEK_END)
    file.seek(position)
    return size


def _require_size(file: BinaryIO, max_bytes: int | None) -> int:
    limit = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    size = _size(file)
    if size > limit:
        raise FileTooLarge(IMPORT_TOO_LARGE.format(size=size, limit=limit))
    return size


def _records(file: BinaryIO, format: str, filename: str) -> Iterator[Record]:
    if format == "jsonl":
        return jsonl.read(file)
    if format == "csv":
        return csv.read(file)
    if format == "txt":
        return text.read_text(file, name=filename)
    return text.read_zip(
        file,
        max_entries=settings.IMPORT_ZIP_MAX_ENTRIES,
        max_uncompressed=settings.IMPORT_ZIP_MAX_UNCOMPRESSED_BYTES,
    )


def _prefixed(error: RuleViolation, prefix: str) -> dict[str, list[str]]:
    return {f"{prefix}.{field}": messages for field, messages in error.errors.items()}


def _line_annotations_import(*, article: Article, annotations: list) -> int:
    """The annotations of one line; how many were new. Errors name the annotation by index."""
    count = 0
    for index, annotation in enumerate(annotations):
        try:
            count += annotation_import(article=article, annotation=annotation) is not None
        except RuleViolation as error:
            raise RuleViolation(_prefixed(error, f"annotations[{index}]")) from error
    return count


def _annotations_import(*, project: Project, file: BinaryIO, report: ImportReport, lines: set[int]) -> None:
    """The second pass: annotations of the native lines whose article was added or already there."""
    accepted = {entry["line"]: entry for entry in report.accepted if entry["line"] in lines}
    skipped = {entry["line"]: entry for entry in report.skipped if entry["line"] in lines}
    failed: set[int] = set()
    file.seek(0)
    for record in jsonl.read(file):
        entry = accepted.get(record.line) or skipped.get(record.line)
        if entry is None:
            continue
        article = Article.objects.get(project=project, external_id=entry["external_id"])
        try:
            if article.body != normalise_newlines(record.article["body"]):
                raise RuleViolation({"external_id": ARTICLE_EXISTS_DIFFERENT})
            with transaction.atomic():
                entry["annotations"] = _line_annotations_import(article=article, annotations=record.annotations)
        except RuleViolation as error:
            report.rejected.append({"line": record.line, "errors": error.errors})
            failed.add(record.line)
            if record.line in accepted:
                article.delete()
    report.accepted = [entry for entry in report.accepted if entry["line"] not in failed]
    report.skipped = [entry for entry in report.skipped if entry["line"] not in failed]


@transaction.atomic
def articles_file_import(
    *,
    project: Project,
    file: BinaryIO,
    filename: str,
    format: str | None = None,
    max_bytes: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import one file; `progress` is called with the number of bytes read since its last call."""
    format = import_format(filename=filename, format=format)
    _require_size(file, max_bytes)
    unreadable: list[dict] = []
    names: dict[int, str] = {}
    annotated: set[int] = set()

    def rows() -> Iterator[tuple[int, object]]:
        position = 0
        for record in _records(file, format, filename):
            if progress is not None:
                progress(record.position - position)
                position = record.position
            if record.name is not None:
                names[record.line] = record.name
            if record.errors:
                unreadable.append({"line": record.line, "errors": record.errors})
                continue
            if record.annotations:
                annotated.add(record.line)
            yield record.line, record.article

    report = articles_import(project=project, rows=rows())
    report.rejected.extend(unreadable)
    if annotated:
        _annotations_import(project=project, file=file, report=report, lines=annotated)
    report.rejected.sort(key=lambda entry: entry["line"])
    for entry in (*report.accepted, *report.skipped, *report.rejected):
        if entry["line"] in names:
            entry["file"] = names[entry["line"]]
    return report


def import_run(
    *,
    project: Project,
    file: BinaryIO,
    filename: str,
    format: str | None = None,
    max_bytes: int | None = None,
    preannotate: bool = True,
    progress: Progress | None = None,
) -> dict:
    """Import a file, then draft attributions for its new articles when the project asks for that (and
    `preannotate` does not say no): the report, with `suggestions` drafted. Drafting runs after the
    import's own transaction, so storing the articles never waits for it."""
    progress = progress or Progress()
    progress.stage("Reading the file", total=_require_size(file, max_bytes))
    report = articles_file_import(
        project=project, file=file, filename=filename, format=format, max_bytes=max_bytes, progress=progress
    )
    new_ids = [entry["id"] for entry in report.accepted]
    drafted = 0
    if preannotate and project.preannotate_on_import and new_ids:
        progress.stage("Drafting attributions", total=len(new_ids))
        drafted = imported_articles_preannotate(project=project, article_ids=new_ids, progress=progress)
    return {**report.as_dict(), "suggestions": drafted}


def import_enqueue(*, project: Project, user, file: BinaryIO, filename: str, format: str | None = None) -> Job:
    """Check what can be checked at once (the format, the size), store the upload, queue its import."""
    project_require_active(project)
    format = import_format(filename=filename, format=format)
    _require_size(file, None)
    if format == "zip":  # its directory is read at once: an unsafe archive or a zip bomb is a 400 / 413 now
        limits = {"max_entries": settings.IMPORT_ZIP_MAX_ENTRIES,
                  "max_uncompressed": settings.IMPORT_ZIP_MAX_UNCOMPRESSED_BYTES}  # fmt: skip
        archive, _ = open_archive(file, **limits)
        archive.close()
    if format == "csv":  # and a CSV's header: without its columns nothing of the file could be imported
        file.seek(0)
        csv.check_header(file)
    file.seek(0)
    safe_name = get_valid_filename(PurePosixPath(filename.replace("\\", "/")).name) or "upload"
    stored = default_storage.save(f"{UPLOAD_FOLDER}/{project.pk}/{uuid.uuid4().hex}-{safe_name}", file)
    try:
        return job_enqueue(
            project=project, user=user, kind=JobKind.IMPORT,
            parameters={"file": stored, "filename": filename, "format": format},
        )  # fmt: skip
    except BaseException:
        default_storage.delete(stored)
        raise


def import_job_run(*, job: Job, progress: Progress) -> dict:
    parameters = job.parameters
    with default_storage.open(parameters["file"], "rb") as file:
        return import_run(
            project=job.project, file=file, filename=parameters["filename"], format=parameters["format"],
            progress=progress,
        )  # fmt: skip


def import_upload_delete(*, name: str) -> None:
    """Remove an import's stored upload once its job has finished (or was found stalled)."""
    default_storage.delete(name)
