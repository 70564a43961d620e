"""Reading and writing the native jsonl format (docs/api.md, the native jsonl export) for pre-annotation."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from .suggestions import Span, Suggestion

AUTO_ANNOTATOR = "auto"
CATALOGUE_INVALID = "The speaker catalogue must be a JSON list of {name, kind, aliases} or an object with 'speakers'."


LINE_NOT_JSON = "line {number}: not JSON ({error})."


class FormatError(ValueError):
    """A file that is not in the expected format; the message says where."""


def read_records(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, record) for every non-empty line."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise FormatError(LINE_NOT_JSON.format(number=number, error=error.msg)) from error
            yield number, record


def load_catalogue(path: Path) -> list[dict]:
    """A catalogue file: a list of speakers, or a project file (seeds/*/project.json) with 'speakers'."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = data.get("speakers")
    if not isinstance(data, list) or not all(isinstance(s, dict) and isinstance(s.get("name"), str) for s in data):
        raise FormatError(CATALOGUE_INVALID)
    return data


def gold_mentions(record: dict) -> list[dict]:
    """The mentions of the record's gold annotation (empty when it has none)."""
    for annotation in record.get("annotations", []):
        if annotation.get("gold"):
            return annotation.get("mentions", [])
    return []


def _span(span: Span | None) -> dict | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def mention_of(suggestion: Suggestion) -> dict:
    """A suggestion in the native mention shape (no claim, no stance: those are the annotator's)."""
    speaker = (
        None
        if suggestion.speaker_name is None
        else {"name": suggestion.speaker_name, "kind": suggestion.speaker_kind or "unnamed"}
    )
    return {
        "start": suggestion.content.start,
        "end": suggestion.content.end,
        "text": suggestion.content.text,
        "speaker": speaker,
        "source": _span(suggestion.source),
        "cue": _span(suggestion.cue),
        "quote_type": suggestion.quote_type,
        "claim": None,
        "stance": None,
    }


def with_auto_annotation(record: dict, suggestions: Iterable[Suggestion]) -> dict:
    """The record with the suggestions as the annotator 'auto' (replacing an earlier 'auto' annotation)."""
    annotations = [a for a in record.get("annotations", []) if a.get("annotator") != AUTO_ANNOTATOR]
    annotations.append(
        {
            "annotator": AUTO_ANNOTATOR,
            "gold": False,
            "status": "submitted",
            "mentions": [mention_of(suggestion) for suggestion in suggestions],
            "article_stances": [],
        }
    )
    return {**record, "annotations": annotations}
