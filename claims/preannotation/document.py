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
_NON_SPACE = re.compile(r"\S")
_ALNUM = re.compile(r"[^\W_]")
_FIRST_WORD = re.compile(r"[\w’']+")
# A word as the rules count words (noun_phrases.words_in): it starts with a letter or digit.
WORD = re.compile(r"[^\W_][\w’'.&-]*", re.UNICODE)
# Marks that end a phrase looking back for a comma ('X, who ..., said'): nothing before them belongs to it.
_CLAUSE_MARKS = re.compile(r"[;:—–]")


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
        self._first_alnum: dict[int, int] = {}

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

    @cached_property
    def _quotation_ends(self) -> list[int]:
        # Quotations never nest or overlap, so their ends are in the order of their starts.
        return [quotation.end for quotation in self.quotations]

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
        first = bisect.bisect_left(self._quotation_starts, start)
        after = bisect.bisect_right(self._quotation_ends, end)
        return self.quotations[first:after] if first < after else []

    def first_quotation_from(self, start: int) -> Quotation | None:
        """The first quotation that opens at or after `start`."""
        index = bisect.bisect_left(self._quotation_starts, start)
        return self.quotations[index] if index < len(self.quotations) else None

    def last_quotation_within(self, start: int, end: int) -> Quotation | None:
        """The last quotation that opens at or after `start` and ends (closing mark included) by `end`."""
        index = bisect.bisect_right(self._quotation_ends, end) - 1
        if index >= 0 and self.quotations[index].open >= start:
            return self.quotations[index]
        return None

    def is_clause_comma(self, position: int) -> bool:
        """A comma that separates words, not digits ('85,000'), outside quotation marks."""
        body = self.body
        if body[position] != ",":
            return False
        if 0 < position < len(body) - 1 and body[position - 1].isdigit() and body[position + 1].isdigit():
            return False
        return not self.in_quotation(position)

    # --- positions found once, looked up by bisection: the rules ask about them once per cue -------

    @cached_property
    def clause_commas(self) -> list[int]:
        body = self.body
        return [index for index in _positions_of(body, ",") if self.is_clause_comma(index)]

    @cached_property
    def _clause_marks(self) -> list[int]:
        return [match.start() for match in _CLAUSE_MARKS.finditer(self.body)]

    def next_clause_comma(self, start: int, end: int) -> int | None:
        """The first clause comma in [start, end)."""
        index = bisect.bisect_left(self.clause_commas, start)
        if index < len(self.clause_commas) and self.clause_commas[index] < end:
            return self.clause_commas[index]
        return None

    def previous_clause_comma(self, limit: int, position: int) -> int | None:
        """The last clause comma in [limit, position), unless one of ; : — – comes after it."""
        index = bisect.bisect_left(self.clause_commas, position) - 1
        if index < 0 or self.clause_commas[index] < limit:
            return None
        comma = self.clause_commas[index]
        mark = bisect.bisect_left(self._clause_marks, position) - 1
        return None if mark >= 0 and self._clause_marks[mark] > comma else comma

    @cached_property
    def _words(self) -> tuple[list[int], list[int]]:
        starts, ends = [], []
        for match in WORD.finditer(self.body):
            starts.append(match.start())
            ends.append(match.end())
        return starts, ends

    def words_between(self, start: int, end: int) -> int:
        """How many words `words_in(body[start:end])` finds, without cutting the body.

        A word of the body that `start` cuts counts when its cut-off tail still holds a letter or digit.
        """
        if end <= start:
            return 0
        starts, ends = self._words
        first = bisect.bisect_left(starts, start)
        count = bisect.bisect_left(starts, end) - first
        if first > 0 and ends[first - 1] > start and _ALNUM.search(self.body, start, min(ends[first - 1], end)):
            count += 1
        return count

    def word_start_after(self, start: int, count: int) -> int | None:
        """Where the word after the first `count` words from `start` begins (None when there are no more)."""
        starts, _ = self._words
        index = bisect.bisect_left(starts, start) + count
        return starts[index] if index < len(starts) else None

    def has_alnum(self, start: int, end: int) -> bool:
        """Whether body[start:end] holds a letter or a digit."""
        first = self._first_alnum.get(start)
        if first is None:
            match = _ALNUM.search(self.body, start)
            first = self._first_alnum[start] = match.start() if match else len(self.body)
        return first < end

    def is_blank(self, start: int, end: int) -> bool:
        """Whether body[start:end] is empty or whitespace only (read up to its first other character)."""
        return _NON_SPACE.search(self.body, start, end) is None

    @cached_property
    def commas(self) -> list[int]:
        return _positions_of(self.body, ",")

    def last_comma_before(self, position: int) -> int | None:
        index = bisect.bisect_left(self.commas, position) - 1
        return self.commas[index] if index >= 0 else None

    def first_comma_from(self, start: int) -> int | None:
        index = bisect.bisect_left(self.commas, start)
        return self.commas[index] if index < len(self.commas) else None

    def last_non_space(self, start: int, end: int) -> int | None:
        """The offset of the last character of body[start:end] that is not whitespace."""
        body = self.body
        while end > start and body[end - 1].isspace():
            end -= 1
        return end - 1 if end > start else None

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

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [start for start, _ in self.paragraphs]

    def paragraph_at(self, position: int) -> tuple[int, int]:
        """The paragraph holding `position` (or ending there); the whole body for a position between paragraphs."""
        index = bisect.bisect_right(self._paragraph_starts, position) - 1
        if index >= 0:
            start, end = self.paragraphs[index]
            if position <= end:
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
            if quotation.close is None or _NON_SPACE.search(body, after, quotation.close):
                return None
            after = quotation.end
        while after < paragraph_end and body[after] in ")]’'":
            after += 1
        if after >= paragraph_end:
            return after
        if not body[after].isspace():
            return None
        following = _next_word_start(body, after, paragraph_end)
        if following is None or not (body[following].isupper() or body[following] in OPENING_MARKS + STRAIGHT_MARK):
            return None
        if body[first] == "." and quotation is None and self._is_abbreviation(first, following, paragraph_end):
            return None
        return after

    def _is_abbreviation(self, dot: int, following: int, paragraph_end: int) -> bool:
        token = self._token_before(dot).lstrip("(“\"'‘")
        if token.lower() in ABBREVIATIONS:
            return True
        if _DOTTED.match(token):
            next_word = _FIRST_WORD.match(self.body, following, paragraph_end)
            return not (next_word and next_word.group().lower() in SENTENCE_STARTERS)
        return False

    def _token_before(self, position: int) -> str:
        """The last whitespace-separated token before `position` (read back from it, not split off the body)."""
        body = self.body
        end = position
        while end > 0 and body[end - 1].isspace():
            end -= 1
        start = end
        while start > 0 and not body[start - 1].isspace():
            start -= 1
        return body[start:end]


def _next_word_start(body: str, start: int, end: int) -> int | None:
    """Where the next word starts past spaces and symbols (an emoji between two sentences does not join them)."""
    for index in range(start, end):
        char = body[index]
        if not (char.isspace() or unicodedata.category(char)[0] == "S" or unicodedata.category(char) == "Cf"):
            return index
    return None


def _positions_of(text: str, char: str) -> list[int]:
    found, index = [], text.find(char)
    while index >= 0:
        found.append(index)
        index = text.find(char, index + 1)
    return found


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
