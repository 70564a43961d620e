"""Plain text: one article per .txt file (UTF-8), or a .zip archive of them.

The first line is the title; the body is the rest, after the blank line that follows the title
(when there is none, the body starts on the second line). The external_id is the file name
without its extension. In an archive, files other than .txt are reported, and the resource
forks macOS adds (`__MACOSX/`, `._name`) are passed over. A file too large to hold an article of
ARTICLE_MAX_CHARS characters is rejected unread, and an archive is read one entry at a time.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import BinaryIO

from django.conf import settings

from claims.offsets import normalise_newlines

from . import Record
from .archives import open_archive

TEXT_NOT_UTF8 = "The file is not valid UTF-8."
ENTRY_NOT_TEXT = "Only .txt files are read from an archive."
ENTRY_UNREADABLE = "This entry cannot be read: {message}."
FILE_TOO_LARGE = (
    "This file holds {size} bytes, more than an article of at most {limit} characters (ARTICLE_MAX_CHARS) takes; "
    "it was not read."
)


def max_file_bytes() -> int:
    """The most bytes a file can have and hold an article: UTF-8 takes at most four bytes a
    character, and the title line (at most 1,000 characters) and a byte-order mark fit in 8 KiB."""
    return 4 * settings.ARTICLE_MAX_CHARS + 8 * 1024


def too_large(size: int) -> dict[str, list[str]]:
    return {"file": [FILE_TOO_LARGE.format(size=size, limit=settings.ARTICLE_MAX_CHARS)]}


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
    start = file.tell()
    size = file.seek(0, os.SEEK_END) - start
    file.seek(start)
    if size > max_file_bytes():
        yield Record(1, errors=too_large(size), name=name, position=size)
        return
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
            if entry.file_size > max_file_bytes():  # zipfile decompresses no more than the size declared
                yield Record(number, errors=too_large(entry.file_size), name=entry.filename, position=position)
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
