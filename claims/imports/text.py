"""Plain text: one article per .txt file (UTF-8), or a .zip archive of them.

The first line is the title; the body is the rest, after the blank line that follows the title
(when there is none, the body starts on the second line). The external_id is the file name
without its extension. In an archive, files other than .txt are reported, and the resource
forks macOS adds (`__MACOSX/`, `._name`) are passed over.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import BinaryIO

from claims.offsets import normalise_newlines

from . import Record
from .archives import open_archive

TEXT_NOT_UTF8 = "The file is not valid UTF-8."
ENTRY_NOT_TEXT = "Only .txt files are read from an archive."
ENTRY_UNREADABLE = "This entry cannot be read: {message}."


def article_of(raw: bytes, external_id: str) -> dict | None:
    """Title and body of a text file; None when it is not UTF-8."""
    try:
        text = normalise_newlines(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return None
    title, _, body = text.partition("\n")
    if body.startswith("\n"):
        body = body[1:]
    return {"external_id": external_id, "title": title, "body": body}


def read_text(file: BinaryIO, *, name: str) -> Iterator[Record]:
    raw = file.read()
    article = article_of(raw, PurePosixPath(name.replace("\\", "/")).stem)
    if article is None:
        yield Record(1, errors={"file": [TEXT_NOT_UTF8]}, name=name, position=len(raw))
    else:
        yield Record(1, article=article, name=name, position=len(raw))


def _is_resource_fork(path: PurePosixPath) -> bool:
    return path.parts[0] == "__MACOSX" or path.name.startswith("._")


def read_zip(file: BinaryIO, *, max_entries: int, max_uncompressed: int) -> Iterator[Record]:
    """One record per file entry, numbered from 1 in the archive's order."""
    archive, entries = open_archive(file, max_entries=max_entries, max_uncompressed=max_uncompressed)
    position = 0
    with archive:
        for number, entry in enumerate(entries, start=1):
            position += entry.compress_size
            path = PurePosixPath(entry.filename.replace("\\", "/"))
            if _is_resource_fork(path):
                continue
            if path.suffix.lower() != ".txt":
                yield Record(number, errors={"file": [ENTRY_NOT_TEXT]}, name=entry.filename, position=position)
                continue
            try:
                raw = archive.read(entry)
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError) as error:
                message = ENTRY_UNREADABLE.format(message=error)
                yield Record(number, errors={"file": [message]}, name=entry.filename, position=position)
                continue
            article = article_of(raw, path.stem)
            if article is None:
                yield Record(number, errors={"file": [TEXT_NOT_UTF8]}, name=entry.filename, position=position)
            else:
                yield Record(number, article=article, name=entry.filename, position=position)
