"""What the span formats (brat standoff, citron JSON) read into: one Document per text, its mentions
in the native shape (docs/api.md) with offsets still in the source text's code points, and the
lines (or quotes) that could not be read, each with why.

Where a document's annotation goes comes from its folder, as our exports write them: `gold/…` is
the article's gold annotation, `annotators/<username>/…` that person's; anywhere else, the import's
own annotation (the gold one when asked).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .text import max_file_bytes

# Annotations of one text take more room than the text: a file of them may be this many times larger
# than the largest text an article holds before it is refused unread.
ANNOTATIONS_PER_TEXT = 8


@dataclass
class Document:
    number: int  # the entry's number in the archive (1 for a single file)
    name: str  # the file the report names for the document
    external_id: str
    text: str | None = None
    title: str = ""  # brat has none (the .txt is the body, whole); our citron export writes the article's
    gold: bool | None = None  # None: the import decides
    annotator: str | None = None
    mentions: list[tuple[int, dict]] = field(default_factory=list)  # (line, native mention)
    rejected: list[tuple[int, dict[str, list[str]]]] = field(default_factory=list)  # (line, errors)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    errors: dict[str, list[str]] | None = None  # the whole document cannot be read
    lines_file: str = ""  # the file the mentions' line numbers count in (the .ann); "" when none


def folder_owner(name: str) -> tuple[bool | None, str | None]:
    """(gold, annotator) told by an exported file's folder; (None, None) when it tells nothing."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if len(parts) >= 2 and parts[-2] == "gold":
        return True, None
    if len(parts) >= 3 and parts[-3] == "annotators":
        return False, parts[-2]
    return None, None


def text_too_large(size: int) -> bool:
    return size > max_file_bytes()


def annotations_too_large(size: int) -> bool:
    return size > ANNOTATIONS_PER_TEXT * max_file_bytes()
