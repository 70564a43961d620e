"""Importing a published stance dataset (FNC-1, Emergent, SemEval-2016): articles, tracked claims and
each row as an article stance of one import annotation, in one transaction.

The rows stream through PostgreSQL: articles by `articles_import` (COPY), stance rows by COPY into a
temporary table, where SQL finds each row's article, the rows that repeat a (claim, article) pair,
creates the missing claims, one submitted assignment per article and the stances, in row order
(so an export keeps the file's order). Python holds one row at a time, whatever the file's size.

- A claim's text is the file's text exactly: never trimmed, re-spaced or re-cased. Headlines that
  differ only by case or spacing stay separate claims and are named in the report (`notes`), as
  they would have been merged by the claim service's matching.
- A row that repeats an earlier row's (claim, article) pair with the same label is a duplicate: it
  is skipped, counted and named in the report (one article stance per pair and annotation); with
  another label it is rejected, naming the first line.
- Labels go through the project's label mappings (StanceLabel.fnc1 / .emergent / .semeval, the
  first label by position that maps to the value and is usable on articles); a label of the format
  that no project label maps to refuses the whole file, naming it, before anything is written.
- Idempotent: an article that already has this import's annotation (the gold one, or the import
  annotator's) is left as it is and its rows reported as skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models.functions import Lower

from claims.imports import Record, StanceRecord
from claims.models import Claim, Membership, Project, Role, StanceLabel

from .annotation_import import import_user
from .articles import ImportReport, articles_import, holds_nul
from .errors import RuleViolation

DATASET_LABELS_UNMAPPED = (
    "These {format} labels are in the file but no label of the project maps to them: {labels}. Map each one "
    "in the project's label set ({format} mapping of a label usable on articles) and import again."
)
DATASET_LABEL_UNKNOWN = "{label!r} is not a {format} label; one of: {labels}."
DATASET_NO_LABEL = "No stance ({label}): the text is imported, without a stance."
DATASET_CLAIM_INVALID = "The claim's text must be 1 to 2000 characters."
DATASET_CLAIM_SPACES = (
    "The claim's text begins or ends with a space; a tracked claim's text cannot, and import never changes it."
)
DATASET_ID_REQUIRED = "The article's id is empty."
DATASET_NUL = "Text cannot contain NUL (\\x00) characters: PostgreSQL cannot store them."
DATASET_NO_ARTICLE = "No article with the external_id {external_id!r} in the file or the project."
DATASET_ARTICLE_REJECTED = "This row's article was rejected (see its line)."
DATASET_DUPLICATE = "duplicate of line {line}: same claim, article and stance (one article stance is kept)"
DATASET_CONFLICT = "Line {line} gives this claim and article the stance {stance!r}; an annotation holds one."
DATASET_ANNOTATED = "the article already has this import's annotation (unchanged)"
EXAMPLES = 10


@dataclass(frozen=True)
class Columns:
    """The file's names for the fields, used in the report's messages."""

    claim: str
    external_id: str
    label: str


def label_mapping(*, project: Project, mapping: str) -> dict[str, str]:
    """The format's label → the project's label value (the first by position that maps to it)."""
    found: dict[str, str] = {}
    for label in StanceLabel.objects.filter(project=project, for_articles=True).order_by("position", "value"):
        if getattr(label, mapping) not in ("", "omit"):
            found.setdefault(getattr(label, mapping), label.value)
    return found


def labels_check(*, project: Project, dataset) -> None:
    """Refuse the file (a 400) when it uses a label of the format that the project does not map."""
    mapping = label_mapping(project=project, mapping=dataset.mapping)
    used = {record.label for record in dataset.stances() if not record.errors}
    unmapped = sorted(label for label in used if label in dataset.labels and label not in mapping)
    if unmapped:
        message = DATASET_LABELS_UNMAPPED.format(format=dataset.format, labels=", ".join(unmapped))
        raise RuleViolation({"format": [message]})


_CREATE = """
    CREATE TEMPORARY TABLE IF NOT EXISTS claims_stance_import (
        line integer PRIMARY KEY, claim text NOT NULL, external_id text NOT NULL, stance text NOT NULL,
        article_id bigint, claim_id bigint, assignment_id bigint, outcome text, first_line integer,
        first_stance text
    ) ON COMMIT DROP
"""
_COPY = "COPY claims_stance_import (line, claim, external_id, stance) FROM STDIN"
# Each step marks the rows it settles (outcome); the rest go on. %(gold)s / %(user)s say which
# annotation the import writes: the gold one, or the import annotator's own.
_STEPS = (
    # The planner needs to know the table's size (and, below, that of the rows this import added to
    # the project's tables): the integrity triggers' lookups were planned as scans otherwise, 35 s
    # for FNC-1's 25,000 test stances instead of 2.
    "ANALYZE claims_stance_import",
    """UPDATE claims_stance_import s SET article_id = ar.id FROM claims_article ar
        WHERE ar.project_id = %(project)s AND ar.external_id = s.external_id""",
    "UPDATE claims_stance_import SET outcome = 'no_article' WHERE article_id IS NULL",
    """UPDATE claims_stance_import s SET outcome = 'annotated' WHERE s.outcome IS NULL AND EXISTS (
        SELECT 1 FROM claims_assignment a WHERE a.article_id = s.article_id
           AND (CASE WHEN %(gold)s THEN a.is_gold ELSE a.annotator_id = %(user)s AND NOT a.is_gold END))""",
    # Claims: the file's exact texts, new ones in the order of their first row.
    """INSERT INTO claims_claim (project_id, text, notes, created_by_id, created_at, updated_at)
       SELECT %(project)s, claim, '', %(user)s, now(), now() FROM claims_stance_import
        WHERE outcome IS NULL GROUP BY claim ORDER BY min(line)
       ON CONFLICT (project_id, text) DO NOTHING""",
    "ANALYZE claims_claim",
    """UPDATE claims_stance_import s SET claim_id = coalesce(c.merged_into_id, c.id) FROM claims_claim c
        WHERE s.outcome IS NULL AND c.project_id = %(project)s AND c.text = s.claim""",
    # Pairs: the first row of each (claim, article) keeps it; later ones are duplicates or conflicts.
    """UPDATE claims_stance_import s SET first_line = f.first_line, first_stance = f.first_stance,
              outcome = CASE WHEN f.first_stance = s.stance THEN 'duplicate' ELSE 'conflict' END
         FROM (SELECT line, first_value(line) OVER pair AS first_line, first_value(stance) OVER pair AS first_stance
                 FROM claims_stance_import WHERE outcome IS NULL
               WINDOW pair AS (PARTITION BY article_id, claim_id ORDER BY line)) f
        WHERE f.line = s.line AND f.first_line <> s.line""",
    """INSERT INTO claims_assignment (article_id, annotator_id, is_gold, status, skip_reason, review_comment,
                                      version, created_at, started_at, submitted_at, updated_at)
       SELECT article_id, %(user)s, %(gold)s, 'submitted', '', '', 1, now(), now(), now(), now()
         FROM claims_stance_import WHERE outcome IS NULL GROUP BY article_id ORDER BY min(line)""",
    "ANALYZE claims_assignment",
    "ANALYZE claims_stance_import",
    """UPDATE claims_stance_import s SET assignment_id = a.id FROM claims_assignment a
        WHERE s.outcome IS NULL AND a.article_id = s.article_id AND a.annotator_id = %(user)s
          AND a.is_gold = %(gold)s""",
    # Ids follow the rows' order: the FNC-1 export orders its rows by them.
    """INSERT INTO claims_articlestance (assignment_id, claim_id, stance, version, created_at, updated_at)
       SELECT assignment_id, claim_id, stance, 1, now(), now() FROM claims_stance_import
        WHERE outcome IS NULL ORDER BY line""",
)
_OUTCOMES = """
    SELECT s.line, s.outcome, s.external_id, s.claim, s.first_line, s.first_stance, st.id
      FROM claims_stance_import s
      LEFT JOIN claims_articlestance st ON s.outcome IS NULL AND st.assignment_id = s.assignment_id
                                       AND st.claim_id = s.claim_id
     ORDER BY s.line
"""


# Django declares foreign keys DEFERRABLE INITIALLY DEFERRED: each row written queues a check, and
# PostgreSQL walks that queue at the end of every later statement, including each one the history
# triggers run per row. With 50,000 stances that is quadratic (30 s of 33 for FNC-1's 25,000 test
# stances); checked at each statement's end instead, the queue stays empty.
_DEFERRED_KEYS = """
    SELECT conname FROM pg_constraint
     WHERE contype = 'f' AND condeferrable AND condeferred
       AND conrelid IN ('claims_claim'::regclass, 'claims_assignment'::regclass, 'claims_articlestance'::regclass)
"""


@contextmanager
def _foreign_keys_checked_per_statement(cursor) -> Iterator[None]:
    cursor.execute(_DEFERRED_KEYS)
    names = ", ".join(connection.ops.quote_name(name) for (name,) in cursor.fetchall())
    cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
    yield
    cursor.execute(f"SET CONSTRAINTS {names} DEFERRED")


def _normalised(text: str) -> str:
    """How the claim service matches claims (case and spacing ignored)."""
    return " ".join(text.split()).lower()


def _similar_claims(project: Project) -> dict:
    """Groups of different texts among the imported rows' claims and the project's claims that the
    claim service would take for one claim: count and the first examples."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT claim FROM claims_stance_import WHERE outcome IS DISTINCT FROM 'no_article'")
        groups: dict[str, set[str]] = {}
        for (text,) in cursor.fetchall():
            groups.setdefault(_normalised(text), set()).add(text)
    existing = Claim.objects.filter(project=project).annotate(lower_text=Lower("text"))
    for text in existing.filter(lower_text__in=list(groups)).values_list("text", flat=True):
        groups.setdefault(_normalised(text), set()).add(text)
    similar = sorted(sorted(texts) for texts in groups.values() if len(texts) > 1)
    return {"count": len(similar), "examples": similar[:EXAMPLES]}


def _row_problems(record: StanceRecord, dataset, columns: Columns) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not record.claim or len(record.claim) > 2000:
        problems[columns.claim] = [DATASET_CLAIM_INVALID]
    elif record.claim != record.claim.strip(" "):
        problems[columns.claim] = [DATASET_CLAIM_SPACES]
    if not record.external_id.strip():
        problems[columns.external_id] = [DATASET_ID_REQUIRED]
    if record.label not in (*dataset.labels, *dataset.no_label):
        labels = ", ".join(dataset.labels)
        problems[columns.label] = [
            DATASET_LABEL_UNKNOWN.format(label=record.label, format=dataset.format, labels=labels)
        ]
    for name, value in ((columns.claim, record.claim), (columns.external_id, record.external_id)):
        if holds_nul(value):
            problems[name] = [DATASET_NUL]
    return problems


def _stances_import(
    *, project: Project, dataset, columns: Columns, gold: bool, user, report: ImportReport, skip_lines: set[int],
    progress: Callable[[int], None],
) -> dict:  # fmt: skip
    """The stance rows, through the temporary table; the notes on duplicates and similar claims."""
    mapping = label_mapping(project=project, mapping=dataset.mapping)
    name = dataset.stances_file.name if dataset.articles_file else None
    where = {"file": name} if name else {}
    position = 0
    with connection.cursor() as cursor:
        cursor.execute(_CREATE)
        cursor.execute("TRUNCATE claims_stance_import")
        with cursor.copy(_COPY) as copy:
            for record in dataset.stances():
                progress(record.position - position)
                position = record.position
                if record.line in skip_lines:
                    continue
                errors = record.errors or _row_problems(record, dataset, columns)
                if errors:
                    report.rejected.append({"line": record.line, **where, "errors": errors})
                elif record.label in dataset.no_label:
                    reason = DATASET_NO_LABEL.format(label=record.label)
                    report.skipped.append({"line": record.line, **where, "external_id": record.external_id,
                                           "reason": reason})  # fmt: skip
                else:
                    copy.write_row((record.line, record.claim, record.external_id.strip(), mapping[record.label]))
        params = {"project": project.pk, "user": user.pk, "gold": gold}
        with _foreign_keys_checked_per_statement(cursor):
            for step in _STEPS:
                cursor.execute(step, params)
        notes = {"similar_claims": _similar_claims(project)}
        duplicates = []
        cursor.execute(_OUTCOMES)
        for line, outcome, external_id, claim, first_line, first_stance, stance_id in cursor:
            entry = {"line": line, **where, "external_id": external_id}
            if outcome is None:
                report.accepted.append({**entry, "id": stance_id})
            elif outcome == "annotated":
                report.skipped.append({**entry, "reason": DATASET_ANNOTATED})
            elif outcome == "duplicate":
                report.skipped.append({**entry, "reason": DATASET_DUPLICATE.format(line=first_line)})
                duplicates.append({"line": line, "same_as_line": first_line, "claim": claim,
                                   "external_id": external_id})  # fmt: skip
            elif outcome == "conflict":
                message = DATASET_CONFLICT.format(line=first_line, stance=first_stance)
                report.rejected.append({"line": line, **where, "errors": {columns.label: [message]}})
            else:
                message = DATASET_NO_ARTICLE.format(external_id=external_id)
                report.rejected.append({"line": line, **where, "errors": {columns.external_id: [message]}})
    notes["duplicate_rows"] = {"count": len(duplicates), "examples": duplicates[:EXAMPLES]}
    return notes


def _repeated(record: Record, seen: set[str]) -> bool:
    """Whether a one-file dataset's row repeats an article an earlier row added (each row carries its
    article: the first one adds it)."""
    external_id = record.article.get("external_id") if isinstance(record.article, dict) else None
    if not isinstance(external_id, str):
        return False
    if external_id.strip() in seen:
        return True
    seen.add(external_id.strip())
    return False


@transaction.atomic
def dataset_import(
    *, project: Project, dataset, columns: Columns, gold: bool = False, annotator: str | None = None,
    progress: Callable[[int], None] = lambda count: None,
) -> tuple[ImportReport, list[int]]:  # fmt: skip
    """Import a dataset (a reader of claims.imports with `articles()` and `stances()`): the report, and
    the ids of the new articles. `annotator` names the import annotation's account (default: the
    format's name; an inactive placeholder when no such user exists)."""
    labels_check(project=project, dataset=dataset)
    user = import_user(annotator or dataset.format)
    Membership.objects.get_or_create(
        project=project, user=user, defaults={"role": Role.REVIEWER if gold else Role.ANNOTATOR}
    )
    own_file = dataset.articles_file is not None
    unreadable: list[dict] = []
    seen: set[str] = set()
    position = 0

    def article_rows() -> Iterator[tuple[int, object]]:
        nonlocal position
        for record in dataset.articles():
            progress(record.position - position)
            position = record.position
            if record.errors:
                unreadable.append({"line": record.line, "errors": record.errors})
            elif own_file or not _repeated(record, seen):
                yield record.line, record.article

    articles = articles_import(project=project, rows=article_rows())
    articles.rejected.extend(unreadable)
    new_ids = [entry["id"] for entry in articles.accepted]
    report = ImportReport()
    notes: dict = {}
    if own_file:
        where = {"file": dataset.articles_file.name}
        report.accepted = [{**entry, **where} for entry in articles.accepted]
        report.skipped = [{**entry, **where} for entry in articles.skipped]
        report.rejected = [{**entry, **where} for entry in articles.rejected]
        skip_lines: set[int] = set()
    else:
        report.rejected = list(articles.rejected)
        skip_lines = {entry["line"] for entry in articles.rejected}
        notes["articles"] = {"added": len(articles.accepted), "already_there": len(articles.skipped)}
    if getattr(dataset, "encoding_guess", None):
        notes["encoding"] = dataset.encoding_guess
    position = 0
    notes |= _stances_import(
        project=project, dataset=dataset, columns=columns, gold=gold, user=user, report=report,
        skip_lines=skip_lines, progress=progress,
    )  # fmt: skip
    report.rejected.sort(key=lambda entry: (entry.get("file", ""), entry["line"]))
    report.notes = notes
    return report, new_ids
