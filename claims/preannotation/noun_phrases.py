# News text uses typographic apostrophes, quotation marks and dashes; the rules must name them.
"""Finding the words that name a speaker around a reporting cue, without a parser.

Works on offsets into the body: every phrase is a `Span`. The rules are deliberately
shallow (English news syntax): the subject is the short stretch before the cue back to the
nearest clause boundary, an apposition between commas can replace a role description
("Its general secretary, Fatima Haddad, put it"), and a relative clause is skipped
("Lena Fischer, who chairs ..., said").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .document import Document
from .suggestions import Span
from .vocabulary import (
    AUXILIARIES_AND_ADVERBS,
    CLAUSE_WORDS,
    DETERMINERS,
    FINITE_AUXILIARIES,
    IRREGULAR_PAST,
    NAME_PARTICLES,
    NOT_PAST_TENSE,
    ORGANISATION_WORDS,
    PREPOSITIONS,
    SUBJECT_PRONOUNS,
    TIME_WORDS,
    TITLE_WORDS,
)

MAX_PHRASE_WORDS = 8
WORD = re.compile(r"[^\W_][\w’'.&-]*", re.UNICODE)
_BOUNDARY_MARKS = ',;:—–()“”«»"'
_RELATIVE = re.compile(r"\s*(?:who|which|whose|where|when)\b", re.IGNORECASE)
_CUT_AFTER_PERSON = re.compile(r"\s+(?:of|at|from)\s+")
_PARTICIPLE_MODIFIER = re.compile(r"\s+(?:published|released|issued|seen|obtained|cited)\b")


@dataclass(frozen=True)
class NounPhrase:
    span: Span
    # Role words a description gave the name it stands beside ("lead prosecutor").
    roles: tuple[str, ...] = ()


def _bare(word: str) -> str:
    return word.lower().rstrip(".").replace("’", "'")


def words_in(text: str) -> list[str]:
    return WORD.findall(text)


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def strip_titles(words: list[str]) -> list[str]:
    """Drop title words in front of a name: 'U.S. Vice President Mike Pence' -> 'Mike Pence'."""
    index = 0
    while index < len(words) - 1 and _bare(words[index]) in TITLE_WORDS:
        index += 1
    return words[index:]


def looks_like_person_name(text: str) -> bool:
    """'Fatima Haddad', 'Professor Hannah Lowe', 'Pieter de Groot'; not 'Acting Secretary of Defense'."""
    words = strip_titles(words_in(text))
    if not words or len(words) > 5 or any(_bare(word) in ORGANISATION_WORDS for word in words):
        return False
    if _bare(words[0]) in DETERMINERS | TITLE_WORDS:
        return False
    return all(is_capitalised(word) or word.lower() in NAME_PARTICLES for word in words) and is_capitalised(words[0])


def is_description(text: str) -> bool:
    """A role or description rather than a name: 'Its general secretary', 'Price’s lawyer'."""
    words = words_in(text)
    if not words:
        return False
    if _bare(words[0]) in DETERMINERS:
        return True
    return any(word.endswith(("’s", "'s")) or (word.islower() and word not in NAME_PARTICLES) for word in words)


def role_words(text: str) -> tuple[str, ...]:
    return tuple(
        _bare(word)
        for word in words_in(text)
        if _bare(word) not in DETERMINERS and not word.endswith(("’s", "'s")) and _bare(word) not in PREPOSITIONS
    )


def is_verb_like(word: str) -> bool:
    low = word.lower()
    if not word.islower():
        return False
    return (
        low in FINITE_AUXILIARIES
        or low in IRREGULAR_PAST
        or (low.endswith("ed") and len(low) > 3 and low not in NOT_PAST_TENSE)
    )


class Phrases:
    """Noun phrase finding in one document; `cue_ends` mark where a reporting cue ends (a boundary)."""

    def __init__(self, doc: Document, cue_spans: list[Span]):
        self.doc = doc
        self.body = doc.body
        self.cue_ends = {span.end for span in cue_spans}
        self.cue_starts = {span.start for span in cue_spans}

    # --- stripping between subject and cue -------------------------------------------------

    def strip_adverbials(self, limit: int, end: int) -> int:
        """Move `end` left past whitespace, auxiliaries, -ly adverbs and time phrases ('on Tuesday')."""
        body = self.body
        while True:
            while end > limit and body[end - 1].isspace():
                end -= 1
            match = re.search(r"[^\W_][\w’'.-]*$", body[limit:end])
            if not match:
                return end
            word = match.group()
            start = limit + match.start()
            low = word.lower()
            if word.islower() and (low in AUXILIARIES_AND_ADVERBS or (low.endswith("ly") and len(low) > 4)):
                end = start
                continue
            if low in TIME_WORDS:
                before = re.search(r"(?:\b(?:on|last|this|earlier|late|early|next|in)\s+)?$", body[limit:start])
                end = limit + before.start() if before else start
                continue
            if low in {"night", "morning", "evening", "afternoon"}:
                end = start
                continue
            return end

    def word_before(self, limit: int, position: int) -> str:
        match = re.search(r"([^\W_][\w’'.-]*)\s*$", self.body[limit:position])
        return match.group(1) if match else ""

    # --- boundaries ------------------------------------------------------------------------

    def clause_start(self, limit: int, end: int) -> int:
        """Where the phrase ending at `end` can begin: after a mark, a clause word or a cue, or at `limit`."""
        body = self.body
        position = end
        while position > limit:
            char = body[position - 1]
            if char in _BOUNDARY_MARKS and (char != "," or self.doc.is_clause_comma(position - 1)):
                return position
            if position in self.cue_ends and position < end:
                return position
            if char.isspace():
                match = re.search(r"(?<![\w’'])([A-Za-z]+)$", body[limit : position - 1])
                if match and match.group(1) in CLAUSE_WORDS:
                    return position
            position -= 1
        return limit

    # --- phrases ---------------------------------------------------------------------------

    def phrase_ending_at(self, limit: int, end: int) -> NounPhrase | None:
        start = self.clause_start(limit, end)
        return self.plausible(Span.trimmed(self.body, start, end))

    def plausible(self, span: Span | None) -> NounPhrase | None:
        """A phrase that can name a speaker: short, no finite verb, not a prepositional phrase."""
        span = self._without_symbols(span)
        if span is None:
            return None
        span = self._cut_after_person(span)
        words = words_in(span.text)
        if not words or len(words) > MAX_PHRASE_WORDS:
            return None
        lows = [_bare(word) for word in words]
        if any(word.islower() and low in FINITE_AUXILIARIES for word, low in zip(words, lows, strict=True)):
            return None
        if lows[0] in PREPOSITIONS | CLAUSE_WORDS or lows[-1] in PREPOSITIONS | DETERMINERS:
            return None
        if len(words) > 1 and lows[0] in SUBJECT_PRONOUNS:
            return None
        return NounPhrase(span)

    def _without_symbols(self, span: Span | None) -> Span | None:
        """Emoji and other symbols at either end are not part of a name."""
        if span is None:
            return None
        start, end = span.start, span.end
        while start < end and not (self.body[start].isalnum() or self.body[start] in "(["):
            start += 1
        while end > start and not (self.body[end - 1].isalnum() or self.body[end - 1] in ".)]"):
            end -= 1
        return Span.trimmed(self.body, start, end)

    def _cut_after_person(self, span: Span) -> Span:
        """'Mehmet Yıldız of the University of Bergen' -> 'Mehmet Yıldız'; 'Central Bank of Marovia' stays."""
        for match in _CUT_AFTER_PERSON.finditer(span.text):
            head = span.text[: match.start()]
            head_words = strip_titles(words_in(head))
            if len(head_words) >= 2 and looks_like_person_name(" ".join(head_words[-3:])):
                tail = [w for w in words_in(head) if is_capitalised(w)]
                if len(tail) >= 2:
                    return Span.of(self.body, span.start, span.start + match.start())
        match = _PARTICIPLE_MODIFIER.search(span.text)
        if match and match.start() > 0:
            return Span.of(self.body, span.start, span.start + match.start())
        return span

    def subject_before(self, limit: int, cue_start: int) -> NounPhrase | None:
        """The phrase naming who speaks, ending right before the cue (auxiliaries and adverbs skipped)."""
        end = self.strip_adverbials(limit, cue_start)
        if end <= limit:
            return None
        if self.body[end - 1] == ",":
            return self._apposition_before(limit, end)
        return self.phrase_ending_at(limit, end)

    def _apposition_before(self, limit: int, end: int) -> NounPhrase | None:
        """'X, <apposition or relative clause>,' before a cue: the name, and roles from a description."""
        body = self.body
        comma = end - 1
        opening = self._previous_comma(limit, comma)
        if opening is None:
            return None
        inner = Span.trimmed(body, opening + 1, comma)
        head = self.phrase_ending_at(limit, opening)
        if inner is None:
            return head
        if _RELATIVE.match(inner.text) or not looks_like_person_name(inner.text):
            return head
        if head is None or is_description(head.span.text):
            return NounPhrase(inner, role_words(head.span.text) if head else ())
        return head

    def _previous_comma(self, limit: int, position: int) -> int | None:
        index = position - 1
        while index >= limit:
            if self.doc.is_clause_comma(index):
                return index
            if self.body[index] in ";:—–":
                return None
            index -= 1
        return None

    def phrase_after(self, start: int, limit: int) -> NounPhrase | None:
        """The phrase right after a cue: 'said Ines Kowalczyk, who ...', 'said the study’s lead author, Professor X.'"""
        body = self.body
        while start < limit and body[start].isspace():
            start += 1
        end = self._phrase_end(start, limit)
        first = self.plausible(Span.trimmed(body, start, end))
        if first is None:
            return None
        if end < limit and body[end] == ",":
            second_end = self._phrase_end(end + 1, limit)
            second = Span.trimmed(body, end + 1, second_end)
            if (
                second is not None
                and is_description(first.span.text)
                and looks_like_person_name(second.text)
                and not _RELATIVE.match(second.text)
            ):
                return NounPhrase(second, role_words(first.span.text))
        return first

    def _phrase_end(self, start: int, limit: int) -> int:
        body = self.body
        position = start
        while position < limit:
            char = body[position]
            if char in ';:—–()“”«»"' or self.doc.is_clause_comma(position):
                return position
            if char in ".?!" and self._ends_sentence(position, limit):
                return position
            match = re.match(r"\s+(?:who|which|whose|where)\b", body[position:limit])
            if match:
                return position
            position += 1
        return limit

    def _ends_sentence(self, position: int, limit: int) -> bool:
        _, sentence_end = self.doc.sentence_at(position)
        return position + 1 >= sentence_end or position + 1 >= limit

    def leading_subject(self, sentence_start: int, before: int) -> NounPhrase | None:
        """The subject at the start of a sentence ('Turkey has defied ... and said'): up to its first verb."""
        start, verb = self.subject_region(sentence_start, before)
        return self.subject_before(start, verb) if verb < before else None

    def subject_region(self, sentence_start: int, end: int) -> tuple[int, int]:
        """Where a sentence's subject is: after an introduction ('In April, '), up to the first verb.

        A relative clause after the subject (', who has repeatedly called for ...,') is skipped.
        The region ends at `end` when no verb is found.
        """
        body = self.body
        start = self._after_introduction(sentence_start, end)
        position = start
        while position < end:
            match = WORD.search(body, position, end)
            if match is None:
                break
            word, at = match.group(), match.start()
            position = match.end()
            if self.doc.in_quotation(at):
                continue
            if word.lower() in {"who", "which", "whose"} and body[start:at].rstrip().endswith(","):
                closing = self._next_comma(position, end)
                if closing is None:
                    break
                position = closing + 1
                continue
            if at > start and (is_verb_like(word) or at in self.cue_starts):
                return start, at
        return start, end

    def _next_comma(self, position: int, limit: int) -> int | None:
        for index in range(position, limit):
            if self.doc.is_clause_comma(index):
                return index
        return None

    def _after_introduction(self, sentence_start: int, before: int) -> int:
        """Skip 'In April, ', 'Last week, ', 'At a press conference later, ' at the start of a sentence."""
        match = re.match(
            r"(?:In|On|At|Last|Earlier|Later|After|Before|During|For|With|Speaking|Asked)\b[^,.;:]{0,60},\s*",
            self.body[sentence_start:before],
        )
        return sentence_start + match.end() if match else sentence_start
