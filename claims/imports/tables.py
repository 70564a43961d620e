"""Delimited tables with a header row, as the published datasets ship them (FNC-1's and Emergent's
CSV, SemEval-2016's tab-separated text): columns are found by their published names, every cell is
taken exactly as written, and a record's line number is the line it starts on.

The encoding of a file nobody labelled can be guessed (`detect_encoding`): UTF-8 with or without a
byte-order mark when every byte sequence is valid UTF-8, else Windows-1252 (the usual encoding of
files saved by Excel on Windows, which SemEval-2016's training data is), else Latin-1 (which reads
any byte). The guess is named in the import's report.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from claims.services.errors import RuleViolation

TABLE_EMPTY = "{name} is empty: its first line must name the columns."
TABLE_COLUMNS_REQUIRED = "{name} must name the columns {required} in its first line (it has: {columns})."
TABLE_NOT_DECODED = "{name} is not valid {encoding} (near line {line})."
TABLE_MALFORMED = "{name} cannot be read at line {line}: {message}."
TABLE_CELL_COUNT = "This record has {count} cells; the header names {expected} columns."

# A body can be long; the csv module's default cell limit (128 KiB) would refuse it.
_CELL_LIMIT = 64 * 1024 * 1024
_DETECT_CHUNK = 1024 * 1024


@dataclass
class Row:
    line: int
    cells: dict[str, str] | None = None
    errors: dict[str, list[str]] | None = None
    position: int = 0  # bytes read so far, for progress bars


class CountingReader(io.RawIOBase):
    """Counts the bytes read through it, for a progress bar."""

    def __init__(self, file: BinaryIO):
        self.file, self.count = file, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.file.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


def detect_encoding(file: BinaryIO) -> str:
    """'utf-8-sig', 'utf-8', 'windows-1252' or 'latin-1', read in chunks; leaves the file where it was."""
    position = file.tell()
    try:
        head = file.read(3)
        bom = head == codecs.BOM_UTF8
        decoder = codecs.getincrementaldecoder("utf-8")()
        data = head
        try:
            while data:
                decoder.decode(data)
                data = file.read(_DETECT_CHUNK)
            decoder.decode(b"", final=True)
            return "utf-8-sig" if bom else "utf-8"
        except UnicodeDecodeError:
            pass
        file.seek(position)
        try:
            decoder = codecs.getincrementaldecoder("windows-1252")()
            while data := file.read(_DETECT_CHUNK):
                decoder.decode(data)
            return "windows-1252"
        except UnicodeDecodeError:  # one of the five bytes Windows-1252 leaves undefined
            return "latin-1"
    finally:
        file.seek(position)


def _text(file: BinaryIO, encoding: str) -> tuple[CountingReader, io.TextIOWrapper]:
    counting = CountingReader(file)
    # A byte-order mark is not part of the first column's name, whatever the encoding was called.
    encoding = "utf-8-sig" if encoding in ("utf-8", "utf-8-sig") else encoding
    return counting, io.TextIOWrapper(io.BufferedReader(counting), encoding=encoding, newline="")


def read_table(
    file: BinaryIO, *, name: str, required: tuple[str, ...], delimiter: str = ",", encoding: str = "utf-8"
) -> Iterator[Row]:
    """One Row per record: its cells by column name (every column of the header, the required ones
    checked first), or why it cannot be read. A file that cannot be read as a whole (no header, the
    required columns missing, not in `encoding`, broken quoting) raises RuleViolation."""
    counting, text = _text(file, encoding)
    csv.field_size_limit(max(csv.field_size_limit(), _CELL_LIMIT))
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    reader = csv.reader(text, delimiter=delimiter, quoting=quoting, strict=True)
    line = 1
    try:
        try:
            header = [cell.strip() for cell in next(reader)]
        except StopIteration:
            raise RuleViolation({"file": [TABLE_EMPTY.format(name=name)]}) from None
        if not set(required) <= set(header):
            message = TABLE_COLUMNS_REQUIRED.format(
                name=name, required=", ".join(required), columns=", ".join(header) or "none"
            )
            raise RuleViolation({"file": [message]})
        line = reader.line_num + 1
        for cells in reader:
            start, line = line, reader.line_num + 1
            if not cells or cells == [""]:
                continue
            if len(cells) != len(header):
                message = TABLE_CELL_COUNT.format(count=len(cells), expected=len(header))
                yield Row(start, errors={"non_field_errors": [message]}, position=counting.count)
                continue
            yield Row(start, cells=dict(zip(header, cells, strict=True)), position=counting.count)
    except UnicodeDecodeError:
        shown = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8"}.get(encoding, encoding)
        raise RuleViolation({"file": [TABLE_NOT_DECODED.format(name=name, encoding=shown, line=line)]}) from None
    except csv.Error as error:
        raise RuleViolation({"file": [TABLE_MALFORMED.format(name=name, line=line, message=error)]}) from None


def check_header(file: BinaryIO, *, name: str, required: tuple[str, ...], delimiter: str = ",",
                 encoding: str = "utf-8") -> None:  # fmt: skip
    """Raise what read_table would raise about the header (when an upload arrives); leaves the file
    where it was."""
    position = file.tell()
    try:
        next(read_table(file, name=name, required=required, delimiter=delimiter, encoding=encoding), None)
    finally:
        file.seek(position)
