"""What pre-annotating one article may cost: how much of its body is read, how many suggestions are kept.

The app reads both limits from its settings (PREANNOTATE_MAX_CHARS, PREANNOTATE_MAX_SUGGESTIONS): whatever
an imported body holds, drafting it takes a bounded time and stores a bounded number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .attributions import preannotate
from .document import Document
from .speakers import Catalogue
from .suggestions import Suggestion

NOTE_BODY_CUT = "Only the first {read:,} of {length:,} characters were pre-annotated (the limit is {limit:,})."
NOTE_SUGGESTIONS_CUT = "Only the first {limit:,} of {found:,} suggestions were kept."


@dataclass(frozen=True)
class Preannotation:
    suggestions: list[Suggestion]
    # How much of the body was read: all of it, unless it was longer than the limit.
    read_chars: int
    # What was left out, in words to show the person who asked ("" when nothing was).
    note: str


def preannotate_within(
    body: str, *, speakers: Catalogue | Iterable[dict] = (), max_chars: int, max_suggestions: int
) -> Preannotation:
    """`preannotate` within a budget: a body longer than `max_chars` is read up to the end of its last whole
    sentence before the limit, and only the first `max_suggestions` suggestions (in text order) are kept."""
    read = len(body) if len(body) <= max_chars else reading_end(body, max_chars)
    suggestions = preannotate(body[:read], speakers=speakers)
    notes = []
    if read < len(body):
        notes.append(NOTE_BODY_CUT.format(read=read, length=len(body), limit=max_chars))
    if len(suggestions) > max_suggestions:
        notes.append(NOTE_SUGGESTIONS_CUT.format(limit=max_suggestions, found=len(suggestions)))
        suggestions = suggestions[:max_suggestions]
    return Preannotation(suggestions, read, " ".join(notes))


def reading_end(body: str, limit: int) -> int:
    """Where to stop reading a body longer than `limit`: after the last whole sentence (or paragraph) that ends
    before it; else after the last whole word; else at the limit."""
    head = body[:limit]
    ends = [end for _, end in Document(head).sentences if end < len(head)]
    if ends:
        return ends[-1]
    last_space = next((index for index in range(len(head) - 1, 0, -1) if head[index].isspace()), None)
    if last_space is None:
        return limit
    return len(head[:last_space].rstrip()) or limit
