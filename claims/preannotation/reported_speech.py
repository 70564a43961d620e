# News text uses typographic apostrophes, quotation marks and dashes; the rules must name them.
"""Indirect and mixed speech: a reported clause attributed with a cue.

Patterns (X names the speaker, C is the reported clause):
- X said (that) C.            X told reporters that C.        X was quoted as saying by ... that C.
- C, X said.                  C, said X.                      C, X wrote in a note to clients.
- According to X, C.          C, according to X.
- ..., saying (that) C        ..., adding that C              ... and said C      ..., but insisted that C
A reported clause that contains a quotation is mixed. The clause excludes a leading 'that' and the
sentence's final full stop (a full stop inside a closing quotation mark stays, as in the demo gold).
Belief and commitment verbs ('believe', 'found', 'promised') count only with an explicit 'that'.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cached_property
from itertools import islice

from .cues import Cue, CueKind
from .document import WORD, Document, Quotation
from .noun_phrases import NounPhrase, Phrases, is_verb_like
from .quotes import opening_of
from .speakers import could_be_speaker
from .suggestions import Attribution, Region
from .vocabulary import NOT_REPORTING_BEFORE, PASSIVE_AUXILIARIES, PREPOSITIONS, TIME_WORDS

CONFIDENCE = {
    "that": 0.8,
    "bare": 0.7,
    "after": 0.75,
    "inverted": 0.75,
    "according_to": 0.8,
    "participle": 0.65,
}
# Where a reported clause stops before the end of its sentence.
_CLAUSE_STOPS = re.compile(
    r",\s+(?:adding|saying|noting|arguing|insisting|warning|stressing|explaining|claiming)\b"
    r"|\s+and\s+(?:said|added|urged|called|asked|warned|insisted|promised|vowed|declined|refused|accused|denied|"
    r"told|argued)\b"
    r"|:\s*[“\"]|;"
)
# A second attribution coordinated with the first: '..., but insisted that', '..., while Jones said'.
_COORDINATION = re.compile(r"(?:,|;)\s+(?:but|while|whereas|and)\s+|;\s+")
_THAT = re.compile(r"(?<![\w’'])that(?![\w’'])")
_DOTTED_END = re.compile(r"(?:\b[A-Za-z]\.)+$")
_INTRODUCES_QUOTE = re.compile(r"\s*[,:]?\s*[“\"«]")
_SENTENCE_INTRODUCTION = re.compile(r"(?:In|On|At|Last|Earlier)\b")
_PUNCTUATION_BEFORE_THAT = re.compile(r"[,;:“”\"]")
_WORD_OR_APOSTROPHE = re.compile(r"[\w’']")
MAX_WORDS_BEFORE_THAT = 12
# Who was told, before a clause without 'that': 'told reporters the army had ...', 'told the BBC the plan ...'.
_ADDRESSEE = re.compile(
    r"\s+(?:him|her|them|us|me|reporters|journalists|lawmakers|parliament|the court|the jury|jurors|"
    r"(?:the\s+)?[A-Z][\w.’'&-]*(?:\s+[A-Z][\w.’'&-]*){0,3})\s+(?=[a-z]|[A-Z][a-z]*\s+[a-z])"
)
# 'warned Turkey that', 'told its NATO ally that'.
_ADDRESSEE_THAT = re.compile(
    r"\s+(?:him|her|them|us|me|reporters|journalists|(?:the\s+)?[A-Z][\w.’'&-]*(?:\s+[A-Z][\w.’'&-]*){0,3}|"
    r"(?:its|his|her|their|the)\s+[\w’'-]+(?:\s+[\w’'-]+)?)\s+that\b"
)
_BARE_TIME = re.compile(
    r"\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|last\s+week)"
    r"(?:\s+(?:morning|afternoon|evening|night))?(?=\s)"
)


class ReportedSpeech:
    """Finds indirect and mixed speech for the cues direct quotes did not use."""

    def __init__(self, doc: Document, phrases: Phrases, cues: list[Cue], used_cues: set[int]):
        self.doc = doc
        self.body = doc.body
        self.phrases = phrases
        self.cues = cues
        self._cue_starts = [cue.span.start for cue in cues]
        self.used_cues = used_cues
        self.found: list[Attribution] = []
        self._latest_with_source: Attribution | None = None
        # Where a reported clause ending at an offset ends once trailing spaces, commas and semicolons go.
        self._trimmed_ends: dict[int, int] = {}

    # --- what the rules ask once per cue, found once per document --------------------------
    # A reported clause runs from its cue to the end of the sentence unless something stops it; looking for
    # that from every cue would read a long sentence once per cue in it.

    @cached_property
    def _clause_stops(self) -> list[int]:
        """Where `_CLAUSE_STOPS` matches outside quotations (never across a sentence's end)."""
        doc = self.doc
        return [
            match.start()
            for start, end in doc.paragraphs
            for match in _CLAUSE_STOPS.finditer(doc.body, start, end)
            if not doc.in_quotation(match.start())
        ]

    @cached_property
    def _coordinations(self) -> tuple[list[int], list[int], list[int]]:
        """Coordinations outside quotations with a cue within six words after them: (starts, ends, cue starts)."""
        doc, starts, ends, cues = self.doc, [], [], []
        for start, end in doc.paragraphs:
            for match in _COORDINATION.finditer(doc.body, start, end):
                cue = self._first_cue_from(match.end())
                if doc.in_quotation(match.start()) or cue is None:
                    continue
                if doc.words_between(match.end(), cue.span.start) <= 6:
                    starts.append(match.start())
                    ends.append(match.end())
                    cues.append(cue.span.start)
        return starts, ends, cues

    @cached_property
    def _trailing_attributions(self) -> tuple[list[int], list[int]]:
        """Cues with a comma at most four words before them ('..., he added'): (those commas, the cues' starts)."""
        commas, starts = [], []
        for cue in self.cues:
            comma = self.doc.last_comma_before(cue.span.start)
            if comma is not None and self.doc.words_between(comma, cue.span.start) <= 4:
                commas.append(comma)
                starts.append(cue.span.start)
        return commas, starts

    @cached_property
    def _thats(self) -> list[int]:
        return [match.start() for match in _THAT.finditer(self.body)]

    @cached_property
    def _bys(self) -> list[int]:
        found, index = [], self.body.find(" by ")
        while index >= 0:
            found.append(index)
            index = self.body.find(" by ", index + 1)
        return found

    @cached_property
    def _unit_quotations(self) -> list[Quotation]:
        """Quotations that stand as a unit (see quotes.opening_of), in order."""
        return [quotation for quotation in self.doc.quotations if opening_of(self.doc, quotation)]

    @cached_property
    def _unit_quotation_ends(self) -> list[int]:
        return [quotation.end for quotation in self._unit_quotations]

    def _first_cue_from(self, position: int) -> Cue | None:
        index = bisect_left(self._cue_starts, position)
        return self.cues[index] if index < len(self.cues) else None

    def _has_that(self, start: int, end: int) -> bool:
        """Whether `_THAT.search(body[start:end])` finds a 'that': one that the body around the stretch hides
        (a letter before its start or after its end) counts, as in the cut-out stretch."""
        index = bisect_right(self._thats, start)
        if index < len(self._thats) and self._thats[index] + len("that") < end:
            return True
        edges = {start, end - len("that")}
        return any(
            start <= at <= end - len("that") and self._is_that(at, at == start, at + len("that") == end) for at in edges
        )

    def _first_that(self, start: int, end: int) -> int | None:
        """Where `_THAT.search(body, start, end)` finds a 'that' (the body before `start` counts, not after `end`)."""
        index = bisect_left(self._thats, start)
        if index < len(self._thats) and self._thats[index] + len("that") <= end:
            return self._thats[index]
        at = end - len("that")
        return at if at >= start and self._is_that(at, False, True) else None

    def _is_that(self, at: int, open_before: bool, open_after: bool) -> bool:
        """Whether the word 'that' is at `at`; `open_before` / `open_after`: a stretch ends there (whatever the body
        holds beyond it)."""
        body = self.body
        return (
            body[at : at + len("that")] == "that"
            and (open_before or at == 0 or not _WORD_OR_APOSTROPHE.match(body, at - 1))
            and (open_after or not _WORD_OR_APOSTROPHE.match(body, at + len("that")))
        )

    def _after_comma(self, position: int) -> bool:
        """Whether the last character before `position` that is not a space is a comma."""
        last = self.doc.last_non_space(0, position)
        return last is not None and self.body[last] == ","

    def find(self) -> list[Attribution]:
        for cue in self.cues:
            if cue.span.start in self.used_cues or cue.kind is CueKind.QUOTE_ONLY:
                continue
            attribution = self._according_to(cue) if cue.kind is CueKind.ACCORDING_TO else self._verb(cue)
            if attribution is not None:
                self.found.append(attribution)
                if attribution.source is not None:
                    self._latest_with_source = attribution
        return self.found

    # --- building ------------------------------------------------------------------------

    def _attribution(
        self, content: Region | None, source: NounPhrase | None, cue: Cue, pattern: str
    ) -> Attribution | None:
        if content is None:
            return None
        # Quotations do not overlap: when any lies within the content, the first one after its start does.
        first = self.doc.first_quotation_from(content.start)
        quoted = first is not None and first.end <= content.end
        if self._is_one_quotation(content):
            return None  # a direct quote, found by quotes.py if it is attributed
        quote_type = "mixed" if quoted else "indirect"
        roles = source.roles if source else ()
        return Attribution(
            content, source.span if source else None, cue.span, quote_type, CONFIDENCE[pattern], pattern, roles
        )

    def _is_one_quotation(self, content: Region) -> bool:
        quotation = self.doc.quotation_around(content.start)
        return quotation is not None and quotation.open == content.start and quotation.end >= content.end

    def _clause(self, start: int, sentence_end: int, min_words: int) -> Region | None:
        """The reported clause from `start`: to the sentence end or the first place it stops."""
        end = sentence_end
        # (No clause starts inside a run of spaces, where a stop found from the paragraph's start could begin.)
        stops = self._clause_stops
        index = bisect_left(stops, start)
        if index < len(stops) and stops[index] < end:
            end = stops[index]
        starts, ends, cues = self._coordinations
        index = bisect_left(starts, start)
        # The first coordination after `start` is the one: a later one has its cue no earlier.
        if index < len(starts) and ends[index] <= end and cues[index] < end:
            end = starts[index]
        return self._trimmed_clause(start, self._before_trailing_attribution(start, end), min_words)

    def _before_trailing_attribution(self, start: int, end: int) -> int:
        """'C, he added.' inside a clause: the clause stops at the comma before the short subject.

        That is the first cue after `start` whose last comma before it is past `start`, a few words before it:
        those commas come in the order of their cues.
        """
        commas, starts = self._trailing_attributions
        index = bisect_left(commas, start)
        if index < len(commas) and starts[index] < end:
            return commas[index]
        return end

    def _trimmed_clause(self, start: int, end: int, min_words: int) -> Region | None:
        body = self.body
        end = max(start, self._trimmed_end(end))
        final_stop = end > start and body[end - 1] in ".!?" and not self.doc.in_quotation(end - 1)
        if final_stop and not _DOTTED_END.search(body[max(start, end - 3) : end]):
            end -= 1  # (an initial 'U.S.' at the end keeps its full stop; three characters show one)
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if end <= start or self.doc.words_between(start, end) < min_words:
            return None
        return Region(start, end)

    def _trimmed_end(self, end: int) -> int:
        """`end` moved left past spaces, commas and semicolons (remembered: many clauses share an end)."""
        trimmed = self._trimmed_ends.get(end)
        if trimmed is None:
            trimmed, body = end, self.body
            while trimmed > 0 and (body[trimmed - 1].isspace() or body[trimmed - 1] in ",;"):
                trimmed -= 1
            self._trimmed_ends[end] = trimmed
        return trimmed

    # --- according to --------------------------------------------------------------------

    def _according_to(self, cue: Cue) -> Attribution | None:
        sentence_start, sentence_end = self.doc.sentence_at(cue.span.start)
        last = self.doc.last_non_space(sentence_start, cue.span.start)
        source = self._according_source(cue.span.end, sentence_end)
        if source is None:
            return None
        if last is None or self._is_introduction(sentence_start, last):
            # According to X, C.  (an apposition after X is skipped: 'According to Ilse Marten, chief economist ..., C')
            start = self._after_apposition(source.span.end, sentence_end)
            return self._attribution(self._clause(start, sentence_end, 2), source, cue, "according_to")
        content_end = last if self.body[last] == "," else last + 1
        return self._attribution(self._trimmed_clause(sentence_start, content_end, 3), source, cue, "according_to")

    def _is_introduction(self, sentence_start: int, comma: int) -> bool:
        """Whether body[sentence_start:comma + 1] is 'In April,', 'Last week,': a word of time, then no other comma."""
        match = _SENTENCE_INTRODUCTION.match(self.body, sentence_start, comma + 1)
        return match is not None and self.body[comma] == "," and self.doc.first_comma_from(match.end()) == comma

    def _according_source(self, start: int, sentence_end: int) -> NounPhrase | None:
        """X in 'according to X', up to a comma: 'figures published by the Health Ministry' -> the ministry."""
        end = self._next_comma(start, sentence_end)
        if end == sentence_end and self.body[end - 1] == ".":
            end -= 1
        end = self.phrases.strip_adverbials(start, end)
        index = bisect_right(self._bys, end - len(" by ")) - 1  # the last ' by ' within [start, end)
        if index >= 0 and self._bys[index] >= start:
            start = self._bys[index] + len(" by ")
        return self.phrases.plausible_in(start, end)

    def _next_comma(self, start: int, end: int) -> int:
        comma = self.doc.next_clause_comma(start, end)
        return end if comma is None else comma

    def _after_apposition(self, source_end: int, sentence_end: int) -> int:
        body = self.body
        comma = self._next_comma(source_end, sentence_end)
        start = comma + 1
        second = self._next_comma(start, sentence_end)
        words = [match.group() for match in islice(WORD.finditer(body, start, second), 9)]
        if second < sentence_end and words and len(words) <= 8 and not any(is_verb_like(word) for word in words):
            return second + 1
        return start

    # --- reporting verbs -----------------------------------------------------------------

    def _verb(self, cue: Cue) -> Attribution | None:
        body = self.body
        sentence_start, sentence_end = self.doc.sentence_at(cue.span.start)
        word_before = self.phrases.word_before(sentence_start, cue.span.start).lower()
        if word_before in NOT_REPORTING_BEFORE:
            return None
        if word_before in PASSIVE_AUXILIARIES and " " not in cue.span.text:
            return None  # 'was told that': the subject is who was told
        if _INTRODUCES_QUOTE.match(body, cue.span.end, sentence_end):
            return None  # introduces a direct quote
        if cue.is_participle and self._after_comma(cue.span.start):
            source = self._earlier_source(sentence_start, cue) or self.phrases.leading_subject(
                sentence_start, cue.span.start
            )
            return self._attribution(self._clause_after(cue, sentence_end), source, cue, "participle")
        after = self._content_before(cue, sentence_start, sentence_end)
        if after is not None:
            return after
        source = self.phrases.subject_before(self._clause_limit(sentence_start, cue), cue.span.start)
        if source is None and word_before in {"and", "but"}:
            source = self._earlier_source(sentence_start, cue) or self.phrases.leading_subject(
                sentence_start, cue.span.start
            )
        if source is None or not could_be_speaker(source.span.text):
            return None
        content = self._clause_after(cue, sentence_end)
        pattern = "that" if content is not None and self._has_that(cue.span.end, content.start) else "bare"
        return self._attribution(content, source, cue, pattern)

    def _clause_limit(self, sentence_start: int, cue: Cue) -> int:
        """A subject cannot reach back over a quotation: '“…,” he said, adding ...'."""
        index = bisect_right(self._unit_quotation_ends, cue.span.start) - 1
        if index >= 0 and self._unit_quotations[index].open >= sentence_start:
            return self._unit_quotations[index].end
        return sentence_start

    def _earlier_source(self, sentence_start: int, cue: Cue) -> NounPhrase | None:
        """The source of the latest attribution found before this cue in its sentence ('... and said')."""
        latest = self._latest_with_source  # (attributions are found in the order of their cues)
        if latest is not None and latest.cue.start >= sentence_start:
            return NounPhrase(latest.source)
        return None

    def _clause_after(self, cue: Cue, sentence_end: int) -> Region | None:
        """C in 'X said (that) C', 'X told reporters (that) C', 'X said on Wednesday that C', 'X said Tuesday C'."""
        body = self.body
        start = self._after_time_word(cue.span.end, sentence_end)
        first_word = WORD.search(body, start, sentence_end)
        if first_word is None:
            return None
        first = first_word.group().lower()
        if first == "that":
            return self._clause(first_word.end(), sentence_end, 2)
        if cue.takes_object:
            that = self._that_nearby(start, sentence_end)
            if that is not None:
                return self._clause(that, sentence_end, 2)
            addressee = _ADDRESSEE.match(body, start, sentence_end)
            return self._clause(addressee.end(), sentence_end, 3) if addressee else None
        if first in PREPOSITIONS or first in TIME_WORDS:  # 'said on Wednesday that', 'quoted as saying by X that'
            that = self._that_nearby(start, sentence_end)
            return self._clause(that, sentence_end, 2) if that is not None else None
        addressee_that = _ADDRESSEE_THAT.match(body, start, sentence_end)
        if addressee_that:
            return self._clause(addressee_that.end(), sentence_end, 2)  # 'warned Turkey that C'
        if cue.kind is CueKind.THAT_ONLY:
            return None
        return self._clause(start, sentence_end, 3)

    def _after_time_word(self, start: int, sentence_end: int) -> int:
        """'said Tuesday the talks had failed': the bare time word is not part of the clause."""
        match = _BARE_TIME.match(self.body, start, sentence_end)
        return match.end() if match else start

    def _that_nearby(self, start: int, sentence_end: int) -> int | None:
        """The offset after a 'that' within a few words, with no comma or quotation before it."""
        that = self._first_that(start, sentence_end)
        if that is None:
            return None
        if self.doc.words_between(start, that) > MAX_WORDS_BEFORE_THAT:
            return None
        if _PUNCTUATION_BEFORE_THAT.search(self.body, start, that):
            return None
        return that + len("that")

    def _content_before(self, cue: Cue, sentence_start: int, sentence_end: int) -> Attribution | None:
        """'C, X said.' / 'C, said X.' / 'C, X wrote in a note to clients, estimating ...'."""
        body = self.body
        # The tail: the words after the cue up to the next comma.
        comma = self.doc.first_comma_from(cue.span.end)
        tail_end = comma if comma is not None and comma < sentence_end else sentence_end
        first_word = WORD.search(body, cue.span.end, tail_end)
        if first_word and self._has_that(cue.span.end, tail_end):
            return None
        adverbial = cue.takes_object or first_word.group().lower() in PREPOSITIONS | TIME_WORDS if first_word else True
        if not adverbial and not self._is_inverted_subject(cue, tail_end):
            return None
        subject = self.phrases.subject_before(sentence_start, cue.span.start)
        if subject is not None and could_be_speaker(subject.span.text):
            comma = self.doc.last_non_space(0, subject.span.start)
            if comma is None or body[comma] != "," or comma < sentence_start:
                return None
            content = self._trimmed_clause(sentence_start, comma, 3)
            return self._attribution(content, subject, cue, "after")
        before = self.doc.last_non_space(sentence_start, cue.span.start)
        if before is not None and body[before] == "," and self._is_inverted_subject(cue, tail_end):
            source = self.phrases.phrase_after(cue.span.end, sentence_end)
            content = self._trimmed_clause(sentence_start, before, 3)
            return self._attribution(content, source, cue, "inverted")
        return None

    def _is_inverted_subject(self, cue: Cue, tail_end: int) -> bool:
        """', said the minister.' : the cue right after the clause's comma, its subject after it."""
        return self._after_comma(cue.span.start) and 0 < self.doc.words_between(cue.span.end, tail_end) <= 8
