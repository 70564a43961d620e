# News text uses typographic apostrophes, quotation marks and dashes; the rules must name them.
"""The structure of an article body that the rules work on: paragraphs, quotations, sentences.

Everything is an offset into the body (code points), so every span the rules build from it
satisfies `body[start:end] == text`.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from .vocabulary import word_set

OPENING_MARKS = "“«"
CLOSING_MARKS = "”»"
STRAIGHT_MARK = '"'
ALL_MARKS = OPENING_MARKS + CLOSING_MARKS + STRAIGHT_MARK

# Tokens before a full stop that do not end a sentence.
ABBREVIATIONS = word_set(
    "dr mr mrs ms prof st gen sen rep gov lt col capt sgt jr sr inc ltd co corp no vs etc "
    "jan feb mar apr aug sep sept oct nov dec mt ft ave approx dept"
)
# Words that start a new sentence after an ambiguous abbreviation such as "U.S." or "a.m.".
SENTENCE_STARTERS = word_set("the he she it they we i in a an but and this that his her its their there on at for as")

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")
_TERMINATOR = re.compile(r"[.?!]+")
_DOTTED = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]?$|^[A-Z]$")


@dataclass(frozen=True)
class Quotation:
    """A stretch in quotation marks. `close` is the closing mark's offset, None when unclosed."""

    open: int
    close: int | None
    paragraph_end: int

    @property
    def inner_start(self) -> int:
        return self.open + 1

    @property
    def inner_end(self) -> int:
        return self.close if self.close is not None else self.paragraph_end

    @property
    def end(self) -> int:
        """The offset just after the quotation, closing mark included."""
        return self.close + 1 if self.close is not None else self.paragraph_end


class Document:
    """An article body split into paragraphs, quotations and sentences."""

    def __init__(self, body: str):
        self.body = body

    @cached_property
    def paragraphs(self) -> list[tuple[int, int]]:
        spans, start = [], 0
        for match in _PARAGRAPH_BREAK.finditer(self.body):
            if match.start() > start:
                spans.append((start, match.start()))
            start = match.end()
        if start < len(self.body):
            spans.append((start, len(self.body)))
        return spans

    @cached_property
    def quotations(self) -> list[Quotation]:
        found: list[Quotation] = []
        for start, end in self.paragraphs:
            found.extend(_pair_marks(self.body, start, end))
        return found

    @cached_property
    def _quotation_starts(self) -> list[int]:
        return [quotation.open for quotation in self.quotations]

    def quotation_around(self, position: int) -> Quotation | None:
        """The quotation whose marks enclose `position` (marks included)."""
        index = bisect.bisect_right(self._quotation_starts, position) - 1
        if index >= 0:
            quotation = self.quotations[index]
            if quotation.open <= position < quotation.end:
                return quotation
        return None

    def in_quotation(self, position: int) -> bool:
        return self.quotation_around(position) is not None

    def quotations_between(self, start: int, end: int) -> list[Quotation]:
        return [q for q in self.quotations if start <= q.open and q.end <= end]

    def is_clause_comma(self, position: int) -> bool:
        """A comma that separates words, not digits ('85,000'), outside quotation marks."""
        body = self.body
        if body[position] != ",":
            return False
        if 0 < position < len(body) - 1 and body[position - 1].isdigit() and body[position + 1].isdigit():
            return False
        return not self.in_quotation(position)

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        for start, end in self.paragraphs:
            found.extend(self._split_sentences(start, end))
        return found

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [start for start, _ in self.sentences]

    def sentence_at(self, position: int) -> tuple[int, int]:
        index = max(bisect.bisect_right(self._sentence_starts, position) - 1, 0)
        return self.sentences[index]

    def paragraph_at(self, position: int) -> tuple[int, int]:
        for start, end in self.paragraphs:
            if start <= position < end or position == end:
                return start, end
        return 0, len(self.body)

    def _split_sentences(self, start: int, end: int) -> list[tuple[int, int]]:
        body, sentences, sentence_start = self.body, [], start
        for match in _TERMINATOR.finditer(body, start, end):
            boundary = self._boundary_after(match.start(), match.end(), end)
            if boundary is None or boundary <= sentence_start:
                continue
            sentences.append((sentence_start, boundary))
            sentence_start = boundary
            while sentence_start < end and body[sentence_start].isspace():
                sentence_start += 1
        if sentence_start < end:
            sentences.append((sentence_start, end))
        return sentences

    def _boundary_after(self, first: int, after: int, paragraph_end: int) -> int | None:
        """Where a sentence ends if the terminator at [first, after) ends one, else None."""
        body = self.body
        quotation = self.quotation_around(first)
        if quotation is not None:
            # Inside a quotation only the last terminator before the closing mark can end the
            # sentence, and then the sentence ends after the mark.
            if quotation.close is None or body[after : quotation.close].strip():
                return None
            after = quotation.end
        while after < paragraph_end and body[after] in ")]’'":
            after += 1
        if after >= paragraph_end:
            return after
        if not body[after].isspace():
            return None
        following = _next_word_start(body[after:paragraph_end])
        if not following or not (following[0].isupper() or following[0] in OPENING_MARKS + STRAIGHT_MARK):
            return None
        if body[first] == "." and quotation is None and self._is_abbreviation(first, following):
            return None
        return after

    def _is_abbreviation(self, dot: int, following: str) -> bool:
        token = self.body[:dot].rsplit(maxsplit=1)[-1] if self.body[:dot].strip() else ""
        token = token.lstrip("(“\"'‘")
        if token.lower() in ABBREVIATIONS:
            return True
        if _DOTTED.match(token):
            next_word = re.match(r"[\w’']+", following)
            return not (next_word and next_word.group().lower() in SENTENCE_STARTERS)
        return False


def _next_word_start(text: str) -> str:
    """The text without leading spaces and symbols: an emoji between two sentences does not join them."""
    for index, char in enumerate(text):
        if not (char.isspace() or unicodedata.category(char)[0] == "S" or unicodedata.category(char) == "Cf"):
            return text[index:]
    return ""


def _pair_marks(body: str, start: int, end: int) -> list[Quotation]:
    """Pair quotation marks within one paragraph; a quotation left open runs to the paragraph's end."""
    found: list[Quotation] = []
    open_at: int | None = None
    for position in range(start, end):
        mark = body[position]
        if mark not in ALL_MARKS:
            continue
        if open_at is None:
            if mark in OPENING_MARKS or mark == STRAIGHT_MARK:
                open_at = position
        elif (mark in CLOSING_MARKS and body[open_at] in OPENING_MARKS) or (
            mark == STRAIGHT_MARK and body[open_at] == STRAIGHT_MARK
        ):
            found.append(Quotation(open_at, position, end))
            open_at = None
    if open_at is not None:
        found.append(Quotation(open_at, None, end))
    return found
