"""What the pre-annotator hands out: spans of the body and suggested attributions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

QuoteType = Literal["direct", "indirect", "mixed"]
SpeakerKind = Literal["person", "organisation", "government", "group", "unnamed"]


@dataclass(frozen=True)
class Span:
    """A stretch of the body in code points, half-open: `body[start:end] == text` always."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, body: str, start: int, end: int) -> Span:
        return cls(start, end, body[start:end])

    @classmethod
    def trimmed(cls, body: str, start: int, end: int) -> Span | None:
        """The span without surrounding whitespace; None when nothing is left."""
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        return cls(start, end, body[start:end]) if end > start else None

    def overlaps(self, other: Span | Region) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span | Region) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class Region:
    """A stretch of the body by its offsets only: an attribution's content until it becomes a suggestion.

    The rules find many candidate clauses that overlap (every cue of a long sentence proposes one); cutting
    each one's text out of the body would cost the square of the sentence's length.
    """

    start: int
    end: int

    def overlaps(self, other: Span | Region) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span | Region) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class Suggestion:
    """One suggested claim mention: who said what, with which words, as what kind of quote."""

    content: Span
    source: Span | None
    cue: Span | None
    quote_type: QuoteType
    # A catalogue name when the speaker resolved to one, otherwise the name as written.
    speaker_name: str | None
    # True when no catalogue entry matched: the app proposes creating the speaker.
    speaker_is_new: bool
    speaker_kind: SpeakerKind | None
    confidence: float


@dataclass(frozen=True)
class Attribution:
    """An attribution found in the text before its speaker is resolved (internal to the package)."""

    content: Span | Region
    source: Span | None
    cue: Span | None
    quote_type: QuoteType
    # How sure the pattern that found it is, before speaker resolution adjusts it.
    confidence: float
    # Which rule found it, for debugging.
    pattern: str
    # Role words a description beside the name gave ('The lead prosecutor, Daniel Okonkwo' -> lead, prosecutor).
    source_roles: tuple[str, ...] = ()
