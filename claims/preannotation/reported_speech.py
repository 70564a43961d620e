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

from .cues import Cue, CueKind
from .document import Document
from .noun_phrases import NounPhrase, Phrases, is_verb_like, words_in
from .quotes import opening_of
from .speakers import could_be_speaker
from .suggestions import Attribution, Span
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
        self.used_cues = used_cues
        self.found: list[Attribution] = []

    def find(self) -> list[Attribution]:
        for cue in self.cues:
            if cue.span.start in self.used_cues or cue.kind is CueKind.QUOTE_ONLY:
                continue
            attribution = self._according_to(cue) if cue.kind is CueKind.ACCORDING_TO else self._verb(cue)
            if attribution is not None:
                self.found.append(attribution)
        return self.found

    # --- building ------------------------------------------------------------------------

    def _attribution(
        self, content: Span | None, source: NounPhrase | None, cue: Cue, pattern: str
    ) -> Attribution | None:
        if content is None:
            return None
        quoted = any(
            content.start <= q.open and q.inner_end <= content.end
            for q in self.doc.quotations_between(content.start, content.end)
        )
        if self._is_one_quotation(content):
            return None  # a direct quote, found by quotes.py if it is attributed
        quote_type = "mixed" if quoted else "indirect"
        roles = source.roles if source else ()
        return Attribution(
            content, source.span if source else None, cue.span, quote_type, CONFIDENCE[pattern], pattern, roles
        )

    def _is_one_quotation(self, content: Span) -> bool:
        quotation = self.doc.quotation_around(content.start)
        return quotation is not None and quotation.open == content.start and quotation.end >= content.end

    def _clause(self, start: int, sentence_end: int, min_words: int) -> Span | None:
        """The reported clause from `start`: to the sentence end or the first place it stops."""
        body = self.body
        end = sentence_end
        for match in _CLAUSE_STOPS.finditer(body, start, sentence_end):
            if not self.doc.in_quotation(match.start()):
                end = match.start()
                break
        for match in _COORDINATION.finditer(body, start, end):
            if not self.doc.in_quotation(match.start()) and self._cue_within(match.end(), end, words=6):
                end = match.start()
                break
        return self._trimmed_clause(start, self._before_trailing_attribution(start, end), min_words)

    def _before_trailing_attribution(self, start: int, end: int) -> int:
        """'C, he added.' inside a clause: the clause stops at the comma before the short subject."""
        for cue in self.cues:
            if start < cue.span.start < end:
                comma = self.body.rfind(",", start, cue.span.start)
                if comma >= 0 and len(words_in(self.body[comma : cue.span.start])) <= 4:
                    return comma
        return end

    def _trimmed_clause(self, start: int, end: int, min_words: int) -> Span | None:
        body = self.body
        while end > start and (body[end - 1].isspace() or body[end - 1] in ",;"):
            end -= 1
        final_stop = end > start and body[end - 1] in ".!?" and not self.doc.in_quotation(end - 1)
        if final_stop and not _DOTTED_END.search(body[start:end]):
            end -= 1
        span = Span.trimmed(body, start, end)
        if span is None or len(words_in(span.text)) < min_words:
            return None
        return span

    def _cue_within(self, start: int, end: int, words: int) -> bool:
        for cue in self.cues:
            if start <= cue.span.start < end:
                return len(words_in(self.body[start : cue.span.start])) <= words
        return False

    # --- according to --------------------------------------------------------------------

    def _according_to(self, cue: Cue) -> Attribution | None:
        body = self.body
        sentence_start, sentence_end = self.doc.sentence_at(cue.span.start)
        before = body[sentence_start : cue.span.start].rstrip()
        source = self._according_source(cue.span.end, sentence_end)
        if source is None:
            return None
        if not before or re.fullmatch(r"(?:In|On|At|Last|Earlier)\b[^,]*,", before):
            # According to X, C.  (an apposition after X is skipped: 'According to Ilse Marten, chief economist ..., C')
            start = self._after_apposition(source.span.end, sentence_end)
            return self._attribution(self._clause(start, sentence_end, 2), source, cue, "according_to")
        content_end = len(before) + sentence_start
        if before.endswith(","):
            content_end -= 1
        return self._attribution(self._trimmed_clause(sentence_start, content_end, 3), source, cue, "according_to")

    def _according_source(self, start: int, sentence_end: int) -> NounPhrase | None:
        """X in 'according to X', up to a comma: 'figures published by the Health Ministry' -> the ministry."""
        end = self._next_comma(start, sentence_end)
        if end == sentence_end and self.body[end - 1] == ".":
            end -= 1
        end = self.phrases.strip_adverbials(start, end)
        text = self.body[start:end]
        by = text.rfind(" by ")
        if by >= 0:
            start += by + len(" by ")
        return self.phrases.plausible(Span.trimmed(self.body, start, end))

    def _next_comma(self, start: int, end: int) -> int:
        for index in range(start, end):
            if self.doc.is_clause_comma(index):
                return index
        return end

    def _after_apposition(self, source_end: int, sentence_end: int) -> int:
        body = self.body
        comma = self._next_comma(source_end, sentence_end)
        start = comma + 1
        second = self._next_comma(start, sentence_end)
        segment = body[start:second]
        words = words_in(segment)
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
        if re.match(r"\s*[,:]?\s*[“\"«]", body[cue.span.end : sentence_end]):
            return None  # introduces a direct quote
        if cue.is_participle and body[: cue.span.start].rstrip().endswith(","):
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
        pattern = "that" if content is not None and _THAT.search(body[cue.span.end : content.start]) else "bare"
        return self._attribution(content, source, cue, pattern)

    def _clause_limit(self, sentence_start: int, cue: Cue) -> int:
        """A subject cannot reach back over a quotation: '“…,” he said, adding ...'."""
        limit = sentence_start
        for quotation in self.doc.quotations:
            if sentence_start <= quotation.open and quotation.end <= cue.span.start and opening_of(self.doc, quotation):
                limit = quotation.end
        return limit

    def _earlier_source(self, sentence_start: int, cue: Cue) -> NounPhrase | None:
        for attribution in reversed(self.found):
            if attribution.source is not None and sentence_start <= attribution.cue.start < cue.span.start:
                return NounPhrase(attribution.source)
        return None

    def _clause_after(self, cue: Cue, sentence_end: int) -> Span | None:
        """C in 'X said (that) C', 'X told reporters (that) C', 'X said on Wednesday that C', 'X said Tuesday C'."""
        body = self.body
        start = self._after_time_word(cue.span.end, sentence_end)
        words = words_in(body[start:sentence_end])
        if not words:
            return None
        first = words[0].lower()
        if first == "that":
            return self._clause(body.index("that", start) + len("that"), sentence_end, 2)
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
        for match in _THAT.finditer(self.body, start, sentence_end):
            between = self.body[start : match.start()]
            if len(words_in(between)) > MAX_WORDS_BEFORE_THAT or re.search(r"[,;:“”\"]", between):
                return None
            return match.end()
        return None

    def _content_before(self, cue: Cue, sentence_start: int, sentence_end: int) -> Attribution | None:
        """'C, X said.' / 'C, said X.' / 'C, X wrote in a note to clients, estimating ...'."""
        body = self.body
        rest = body[cue.span.end : sentence_end]
        tail = re.split(r",", rest, maxsplit=1)[0]
        tail_words = words_in(tail)
        if tail_words and _THAT.search(tail):
            return None
        adverbial = cue.takes_object or tail_words[0].lower() in PREPOSITIONS | TIME_WORDS if tail_words else True
        if not adverbial and not self._is_inverted_subject(cue, tail):
            return None
        subject = self.phrases.subject_before(sentence_start, cue.span.start)
        if subject is not None and could_be_speaker(subject.span.text):
            comma = body[: subject.span.start].rstrip()
            if not comma.endswith(",") or len(comma) - 1 < sentence_start:
                return None
            content = self._trimmed_clause(sentence_start, len(comma) - 1, 3)
            return self._attribution(content, subject, cue, "after")
        before = body[sentence_start : cue.span.start].rstrip()
        if before.endswith(",") and self._is_inverted_subject(cue, tail):
            source = self.phrases.phrase_after(cue.span.end, sentence_end)
            content = self._trimmed_clause(sentence_start, sentence_start + len(before) - 1, 3)
            return self._attribution(content, source, cue, "inverted")
        return None

    def _is_inverted_subject(self, cue: Cue, tail: str) -> bool:
        """', said the minister.' : the cue right after the clause's comma, its subject after it."""
        before = self.body[: cue.span.start].rstrip()
        return before.endswith(",") and bool(words_in(tail)) and len(words_in(tail)) <= 8
