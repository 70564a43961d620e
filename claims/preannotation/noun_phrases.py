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
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

from .document import WORD, Document
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
# A phrase is read no further than this many words: one that runs on past them without a boundary is too long
# to name a speaker unless it is cut after a name ('Mehmet Yıldız of the University of ...'), which happens
# within its first words. This keeps the work per cue bounded, however long a sentence without commas is.
PHRASE_SCAN_WORDS = 40
# At most this many auxiliaries, adverbs and time words are stepped over between a subject and its cue
# ('has also previously once again said'); a run of them ('reply reply reply ...') is not read back further.
MAX_ADVERBIALS = 10
_BOUNDARY_MARKS = ',;:—–()“”«»"'
_PHRASE_MARKS = ';:—–()“”«»"'
_RELATIVE = re.compile(r"\s*(?:who|which|whose|where|when)\b", re.IGNORECASE)
_CUT_AFTER_PERSON = re.compile(r"\s+(?:of|at|from)\s+")
_PARTICIPLE_MODIFIER = re.compile(r"\s+(?:published|released|issued|seen|obtained|cited)\b")
# Where a phrase after a cue may end: a mark, a comma or a full stop (checked further), or a relative pronoun
# (tried only where a run of spaces starts: a phrase is never read from inside one).
_PHRASE_STOP = re.compile(r'[;:—–()“”«»",.?!]|(?<!\s)\s+(?:who|which|whose|where)\b')
_INTRODUCTION = re.compile(
    r"(?:In|On|At|Last|Earlier|Later|After|Before|During|For|With|Speaking|Asked)\b[^,.;:]{0,60},\s*"
)
# Searching a stretch for its last word with a `$`-anchored pattern tries every start in the stretch, so a long
# run of letters costs its square. These patterns read the reversed body from the stretch's end instead:
# a word ('[^\W_][\w’'.-]*' before the end) and a time preposition before a time word ('on', 'last', ...).
_REVERSED_WORD = re.compile(r"[\w’'.-]*[^\W_]")
_REVERSED_TIME_PREPOSITION = re.compile(r"\s+(?:no|tsal|siht|reilrae|etal|ylrae|txen|ni)\b")
_LONGEST_CLAUSE_WORD = max(len(word) for word in CLAUSE_WORDS)
# Characters a word may hold (the class of WORD): a word crossing an offset has one on each side of it.
_WORD_CHARS = re.compile(r"[\w’'.&-]")


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
    bare = [(_bare(word), word) for word in words_in(text)]
    return tuple(
        low
        for low, word in bare
        if low not in DETERMINERS and not word.endswith(("’s", "'s")) and low not in PREPOSITIONS
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
        # The subject scan of each sentence start (subject_region), asked for once per mention and per cue.
        self._subject_scans: dict[int, tuple[int, int | None, int, int]] = {}

    @cached_property
    def _reversed(self) -> str:
        return self.body[::-1]

    # --- stripping between subject and cue -------------------------------------------------

    def strip_adverbials(self, limit: int, end: int) -> int:
        """Move `end` left past whitespace, auxiliaries, -ly adverbs and time phrases ('on Tuesday')."""
        body = self.body
        for _ in range(MAX_ADVERBIALS + 1):
            end = self._before_spaces(limit, end)
            start = self._word_ending_at(limit, end)
            if start is None:
                return end
            word = body[start:end]
            low = word.lower()
            if word.islower() and (low in AUXILIARIES_AND_ADVERBS or (low.endswith("ly") and len(low) > 4)):
                end = start
                continue
            if low in TIME_WORDS:
                end = self._time_phrase_start(limit, start)
                continue
            if low in {"night", "morning", "evening", "afternoon"}:
                end = start
                continue
            return end
        return self._before_spaces(limit, end)

    def word_before(self, limit: int, position: int) -> str:
        end = self._before_spaces(limit, position)
        start = self._word_ending_at(limit, end)
        return self.body[start:end] if start is not None else ""

    def _before_spaces(self, limit: int, end: int) -> int:
        while end > limit and self.body[end - 1].isspace():
            end -= 1
        return end

    def _word_ending_at(self, limit: int, end: int) -> int | None:
        r"""Where the word that ends at `end` starts (not before `limit`); None when no word ends there.

        The word is what `re.search(r"[^\W_][\w’'.-]*$", body[limit:end])` finds, read backwards.
        """
        size = len(self.body)
        match = _REVERSED_WORD.match(self._reversed, size - end, size - limit)
        return size - match.end() if match else None

    def _time_phrase_start(self, limit: int, start: int) -> int:
        """Where a time phrase ending in the time word at `start` begins: 'on Tuesday', 'last week', 'Tuesday'."""
        size = len(self.body)
        match = _REVERSED_TIME_PREPOSITION.match(self._reversed, size - start, size - limit)
        return size - match.end() if match else start

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
            if char.isspace() and self._clause_word_ends_at(limit, position - 1):
                return position
            position -= 1
        return limit

    def _clause_word_ends_at(self, limit: int, end: int) -> bool:
        """Whether the letters ending at `end` are a clause word ('and', 'that', ...) standing alone.

        Reads back no further than the longest clause word: a longer run of letters is no clause word.
        (As a `$`-anchored search would, it also takes the letters before a newline that ends the stretch.)
        """
        body = self.body
        if end > limit and body[end - 1] == "\n":
            end -= 1
        start = end
        while start > limit and end - start <= _LONGEST_CLAUSE_WORD and _is_ascii_letter(body[start - 1]):
            start -= 1
        if start == end or end - start > _LONGEST_CLAUSE_WORD:
            return False
        if start > limit and (body[start - 1] in "’'" or _is_word_char(body[start - 1])):
            return False
        return body[start:end] in CLAUSE_WORDS

    # --- phrases ---------------------------------------------------------------------------

    def phrase_ending_at(self, limit: int, end: int) -> NounPhrase | None:
        start = self.clause_start(limit, end)
        return self.plausible_in(start, end)

    def plausible_in(self, start: int, end: int, runs_on: bool = False) -> NounPhrase | None:
        """`plausible` for body[start:end], reading no more than PHRASE_SCAN_WORDS words of it.

        `runs_on`: the phrase goes on past `end` (its first words are all that was read).
        """
        scan_end = self.doc.word_start_after(start, PHRASE_SCAN_WORDS)
        if scan_end is not None and scan_end < end:
            end, runs_on = scan_end, True
        return self.plausible(Span.trimmed(self.body, start, end), runs_on)

    def plausible(self, span: Span | None, runs_on: bool = False) -> NounPhrase | None:
        """A phrase that can name a speaker: short, no finite verb, not a prepositional phrase.

        A phrase that `runs_on` past the span is plausible only when it is cut after a name.
        """
        span = self._without_symbols(span)
        if span is None:
            return None
        cut = self._cut_after_person(span)
        if runs_on and cut is span:
            return None
        span = cut
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
        """'Mehmet Yıldız of the University of Bergen' -> 'Mehmet Yıldız'; 'Central Bank of Marovia' stays.

        The words before each 'of' / 'at' / 'from' are read once for the whole span, not again for each of them.
        """
        text = span.text
        cuts = list(_CUT_AFTER_PERSON.finditer(text))
        if cuts:
            matches = list(WORD.finditer(text))
            starts = [match.start() for match in matches]
            words = [match.group() for match in matches]
            titles = 0
            while titles < len(words) and _bare(words[titles]) in TITLE_WORDS:
                titles += 1
            capitalised = [0]
            for word in words:
                capitalised.append(capitalised[-1] + is_capitalised(word))
            for match in cuts:
                # The head: the words before the cut, without leading titles (strip_titles keeps the last word).
                count = bisect_left(starts, match.start())
                first = min(titles, count - 1)
                if (
                    count - first >= 2
                    and looks_like_person_name(" ".join(words[max(first, count - 3) : count]))
                    and capitalised[count] >= 2
                ):
                    return Span.of(self.body, span.start, span.start + match.start())
        match = _PARTICIPLE_MODIFIER.search(text)
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
        opening = self.doc.previous_clause_comma(limit, comma)
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

    def phrase_after(self, start: int, limit: int) -> NounPhrase | None:
        """The phrase right after a cue: 'said Ines Kowalczyk, who ...', 'said the study’s lead author, Professor X.'"""
        body = self.body
        while start < limit and body[start].isspace():
            start += 1
        end, runs_on = self._phrase_end(start, limit)
        first = self.plausible_in(start, end, runs_on)
        if first is None:
            return None
        if not runs_on and end < limit and body[end] == ",":
            second_end, second_runs_on = self._phrase_end(end + 1, limit)
            second = None if second_runs_on else Span.trimmed(body, end + 1, second_end)
            if (
                second is not None
                and is_description(first.span.text)
                and looks_like_person_name(second.text)
                and not _RELATIVE.match(second.text)
            ):
                return NounPhrase(second, role_words(first.span.text))
        return first

    def _phrase_end(self, start: int, limit: int) -> tuple[int, bool]:
        """Where the phrase from `start` ends: at a mark, a clause comma, its sentence's end or a relative pronoun.

        Returns (end, runs_on): `runs_on` when no such end comes within PHRASE_SCAN_WORDS words (the end is then
        where reading stopped).
        """
        body, doc = self.body, self.doc
        stop = doc.word_start_after(start, PHRASE_SCAN_WORDS)
        if stop is None or stop >= limit:
            stop = search_end = limit
        else:
            # Far enough that a relative pronoun just before `stop` is read whole.
            search_end = min(limit, doc.word_start_after(start, PHRASE_SCAN_WORDS + 1) or limit)
        position = start
        while True:
            match = _PHRASE_STOP.search(body, position, search_end)
            if match is None or match.start() >= stop:
                return stop, stop < limit
            at = match.start()
            char = body[at]
            if char.isspace() or char in _PHRASE_MARKS:
                return at, False
            if char == "," and doc.is_clause_comma(at):
                return at, False
            if char in ".?!" and self._ends_sentence(at, limit):
                return at, False
            position = at + 1

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

        Each sentence start is scanned once, to its sentence's end; an `end` before that gives the same
        region as a scan stopping there, unless it cuts the introduction, the verb or a word.
        """
        sentence_end = self.doc.sentence_at(sentence_start)[1]
        if end > sentence_end:
            start, verb, _, _ = self._scan_subject(sentence_start, end)
            return start, end if verb is None else verb
        scan = self._subject_scans.get(sentence_start)
        if scan is None:
            scan = self._subject_scans[sentence_start] = self._scan_subject(sentence_start, sentence_end)
        start, verb, reach, introduction_end = scan
        if end >= reach:
            return start, end if verb is None else verb
        if end >= introduction_end and (verb is None or end <= verb) and not self._cuts_a_word(end):
            return start, end
        start, verb, _, _ = self._scan_subject(sentence_start, end)
        return start, end if verb is None else verb

    def _scan_subject(self, sentence_start: int, end: int) -> tuple[int, int | None, int, int]:
        """(subject start, first verb or None, how far the scan read, where the introduction ends)."""
        body = self.body
        start = self._after_introduction(sentence_start, end)
        position = start
        while position < end:
            match = WORD.search(body, position, end)
            if match is None:
                break
            word, at = match.group(), match.start()
            position = match.end()
            quotation = self.doc.quotation_around(at)
            if quotation is not None:
                position = max(position, min(quotation.end, end))  # no word inside it is the verb
                continue
            if word.lower() in {"who", "which", "whose"} and self._ends_with_comma(start, at):
                closing = self.doc.next_clause_comma(position, end)
                if closing is None:
                    break
                position = closing + 1
                continue
            if at > start and (is_verb_like(word) or at in self.cue_starts):
                return start, at, match.end(), start
        return start, None, end, start

    def _ends_with_comma(self, start: int, end: int) -> bool:
        last = self.doc.last_non_space(start, end)
        return last is not None and self.body[last] == ","

    def _cuts_a_word(self, position: int) -> bool:
        body = self.body
        return 0 < position < len(body) and bool(
            _WORD_CHARS.match(body, position - 1) and _WORD_CHARS.match(body, position)
        )

    def _after_introduction(self, sentence_start: int, before: int) -> int:
        """Skip 'In April, ', 'Last week, ', 'At a press conference later, ' at the start of a sentence."""
        match = _INTRODUCTION.match(self.body, sentence_start, before)
        return match.end() if match else sentence_start


def _is_ascii_letter(char: str) -> bool:
    return "a" <= char <= "z" or "A" <= char <= "Z"


def _is_word_char(char: str) -> bool:
    """What `\\w` matches in a regular expression."""
    return char.isalnum() or char == "_"
