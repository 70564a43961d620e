"""Citron (BBC R&D) JSON documents, `{"text", "quotes": [{"cue", "sources", "contents", …}]}`, every span
`{"start", "end", "text"}` in characters of `text` (code points): one .json per request, or a zip of
them (the folders our citron export writes, `gold/` and `annotators/<username>/`, say whose
annotation each document is). The external_id is the file name without `.json`.

Each content span of a quote is a mention, with the quote's cue and first source (our mention has
one content span: a quote of two contents comes back from our export as two quotes). The speaker is
the quote's `speaker` (our export's extra key) or else its first coreference's text, or else its
first source's text; `quote_type`, `claim` and `stance` are read when present (our export writes
them), else a content that begins with a quotation mark is direct and any other indirect. Our
export's `mentions_without_cue` are read the same way. A report line is the quote's position in
`quotes` (then in `mentions_without_cue`, numbered on). The keys our export adds, `article`
(external_id, title) and `annotator`, are read back when present.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath

from claims import untrusted_json

from .brat import QUOTE_MARKS
from .sources import Source
from .spans import Document, annotations_too_large, folder_owner
from .text import too_large

FORMAT = "citron"

CITRON_NOT_JSON = "The file is not a JSON document: {message}."
CITRON_NOT_DOCUMENT = "A Citron document is an object with 'text' (a string) and 'quotes' (a list)."
CITRON_QUOTE_INVALID = "A quote is an object with 'contents' (a list of spans), 'cue' and 'sources'."
CITRON_SPAN_INVALID = "A span is an object with whole-number 'start' and 'end' and a 'text'."
CITRON_ENTRY_SKIPPED = "Only .json files are read."
_QUOTE_TYPES = ("direct", "indirect", "mixed")


def _span(value) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not all(key in value for key in ("start", "end", "text")):
        raise ValueError(CITRON_SPAN_INVALID)
    return {"start": value["start"], "end": value["end"], "text": value["text"]}


def _speaker(quote: dict, source: dict | None) -> dict | None:
    speaker = quote.get("speaker")
    if isinstance(speaker, dict) and isinstance(speaker.get("name"), str):
        return {"name": speaker["name"], "kind": speaker.get("kind") or "person"}
    named = (quote.get("coreferences") or [None])[0] or source
    if isinstance(named, dict) and isinstance(named.get("text"), str) and named["text"].strip():
        return {"name": " ".join(named["text"].split()), "kind": "person"}
    return None


def _mentions(quote: object) -> list[dict]:
    if not isinstance(quote, dict) or not isinstance(quote.get("contents"), list) or not quote["contents"]:
        raise ValueError(CITRON_QUOTE_INVALID)
    sources = quote.get("sources") or []
    if not isinstance(sources, list):
        raise ValueError(CITRON_QUOTE_INVALID)
    source = _span(sources[0]) if sources else None
    cue = _span(quote.get("cue"))
    claim = quote.get("claim") if isinstance(quote.get("claim"), dict) else None
    mentions = []
    for content in quote["contents"]:
        span = _span(content)
        text = span["text"] if isinstance(span["text"], str) else ""
        quote_type = quote.get("quote_type")
        if quote_type not in _QUOTE_TYPES:
            quote_type = "direct" if text[:1] in QUOTE_MARKS else "indirect"
        speaker = _speaker(quote, source)
        mentions.append({**span, "source": source, "cue": cue, "quote_type": quote_type, "speaker": speaker,
                         "claim": claim, "stance": quote.get("stance")})  # fmt: skip
    return mentions


def document(number: int, name: str, data: bytes) -> Document:
    gold, annotator = folder_owner(name)
    found = Document(number, name, PurePosixPath(name.replace("\\", "/")).stem, gold=gold, annotator=annotator,
                     lines_file=name)  # fmt: skip
    try:
        parsed = untrusted_json.decode(data)
    except (ValueError, UnicodeDecodeError) as error:
        found.errors = {"file": [CITRON_NOT_JSON.format(message=error)]}
        return found
    if (
        not isinstance(parsed, dict)
        or not isinstance(parsed.get("text"), str)
        or not isinstance(parsed.get("quotes", []), list)
    ):
        found.errors = {"file": [CITRON_NOT_DOCUMENT]}
        return found
    found.text = parsed["text"]
    # Our export's extra keys: the article's id and title, and whose annotation it is.
    article = parsed.get("article") if isinstance(parsed.get("article"), dict) else {}
    if isinstance(article.get("external_id"), str) and article["external_id"].strip():
        found.external_id = article["external_id"]
    if isinstance(article.get("title"), str):
        found.title = article["title"]
    if isinstance(parsed.get("annotator"), str) and parsed["annotator"].strip():
        found.annotator = parsed["annotator"]
    quotes = [*parsed.get("quotes", []), *(parsed.get("mentions_without_cue") or [])]
    for number_in_file, quote in enumerate(quotes, start=1):
        try:
            found.mentions.extend((number_in_file, mention) for mention in _mentions(quote))
        except ValueError as error:
            found.rejected.append((number_in_file, {"non_field_errors": [str(error)]}))
    return found


def documents(sources: list[Source], mapping: None = None) -> Iterator[Document]:
    """One Document per .json, in the archive's order (`mapping` is brat's; Citron's keys say what a span is)."""
    for number, source in enumerate(sources, start=1):
        if PurePosixPath(source.name.replace("\\", "/")).suffix.lower() != ".json":
            yield Document(number, source.name, "", skipped=[(0, CITRON_ENTRY_SKIPPED)])
            continue
        if annotations_too_large(source.size):  # refused unread
            yield Document(number, source.name, "", errors=too_large(source.size))
            continue
        try:
            with source.open() as file:
                data = file.read()
        except (zipfile.BadZipFile, OSError) as error:
            yield Document(number, source.name, "", errors={"file": [str(error)]})
            continue
        yield document(number, source.name, data)
