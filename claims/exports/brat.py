"""brat standoff: per document `<external_id>.txt` (the body, exactly) and `<external_id>.ann`,
zipped as `gold/…` and `annotators/<username>/…` with an `annotation.conf` at the top, so the
unzipped folder opens in brat as a collection.

Each mention becomes:
- T lines `Content`, `Source`, `Cue`: `T1<TAB>Content 10 42<TAB>text`, offsets in characters of the
  .txt (code points). brat reads .ann files line by line, cut where Python's `str.splitlines` cuts
  (\n, \r, \v, \f, \x1c, \x1d, \x1e, \x85, U+2028, U+2029), so a span that crosses any of those
  is written as fragments between them (`T1<TAB>Content 10 20;21 42<TAB>…`), their texts joined by
  one space, as brat does for discontinuous spans;
- R lines `SourceOf Arg1:<source> Arg2:<content>` and `CueOf Arg1:<cue> Arg2:<content>`;
- A lines `QuoteType <content> direct|indirect|mixed` and `Stance <content> <label>`;
- an `AnnotatorNotes` comment (`#1`) on the content naming the speaker (and kind) and the claim.
Article stances have no span and are not part of brat's output (use jsonl, fnc1 or emergent).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from .documents import documents
from .naming import document_folder, safe_name
from .query import ExportQuery
from .streaming import JSON_LINES, ExportStats, copy_rows
from .zipstream import ZipStream

CONTENT_TYPE = "application/zip"
EXTENSION = "zip"
PER_ARTICLE = True


def annotation_conf(stance_values: tuple[str, ...]) -> str:
    stances = "|".join(stance_values) or "none"
    return (
        "[entities]\nSource\nCue\nContent\n\n"
        "[relations]\nSourceOf\tArg1:Source, Arg2:Content\nCueOf\tArg1:Cue, Arg2:Content\n"
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n"
        "[events]\n\n"
        f"[attributes]\nQuoteType\tArg:Content, Value:direct|indirect|mixed\nStance\tArg:Content, Value:{stances}\n"
    )


# Every character str.splitlines (which brat's reader uses) ends a line at; \r\n is two of them.
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def fragments(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at line breaks (LINE_BREAKS) into the non-empty pieces between them."""
    pieces, piece_start = [], start
    for index in range(start, end):
        if body[index] in LINE_BREAKS:
            if index > piece_start:
                pieces.append((piece_start, index))
            piece_start = index + 1
    if end > piece_start:
        pieces.append((piece_start, end))
    return pieces


def _one_line(text: str) -> str:
    return " ".join(text.split())


class _Ann:
    """Numbers and writes the lines of one .ann file."""

    def __init__(self, body: str) -> None:
        self.body, self.lines, self.counts = body, [], {}

    def _next(self, prefix: str) -> str:
        self.counts[prefix] = self.counts.get(prefix, 0) + 1
        return f"{prefix}{self.counts[prefix]}"

    def text_bound(self, kind: str, span: dict | None) -> str | None:
        pieces = fragments(self.body, span["start"], span["end"]) if span else []
        if not pieces:
            return None
        tid = self._next("T")
        offsets = ";".join(f"{start} {end}" for start, end in pieces)
        text = " ".join(self.body[start:end] for start, end in pieces)
        self.lines.append(f"{tid}\t{kind} {offsets}\t{text}")
        return tid

    def add(self, prefix: str, data: str, tail: str | None = None) -> None:
        self.lines.append(f"{self._next(prefix)}\t{data}" + (f"\t{tail}" if tail is not None else ""))

    def mention(self, mention: dict) -> None:
        content = self.text_bound("Content", mention)
        if content is None:
            return
        source = self.text_bound("Source", mention["source"])
        cue = self.text_bound("Cue", mention["cue"])
        if source:
            self.add("R", f"SourceOf Arg1:{source} Arg2:{content}")
        if cue:
            self.add("R", f"CueOf Arg1:{cue} Arg2:{content}")
        self.add("A", f"QuoteType {content} {mention['quote_type']}")
        if mention["stance"]:
            self.add("A", f"Stance {content} {mention['stance']}")
        notes = []
        if mention["speaker"]:
            notes.append(f"speaker: {_one_line(mention['speaker']['name'])} ({mention['speaker']['kind']})")
        if mention["claim"]:
            notes.append(f"claim: {_one_line(mention['claim']['text'])}")
        if notes:
            self.add("#", f"AnnotatorNotes {content}", "; ".join(notes))

    def text(self) -> str:
        return "".join(f"{line}\n" for line in self.lines)


def ann_file(document: dict) -> str:
    ann = _Ann(document["article"]["body"])
    for mention in document["mentions"]:
        ann.mention(mention)
    return ann.text()


def stream(*, cursor, query: ExportQuery, stats: ExportStats) -> Iterator[bytes]:
    archive = ZipStream()
    yield from archive.file("annotation.conf", annotation_conf(query.stance_values).encode())
    for row in copy_rows(cursor, documents(query), query.params(), JSON_LINES):
        document = json.loads(row)
        stem = f"{document_folder(document)}/{safe_name(document['article']['external_id'])}"
        stats.records += 1
        yield from archive.file(f"{stem}.txt", document["article"]["body"].encode())
        yield from archive.file(f"{stem}.ann", ann_file(document).encode())
    yield from archive.close()
