"""CSV with a header row (UTF-8, comma-separated, RFC 4180 quoting; a byte-order mark is allowed).

The header names the columns. Article fields are matched by name, case-insensitively:
external_id and body are required; title, source, url, author, published_at, language are
optional; a `metadata` column holds a JSON object (read by claims.untrusted_json: a value that
cannot be stored rejects its line). Any other column is kept, not refused: its cells go into the
article's metadata under the column's name, so nothing in the file is lost.
Cells are taken exactly as written: an export's formula-injection quote is not removed.
A record's line number is the line it starts on (a quoted body can span many lines).
A header may name at most MAX_COLUMNS columns; a wider file is refused before any row is read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

from claims import untrusted_json
from claims.services.errors import RuleViolation

from . import Record
from .tables import CountingReader

CSV_EMPTY = "The file is empty: the first line must name the columns."
CSV_COLUMNS_REQUIRED = "The header must name the columns external_id and body (it has: {columns})."
CSV_DUPLICATE_COLUMN = "The header names the column {column!r} twice."
CSV_NOT_UTF8 = "The file is not valid UTF-8 (near line {line}); save it as UTF-8 and import it again."
CSV_MALFORMED = "The CSV cannot be read at line {line}: {message}."
CSV_CELL_COUNT = "This record has {count} cells; the header names {expected} columns."
CSV_METADATA_INVALID = "The metadata cell must hold a JSON object."
CSV_TOO_MANY_COLUMNS = "The header names {count} columns; at most {limit} are accepted."

ARTICLE_COLUMNS = ("external_id", "title", "body", "source", "url", "author", "published_at", "language")
# A body can be long; the csv module's default cell limit (128 KiB) would refuse it.
_CELL_LIMIT = 64 * 1024 * 1024
# Eight article fields and metadata, and every other column kept in metadata: an article's
# metadata of a thousand keys is already more than anyone reads. The limit also bounds each row's
# work (a row is a list of cells, and its extra columns one dict), whatever a file declares.
MAX_COLUMNS = 1000
_NAMED_COLUMNS = frozenset((*ARTICLE_COLUMNS, "metadata"))


def _header(reader) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise RuleViolation({"file": [CSV_EMPTY]}) from None
    if len(header) > MAX_COLUMNS:
        raise RuleViolation({"file": [CSV_TOO_MANY_COLUMNS.format(count=len(header), limit=MAX_COLUMNS)]})
    columns: list[str] = []
    seen: set[str] = set()  # a set, not the list: one lookup per column, however many there are
    for cell in header:
        name = cell.strip()
        column = name.lower() if name.lower() in _NAMED_COLUMNS else name
        if column in seen:
            raise RuleViolation({"file": [CSV_DUPLICATE_COLUMN.format(column=column)]})
        seen.add(column)
        columns.append(column)
    if "external_id" not in seen or "body" not in seen:
        raise RuleViolation({"file": [CSV_COLUMNS_REQUIRED.format(columns=", ".join(columns) or "none")]})
    return columns


def _record(line: int, columns: list[str], cells: list[str], position: int) -> Record:
    if len(cells) != len(columns):
        message = CSV_CELL_COUNT.format(count=len(cells), expected=len(columns))
        return Record(line, errors={"non_field_errors": [message]}, position=position)
    article: dict = {}
    metadata: dict = {}
    extra: dict = {}
    for column, cell in zip(columns, cells, strict=True):
        if column in ARTICLE_COLUMNS:
            article[column] = cell
        elif column == "metadata":
            try:
                metadata = untrusted_json.decode(cell, at=("metadata",)) if cell.strip() else {}
            except untrusted_json.JSONValueRefused as refused:
                return Record(line, errors={"metadata": [str(refused)]}, position=position)
            except ValueError:  # not JSON
                metadata = None
            if not isinstance(metadata, dict):
                return Record(line, errors={"metadata": [CSV_METADATA_INVALID]}, position=position)
        else:
            extra[column] = cell
    article["metadata"] = metadata | extra
    return Record(line, article=article, position=position)


def _reader(file: BinaryIO) -> tuple[CountingReader, Iterator[list[str]]]:
    counting = CountingReader(file)
    text = io.TextIOWrapper(io.BufferedReader(counting), encoding="utf-8-sig", newline="")
    csv.field_size_limit(max(csv.field_size_limit(), _CELL_LIMIT))
    return counting, csv.reader(text, strict=True)


def _as_rule_violation(error: Exception, line: int) -> RuleViolation:
    if isinstance(error, UnicodeDecodeError):
        return RuleViolation({"file": [CSV_NOT_UTF8.format(line=line)]})
    return RuleViolation({"file": [CSV_MALFORMED.format(line=line, message=error)]})


def check_header(file: BinaryIO) -> None:
    """Read the header row alone and raise what `read` would raise about it (when an upload arrives, so
    a file without the needed columns is refused at once). Leaves the file where it was."""
    position = file.tell()
    try:
        _header(_reader(file)[1])
    except (UnicodeDecodeError, csv.Error) as error:
        raise _as_rule_violation(error, 1) from None
    finally:
        file.seek(position)


def read(file: BinaryIO) -> Iterator[Record]:
    counting, reader = _reader(file)
    line = 1
    try:
        columns = _header(reader)
        line = reader.line_num + 1
        for cells in reader:
            start, line = line, reader.line_num + 1
            if cells:
                yield _record(start, columns, cells, counting.count)
    except (UnicodeDecodeError, csv.Error) as error:
        raise _as_rule_violation(error, line) from None
