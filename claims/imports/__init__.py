"""Reading article files for import, one module per format: jsonl, csv, text and zips of text; the
published stance datasets fnc1, emergent and semeval2016, whose rows are article stances too
(`StanceRecord`, shared table reading in `tables.py`, the files in `sources.py`); the span formats
brat and citron, one `spans.Document` per text.

Readers only read: they yield one `Record` per line or file, with the article's fields or the
reason it cannot be read, and never touch the database. `claims.services.imports` feeds the
records to the article and annotation services, which validate and store them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Record:
    """One line (or file) of the input: an article to add, or why it cannot be read."""

    line: int
    article: object = None
    annotations: list | None = None  # native jsonl lines only
    errors: dict[str, list[str]] | None = None
    name: str | None = None  # the entry's name, for files read from a zip archive
    position: int = 0  # bytes of the input read so far, for progress bars


class FileTooLarge(Exception):
    """The input exceeds a size limit (an HTTP 413, not a 400: nothing is wrong with its content)."""


@dataclass
class StanceRecord:
    """One row of a stance dataset: the article (by external_id) takes `label` (the format's own
    label) toward the claim whose text is `claim`; or why the row cannot be read."""

    line: int
    claim: str = ""
    external_id: str = ""
    label: str = ""
    errors: dict[str, list[str]] | None = None
    position: int = 0
