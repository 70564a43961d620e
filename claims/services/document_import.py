"""Importing span annotations (brat standoff, citron JSON): each document's text becomes an article
exactly as written (only its line ends normalised, docs/offsets.md) and its mentions one annotation,
mention by mention: a mention that breaks a rule is rejected with its line, the others are kept.

Offsets arrive in the source text's code points (the readers convert their format's unit). Every
span is checked against that text (`text[start:end] == span text`) and then moved to the stored
body, where each `\\r\\n` became `\\n`. A document whose annotation is already there (the same
annotator, or a gold one) is skipped whole: importing the same files again changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

from claims.imports.spans import Document
from claims.models import Assignment, Project
from claims.offsets import newline_offsets, normalise_newlines, span_problems

from .annotation_import import annotation_import, claim_ref, speaker_ref
from .articles import IMPORT_ALREADY_PRESENT, ImportReport, article_get_or_create
from .assignments import assignment_submit
from .errors import RuleViolation
from .labels import mention_create

DOCUMENT_ANNOTATED = "this document's annotation is already in the project (unchanged)"
_SPANS = (("content", None), ("source", "source"), ("cue", "cue"))


def _moved(mention: dict, raw: str, convert: Callable[[int], int]) -> tuple[dict, dict[str, list[str]]]:
    """The mention with its spans checked against the source text and moved to the stored body."""
    moved, errors = dict(mention), {}
    for field, key in _SPANS:
        span = mention if key is None else mention.get(key)
        if span is None:
            continue
        problems = span_problems(raw, span.get("start"), span.get("end"), span.get("text"))
        if not problems:
            try:
                span = {"start": convert(span["start"]), "end": convert(span["end"]),
                        "text": normalise_newlines(span["text"])}  # fmt: skip
            except ValueError as error:
                problems = [str(error)]
        if problems:
            errors[field] = problems
        elif key is None:
            moved |= span
        else:
            moved[key] = span
    return moved, errors


def _document_import(*, project: Project, document: Document, gold: bool, annotator: str) -> ImportReport:
    """One document's entries (written to the caller's report once the document's savepoint holds)."""
    report = ImportReport()
    where = {"line": document.number, "file": document.name}
    lines = {"file": document.lines_file or document.name}
    article, created = article_get_or_create(project=project, external_id=document.external_id, title=document.title,
                                             body=document.text)  # fmt: skip
    entry = {**where, "external_id": article.external_id, "id": article.pk}
    report.skipped.extend({"line": line, **lines, "reason": reason} for line, reason in document.skipped)
    report.rejected.extend({"line": line, **lines, "errors": errors} for line, errors in document.rejected)
    if not document.lines_file:  # a text without annotations
        (report.accepted if created else report.skipped).append(
            entry if created else {**entry, "reason": IMPORT_ALREADY_PRESENT}
        )
        return report
    is_gold = gold if document.gold is None else document.gold
    assignment = annotation_import(
        article=article,
        annotation={"annotator": document.annotator or annotator, "gold": is_gold, "status": "in_progress"},
    )
    if assignment is None:
        report.skipped.append({**entry, "reason": DOCUMENT_ANNOTATED})
        return report
    convert = newline_offsets(document.text)
    kept = 0
    for line, mention in document.mentions:
        moved, errors = _moved(mention, document.text, convert)
        try:
            if errors:
                raise RuleViolation(errors)
            with transaction.atomic():
                mention_create(
                    assignment=assignment, start=moved["start"], end=moved["end"], text=moved["text"],
                    speaker=speaker_ref(project, moved.get("speaker")), source=moved.get("source"),
                    cue=moved.get("cue"), quote_type=moved.get("quote_type") or "direct",
                    claim=claim_ref(project, moved.get("claim"), assignment.annotator), stance=moved.get("stance"),
                )  # fmt: skip
            kept += 1
        except RuleViolation as error:
            report.rejected.append({"line": line, **lines, "errors": error.errors})
    assignment_submit(assignment=Assignment.objects.get(pk=assignment.pk))
    report.accepted.append({**entry, "mentions": kept, **({"new": True} if created else {})})
    return report


@transaction.atomic
def documents_import(
    *, project: Project, documents: Iterable[Document], gold: bool = False, annotator: str,
    progress: Callable[[int], None] = lambda count: None,
) -> tuple[ImportReport, list[int]]:  # fmt: skip
    """Import every document (one savepoint each: a document that fails is reported and the rest go
    on); the report and the ids of the new articles."""
    report, new_ids, done = ImportReport(), [], 0
    for document in documents:
        progress(document.number - done)
        done = document.number
        where = {"line": document.number, "file": document.name}
        if document.errors:
            report.rejected.append({**where, "errors": document.errors})
            continue
        if document.text is None:
            report.skipped.extend({**where, "reason": reason} for _, reason in document.skipped)
            continue
        try:
            with transaction.atomic():
                found = _document_import(project=project, document=document, gold=gold, annotator=annotator)
        except RuleViolation as error:
            report.rejected.append({**where, "errors": error.errors})
            continue
        new_ids.extend(entry["id"] for entry in found.accepted if entry.pop("new", None) or "mentions" not in entry)
        for name in ("accepted", "skipped", "rejected"):
            getattr(report, name).extend(getattr(found, name))
    for entries in (report.accepted, report.skipped, report.rejected):
        entries.sort(key=lambda entry: (entry["file"], entry["line"]))
    return report, new_ids
