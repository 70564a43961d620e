"""brat standoff: a zip of `<name>.txt` (the text, exactly: never split into a title) and `<name>.ann`
(the annotations), with or without an `annotation.conf`; the folders our brat export writes
(`gold/`, `annotators/<username>/`) say whose annotation a document is.

The default mapping (the types of our own brat export first, then names common in quotation corpora),
which a mapping the user gives extends or overrides (`{"Statement": "content", "Person": "source",
"Location": ""}`: a type to `content`, `source` or `cue`, or to "" to skip it; `mapping` in the API,
`--mapping` in `import_articles`):
- T lines (text-bound): `Content`, `Quote`, `Quotation` are a mention's content; `Source`, `Speaker`
  its source; `Cue` its cue. Other types are skipped and named in the report. A span written as
  fragments (`T1<TAB>Content 10 20;21 42<TAB>…`, as brat writes a span across line breaks) is one
  span when only line-break characters lie between its fragments; otherwise the line is rejected.
- R lines: a relation between a source (or a cue) and a content, whatever its name (`SourceOf`,
  `CueOf`, …), gives that content its source (or cue).
- E lines (events): the event's trigger and arguments are sorted by their types the same way: a
  cue trigger with `Source:` and `Content:` arguments, say, is one attribution.
- A / M lines (attributes): `QuoteType` (direct / indirect / mixed) and `Stance` (a project label)
  of a content. Without a QuoteType, a content that begins with a quotation mark is direct, any
  other indirect. Other attributes are skipped and named.
- `#` AnnotatorNotes on a content in our export's shape (`speaker: Name (kind); claim: text`) give
  the speaker and the tracked claim. Without a note the source's text names the speaker.

Offsets are code points into the .txt as brat reads it (UTF-8, line ends untouched): every span is
checked against it (`text[start:end]` joined by spaces must be the line's text, as brat checks),
then moved to the stored body, whose `\\r\\n` line ends become `\\n`.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from itertools import pairwise
from pathlib import PurePosixPath

from claims import untrusted_json
from claims.exports.brat import LINE_BREAKS
from claims.services.errors import RuleViolation

from .sources import Source
from .spans import Document, annotations_too_large, folder_owner, text_too_large
from .text import too_large

FORMAT = "brat"
ROLES = {"Content": "content", "Quote": "content", "Quotation": "content", "Source": "source",
         "Speaker": "source", "Cue": "cue"}  # fmt: skip
QUOTE_MARKS = "\"“”„«»‘’‚'‹›「『"

BRAT_MAPPING_INVALID = (
    'mapping must be a JSON object from brat types to content, source, cue or "" (skip), e.g. '
    '{"Statement": "content", "Person": "source"}.'
)
BRAT_TXT_MISSING = "This .ann has no .txt beside it."
BRAT_ANN_MISSING = "This .txt has no .ann beside it: the text is imported without annotations."
BRAT_NOT_UTF8 = "The file is not valid UTF-8."
BRAT_ENTRY_SKIPPED = "Neither a .txt nor a .ann file."
BRAT_LINE_SYNTAX = "This line is not in brat's standoff syntax."
BRAT_TYPE_UNMAPPED = "{type!r} is not mapped to a content, source or cue: skipped."
BRAT_OFFSETS = "Offsets must be pairs of whole numbers, start before end, within the text ({length} characters)."
BRAT_TEXT_MISMATCH = "The line's text {text!r} is not the text at its offsets ({actual!r})."
BRAT_DISCONTINUOUS = "A discontinuous span with text between its fragments cannot be one mention."
BRAT_UNKNOWN_ID = "{id!r} is not a text-bound annotation of this file (or was rejected)."
BRAT_NOT_A_PAIR = "Not a source or cue related to a content: skipped."
BRAT_ATTRIBUTE_UNMAPPED = "The attribute {name!r} is not mapped (QuoteType, Stance): skipped."
BRAT_ATTRIBUTE_TARGET = "Attributes are kept on contents only: skipped."
BRAT_LINE_KIND = "Lines of this kind are not imported: skipped."
BRAT_STANCE_WITHOUT_CLAIM = (
    "A stance is held toward a tracked claim and this content names none (no `claim:` note): the stance is "
    "left out, the mention kept."
)
BRAT_SECOND = "The content already has a {role} (line {line}): this one is skipped."

_ID = re.compile(r"^[A-Za-z#*]+[0-9]*$")
_NOTE = re.compile(r"^speaker: (?P<name>.*) \((?P<kind>[a-z]+)\)$")


class _Span:
    def __init__(self, line: int, role: str, start: int, end: int, text: str):
        self.line, self.role, self.start, self.end, self.text = line, role, start, end, text

    def native(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


def roles(mapping: object) -> dict[str, str]:
    """The default mapping with the user's on top (a dict, or its JSON text as a form sends it);
    RuleViolation when the user's is not one."""
    if mapping in (None, ""):
        return ROLES
    if isinstance(mapping, str):
        try:
            mapping = untrusted_json.decode(mapping)
        except ValueError:
            raise RuleViolation({"mapping": [BRAT_MAPPING_INVALID]}) from None
    if not isinstance(mapping, dict) or not all(
        isinstance(kind, str) and value in ("content", "source", "cue", "") for kind, value in mapping.items()
    ):
        raise RuleViolation({"mapping": [BRAT_MAPPING_INVALID]})
    return {**ROLES, **mapping}


def _text_bound(line: int, rest: str, raw: str, document: Document, mapping: dict[str, str]) -> _Span | None:
    data, _, tail = rest.partition("\t")
    kind, _, offsets = data.partition(" ")
    role = mapping.get(kind) or None
    if role is None:
        document.skipped.append((line, BRAT_TYPE_UNMAPPED.format(type=kind)))
        return None
    try:
        pieces = [tuple(int(number) for number in piece.split(" ")) for piece in offsets.split(";")]
        if any(len(piece) != 2 or not 0 <= piece[0] < piece[1] <= len(raw) for piece in pieces):
            raise ValueError
    except ValueError:
        document.rejected.append((line, {"offsets": [BRAT_OFFSETS.format(length=len(raw))]}))
        return None
    actual = " ".join(raw[start:end] for start, end in pieces)
    if tail != actual:
        document.rejected.append((line, {"text": [BRAT_TEXT_MISMATCH.format(text=tail, actual=actual)]}))
        return None
    for (_, end), (start, _) in pairwise(pieces):
        if end > start or any(character not in LINE_BREAKS for character in raw[end:start]):
            document.rejected.append((line, {"offsets": [BRAT_DISCONTINUOUS]}))
            return None
    start, end = pieces[0][0], pieces[-1][1]
    return _Span(line, role, start, end, raw[start:end])


class _Mention:
    def __init__(self, content: _Span):
        self.content = content
        self.links: dict[str, _Span] = {}
        self.attributes: dict[str, str] = {}
        self.attribute_lines: dict[str, int] = {}
        self.note: str | None = None

    def link(self, span: _Span, line: int, document: Document) -> None:
        if span.role in self.links:
            message = BRAT_SECOND.format(role=span.role, line=self.links[span.role].line)
            document.skipped.append((line, message))
        else:
            self.links[span.role] = span

    def native(self) -> dict:
        content = self.content
        source = self.links.get("source")
        quote_type = self.attributes.get("QuoteType") or ("direct" if content.text[:1] in QUOTE_MARKS else "indirect")
        speaker, claim = None, None
        found = _NOTE.match(self.note.split("; claim: ")[0]) if self.note else None
        if found:
            speaker = {"name": found["name"], "kind": found["kind"]}
        elif source is not None:
            speaker = {"name": " ".join(source.text.split()), "kind": "person"}
        if self.note and "claim: " in self.note:
            claim = {"text": self.note.split("claim: ", 1)[1]}
        return {
            **content.native(), "source": source.native() if source else None,
            "cue": self.links["cue"].native() if "cue" in self.links else None, "quote_type": quote_type,
            "speaker": speaker, "claim": claim, "stance": self.attributes.get("Stance"),
        }  # fmt: skip


def parse(ann: str, raw: str, document: Document, mapping: dict[str, str] = ROLES) -> None:
    """The .ann's mentions into `document`, with what was rejected or skipped, line by line (lines cut
    as brat cuts them, str.splitlines)."""
    spans: dict[str, _Span] = {}
    later: list[tuple[int, str, str]] = []
    for number, line in enumerate(ann.splitlines(), start=1):
        if not line.strip():
            continue
        identifier, tab, rest = line.partition("\t")
        if not tab or not _ID.match(identifier):
            document.rejected.append((number, {"non_field_errors": [BRAT_LINE_SYNTAX]}))
        elif identifier[0] == "T":
            span = _text_bound(number, rest, raw, document, mapping)
            if span is not None:
                spans[identifier] = span
        else:
            later.append((number, identifier, rest))
    mentions = {tid: _Mention(span) for tid, span in spans.items() if span.role == "content"}

    def known(number: int, tid: str) -> _Span | None:
        if tid not in spans:
            document.rejected.append((number, {"non_field_errors": [BRAT_UNKNOWN_ID.format(id=tid)]}))
            return None
        return spans[tid]

    for number, identifier, rest in later:
        kind = identifier[0]
        if kind in "RE":
            arguments = [part.split(":", 1)[-1] for part in rest.split()]
            if kind == "R":
                arguments = arguments[1:]
            found = [(tid, known(number, tid)) for tid in arguments if tid.startswith("T")]
            if any(span is None for _, span in found):
                continue
            contents = [mentions[tid] for tid, span in found if span.role == "content"]
            others = [span for _, span in found if span.role != "content"]
            if not contents or not others:
                document.skipped.append((number, BRAT_NOT_A_PAIR))
            for mention in contents:
                for span in others:
                    mention.link(span, number, document)
        elif kind in "AM":
            name, _, target_value = rest.partition(" ")
            target, _, value = target_value.partition(" ")
            if name not in ("QuoteType", "Stance"):
                document.skipped.append((number, BRAT_ATTRIBUTE_UNMAPPED.format(name=name)))
            elif known(number, target) is not None:
                if target in mentions:
                    mentions[target].attributes[name] = value
                    mentions[target].attribute_lines[name] = number
                else:
                    document.skipped.append((number, BRAT_ATTRIBUTE_TARGET))
        elif kind == "#":
            data, _, note = rest.partition("\t")
            label, _, target = data.partition(" ")
            if label == "AnnotatorNotes" and target in mentions:
                mentions[target].note = note
            else:
                document.skipped.append((number, BRAT_LINE_KIND))
        else:
            document.skipped.append((number, BRAT_LINE_KIND))
    for mention in mentions.values():
        if "Stance" in mention.attributes and not (mention.note and "claim: " in mention.note):
            document.skipped.append((mention.attribute_lines.pop("Stance"), BRAT_STANCE_WITHOUT_CLAIM))
            del mention.attributes["Stance"]
    document.mentions = [(mention.content.line, mention.native()) for mention in mentions.values()]


def _decoded(source: Source) -> str | None:
    with source.open() as file:
        data = file.read()
    try:
        return data.decode("utf-8")  # a byte-order mark stays: brat counts it as a character
    except UnicodeDecodeError:
        return None


def documents(sources: list[Source], mapping: dict[str, str] = ROLES) -> Iterator[Document]:
    """One Document per .txt (its .ann beside it), in the archive's order; other files reported.
    `mapping`: brat type → content / source / cue (see `roles`)."""
    stems: dict[str, dict[str, tuple[int, Source]]] = {}
    others: list[tuple[int, Source]] = []
    for number, source in enumerate(sources, start=1):
        path = PurePosixPath(source.name.replace("\\", "/"))
        if path.suffix.lower() in (".txt", ".ann"):
            stems.setdefault(str(path.with_suffix("")), {})[path.suffix.lower()] = (number, source)
        elif path.name != "annotation.conf":
            others.append((number, source))
    for number, source in others:
        yield Document(number, source.name, "", skipped=[(0, BRAT_ENTRY_SKIPPED)])
    for stem, files in stems.items():
        gold, annotator = folder_owner(stem + ".txt")
        number, txt = files[".txt"] if ".txt" in files else files[".ann"]
        document = Document(number, txt.name, PurePosixPath(stem).name, gold=gold, annotator=annotator)
        if ".txt" not in files:
            document.errors = {"file": [BRAT_TXT_MISSING]}
            yield document
            continue
        ann_size = files[".ann"][1].size if ".ann" in files else 0
        if text_too_large(txt.size) or annotations_too_large(ann_size):  # refused unread
            document.errors = too_large(max(txt.size, ann_size))
            yield document
            continue
        try:
            document.text = _decoded(txt)
            ann = _decoded(files[".ann"][1]) if ".ann" in files else ""
        except (zipfile.BadZipFile, OSError) as error:
            document.errors = {"file": [str(error)]}
            yield document
            continue
        if document.text is None or ann is None:
            document.errors = {"file": [BRAT_NOT_UTF8]}
        elif ".ann" not in files:
            document.skipped.append((0, BRAT_ANN_MISSING))
        else:
            document.lines_file = files[".ann"][1].name
            parse(ann, document.text, document, mapping)
        yield document
