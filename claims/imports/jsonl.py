"""JSON Lines: one article per line, either the native export line of docs/api.md
(`{"article": {...}, "annotations": [...]}`) or a plain article object
(`{"external_id", "title", "body", ...}`). Blank lines are skipped; line numbers count them.
Each line is read as untrusted JSON (claims.untrusted_json): a value PostgreSQL cannot store
rejects its line, with the path to it, and the rest of the file is imported."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

from claims import untrusted_json
from claims.offsets import normalise_newlines
from claims.services.articles import body_sha256

from . import Record

NOT_UTF8 = "This line is not valid UTF-8."
NOT_JSON = "This line is not valid JSON: {message} (column {column})."
ARTICLE_NOT_OBJECT = "'article' must be a JSON object."
ANNOTATIONS_NOT_LIST = "'annotations' must be a list."
UNKNOWN_KEY = "Unknown key; a native line holds 'article', 'annotations' and optionally 'split'."
SHA_MISMATCH = "body_sha256 does not match the body: the text changed since it was exported."

# Keys an exported line carries that an import does not store: ids are the exporting database's,
# the checksum is recomputed (and compared), the split is a property of the export.
_EXPORT_ONLY_ARTICLE_KEYS = ("id", "body_sha256")
_NATIVE_KEYS = {"article", "annotations", "split"}


def _native(line: int, data: dict, position: int) -> Record:
    unknown = set(data) - _NATIVE_KEYS
    if unknown:
        return Record(line, errors={key: [UNKNOWN_KEY] for key in sorted(unknown)}, position=position)
    article = data["article"]
    annotations = data.get("annotations") or []
    if not isinstance(article, dict):
        return Record(line, errors={"article": [ARTICLE_NOT_OBJECT]}, position=position)
    if not isinstance(annotations, list):
        return Record(line, errors={"annotations": [ANNOTATIONS_NOT_LIST]}, position=position)
    fields = {key: value for key, value in article.items() if key not in _EXPORT_ONLY_ARTICLE_KEYS}
    checksum, body = article.get("body_sha256"), article.get("body")
    if isinstance(checksum, str) and isinstance(body, str) and checksum != body_sha256(normalise_newlines(body)):
        return Record(line, errors={"article.body_sha256": [SHA_MISMATCH]}, position=position)
    return Record(line, article=fields, annotations=annotations or None, position=position)


def read(file: BinaryIO) -> Iterator[Record]:
    position = 0
    for line, raw in enumerate(file, start=1):
        position += len(raw)
        if not raw.strip():
            continue
        try:
            data = untrusted_json.decode(raw)
        except UnicodeDecodeError:
            yield Record(line, errors={"non_field_errors": [NOT_UTF8]}, position=position)
            continue
        except untrusted_json.JSONValueRefused as refused:
            field = str(refused.path[0]) if refused.path else "non_field_errors"
            yield Record(line, errors={field: [str(refused)]}, position=position)
            continue
        except json.JSONDecodeError as error:
            message = NOT_JSON.format(message=error.msg, column=error.colno)
            yield Record(line, errors={"non_field_errors": [message]}, position=position)
            continue
        if isinstance(data, dict) and "article" in data:
            yield _native(line, data, position)
        else:
            yield Record(line, article=data, position=position)
