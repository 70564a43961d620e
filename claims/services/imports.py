"""Importing a file of articles (jsonl, csv, txt, zip of txt), a published dataset (fnc1, emergent,
semeval2016: articles, tracked claims and article stances, see dataset_import) or span annotations
(brat, citron: articles and mentions, see document_import) into a project: one transaction per file.

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
from contextlib import ExitStack, contextmanager
from pathlib import PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import get_valid_filename

from claims.imports import FileTooLarge, Record, brat, citron, csv, emergent, fnc1, jsonl, semeval2016, text
from claims.imports.archives import open_archive
from claims.imports.sources import Source, archive_entries, uploaded
from claims.models import Article, Job, JobKind, Project
from claims.offsets import normalise_newlines

from .annotation_import import annotation_import
from .articles import ARTICLE_EXISTS_DIFFERENT, ImportReport, articles_import
from .dataset_import import Columns, dataset_import, labels_check
from .document_import import documents_import
from .errors import RuleViolation
from .jobs import Progress, job_enqueue
from .projects import project_require_active
from .suggestions import imported_articles_preannotate

ARTICLE_FORMATS = ("jsonl", "csv", "txt", "zip")
# Published datasets, by the readers in claims.imports, and the names their files give the fields.
DATASETS = {
    "fnc1": (fnc1, Columns(claim="Headline", external_id="Body ID", label="Stance")),
    "emergent": (emergent, Columns(claim="claimHeadline", external_id="articleId", label="articleHeadlineStance")),
    "semeval2016": (semeval2016, Columns(claim="Target", external_id="ID", label="Stance")),
}
# Span annotations: one document (text and annotations) at a time, by the readers in claims.imports.
SPAN_FORMATS = {"brat": brat, "citron": citron}
IMPORT_FORMATS = (*ARTICLE_FORMATS, *DATASETS, *SPAN_FORMATS)
IMPORT_FORMAT_UNKNOWN = "Name the format (" + ", ".join(IMPORT_FORMATS) + "): the file name {name!r} does not tell."
IMPORT_FORMAT_INVALID = "format must be one of: " + ", ".join(IMPORT_FORMATS) + "."
IMPORT_SECOND_FILE = "Only an FNC-1 import takes a second file (its stances)."
IMPORT_MAPPING_BRAT_ONLY = "Only a brat import takes a mapping of types."
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


def _zip_limits() -> dict:
    return {"max_entries": settings.IMPORT_ZIP_MAX_ENTRIES,
            "max_uncompressed": settings.IMPORT_ZIP_MAX_UNCOMPRESSED_BYTES}  # fmt: skip


def _is_zip(filename: str) -> bool:
    return PurePosixPath(filename.replace("\\", "/")).suffix.lower() == ".zip"


@contextmanager
def _sources(file: BinaryIO, filename: str, second: BinaryIO | None, second_name: str | None) -> Iterator[list[Source]]:
    """The files of a dataset or of span annotations: the upload (and a second one), or the entries of
    an uploaded zip."""
    if _is_zip(filename):
        with archive_entries(file, **_zip_limits()) as sources:
            yield sources
        return
    yield [uploaded(file, filename), *([uploaded(second, second_name or "stances")] if second else [])]


@contextmanager
def opened_dataset(
    *, format: str, file: BinaryIO, filename: str, second: BinaryIO | None = None, second_name: str | None = None
):
    """The dataset's reader over its files (checked: names, headers)."""
    if second is not None and format != "fnc1":
        raise RuleViolation({"stances": [IMPORT_SECOND_FILE]})
    module, _ = DATASETS[format]
    with _sources(file, filename, second, second_name) as sources:
        yield module.Dataset(sources)


def import_run(
    *,
    project: Project,
    file: BinaryIO,
    filename: str,
    format: str | None = None,
    max_bytes: int | None = None,
    preannotate: bool = True,
    progress: Progress | None = None,
    second: BinaryIO | None = None,
    second_name: str | None = None,
    gold: bool = False,
    mapping: object = None,
) -> dict:
    """Import a file (an FNC-1 dataset: its two files, `file` and `second`, or a zip of both), then
    draft attributions for its new articles when the project asks for that (and `preannotate` does
    not say no): the report, with `suggestions` drafted. Drafting runs after the import's own
    transaction, so storing the articles never waits for it. `gold` writes a dataset's stances as
    the articles' gold annotation; `mapping` extends brat's default type mapping (claims.imports.brat)."""
    progress = progress or Progress()
    size = _require_size(file, max_bytes) + (_require_size(second, max_bytes) if second is not None else 0)
    format = import_format(filename=filename, format=format)
    if second is not None and format not in DATASETS:
        raise RuleViolation({"stances": [IMPORT_SECOND_FILE]})
    if mapping not in (None, "") and format != "brat":
        raise RuleViolation({"mapping": [IMPORT_MAPPING_BRAT_ONLY]})
    if format in SPAN_FORMATS:
        roles = brat.roles(mapping) if format == "brat" else None
        with _sources(file, filename, None, None) as sources:
            progress.stage("Importing documents", total=len(sources))
            report, new_ids = documents_import(
                project=project, documents=SPAN_FORMATS[format].documents(sources, roles), gold=gold,
                annotator=format, progress=progress,
            )  # fmt: skip
    elif format in DATASETS:
        with opened_dataset(format=format, file=file, filename=filename, second=second,
                            second_name=second_name) as dataset:  # fmt: skip
            files = {dataset.stances_file.name: dataset.stances_file.size}
            if dataset.articles_file is not None:
                files[dataset.articles_file.name] = dataset.articles_file.size
            progress.stage("Reading the file", total=sum(files.values()) * (1 if len(files) > 1 else 2))
            report, new_ids = dataset_import(
                project=project, dataset=dataset, columns=DATASETS[format][1], gold=gold, progress=progress
            )
    else:
        progress.stage("Reading the file", total=size)
        report = articles_file_import(
            project=project, file=file, filename=filename, format=format, max_bytes=max_bytes, progress=progress
        )
        new_ids = [entry["id"] for entry in report.accepted]
    drafted = 0
    if preannotate and project.preannotate_on_import and new_ids:
        progress.stage("Drafting attributions", total=len(new_ids))
        drafted = imported_articles_preannotate(project=project, article_ids=new_ids, progress=progress)
    return {**report.as_dict(), "suggestions": drafted}


def _store(project: Project, file: BinaryIO, filename: str) -> str:
    safe_name = get_valid_filename(PurePosixPath(filename.replace("\\", "/")).name) or "upload"
    file.seek(0)
    return default_storage.save(f"{UPLOAD_FOLDER}/{project.pk}/{uuid.uuid4().hex}-{safe_name}", file)


def import_enqueue(
    *, project: Project, user, file: BinaryIO, filename: str, format: str | None = None,
    second: BinaryIO | None = None, second_name: str | None = None, gold: bool = False, mapping: object = None,
) -> Job:  # fmt: skip
    """Check what can be checked at once (the format, the size; a dataset's files, headers and labels),
    store the upload, queue its import."""
    project_require_active(project)
    format = import_format(filename=filename, format=format)
    _require_size(file, None)
    if second is not None:
        _require_size(second, None)
    if mapping not in (None, ""):
        if format != "brat":
            raise RuleViolation({"mapping": [IMPORT_MAPPING_BRAT_ONLY]})
        brat.roles(mapping)
    if format in DATASETS:
        with opened_dataset(format=format, file=file, filename=filename, second=second,
                            second_name=second_name) as dataset:  # fmt: skip
            labels_check(project=project, dataset=dataset)
        stored = [_store(project, file, filename)] + (
            [_store(project, second, second_name or "stances")] if second else []
        )
        parameters = {"file": stored[0], "filename": filename, "format": format, "gold": gold}
        if second is not None:
            parameters |= {"second": stored[1], "second_name": second_name or "stances"}
        try:
            return job_enqueue(project=project, user=user, kind=JobKind.IMPORT, parameters=parameters)
        except BaseException:
            for name in stored:
                default_storage.delete(name)
            raise
    elif second is not None:
        raise RuleViolation({"stances": [IMPORT_SECOND_FILE]})
    if format == "zip" or (
        format in SPAN_FORMATS and _is_zip(filename)
    ):  # its directory is read at once: an unsafe archive or a zip bomb is a 400 / 413 now
        archive, _ = open_archive(file, **_zip_limits())
        archive.close()
    if format == "csv":  # and a CSV's header: without its columns nothing of the file could be imported
        file.seek(0)
        csv.check_header(file)
    stored = _store(project, file, filename)
    try:
        return job_enqueue(
            project=project, user=user, kind=JobKind.IMPORT,
            parameters={"file": stored, "filename": filename, "format": format, "gold": gold,
                        **({"mapping": mapping} if mapping else {})},
        )  # fmt: skip
    except BaseException:
        default_storage.delete(stored)
        raise


def import_job_run(*, job: Job, progress: Progress) -> dict:
    parameters = job.parameters
    with ExitStack() as stack:
        file = stack.enter_context(default_storage.open(parameters["file"], "rb"))
        second = (
            stack.enter_context(default_storage.open(parameters["second"], "rb")) if "second" in parameters else None
        )
        return import_run(
            project=job.project, file=file, filename=parameters["filename"], format=parameters["format"],
            progress=progress, second=second, second_name=parameters.get("second_name"),
            gold=parameters.get("gold", False), mapping=parameters.get("mapping"),
        )  # fmt: skip


def import_upload_delete(*, name: str) -> None:
    """Remove an import's stored upload once its job has finished (or was found stalled)."""
    default_storage.delete(name)
