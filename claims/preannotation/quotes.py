# News text uses typographic apostrophes, quotation marks and dashes; the rules must name them.
"""Direct quotes: words in quotation marks attributed to a speaker next to them.

A quotation is a direct quote when it stands as a unit of its own (it starts a sentence, or
follows a colon, a comma or a dash) and a speaker is named next to it:
- after it:  “…,” Osei told reporters.   “…,” said Ines Kowalczyk.   “…” — Ruth Álvarez
- before it: The minister said: “…”   he laughed: “…”   put it bluntly — “…”   she said, “and …”
A quotation inside a clause ('had “betrayed the trust …”', a so-called "zero-day", a book title)
is not a direct quote; it may make a reported clause mixed (reported_speech.py).

Split quotes (“We are ready,” she said, “and we will act.”) give one mention per quoted part,
both with the same source and cue, as the development set's gold does.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from .cues import Cue, CueKind
from .document import Document, Quotation
from .noun_phrases import NounPhrase, Phrases, words_in
from .suggestions import Attribution, Span

UNIT_OPENERS = ":,—–"
# Who introduces a quote, with which cue, found by which rule.
Introduction = tuple[NounPhrase | None, Cue | None, str]
CONFIDENCE = {"after": 0.9, "inverted": 0.9, "before": 0.85, "dash": 0.7, "colon": 0.6, "continuation": 0.6}
_AFTER_QUOTATION = re.compile(r"\s*,?\s*")


def quote_content(doc: Document, quotation: Quotation) -> Span | None:
    """The words inside the marks, trimmed, without a trailing comma that stands for the full stop."""
    body = doc.body
    start, end = quotation.inner_start, quotation.inner_end
    while end > start and (body[end - 1].isspace() or body[end - 1] in ",;"):
        end -= 1
    return Span.trimmed(body, start, end)


def opening_of(doc: Document, quotation: Quotation) -> str | None:
    """How the quotation stands: 'sentence' when it starts one, the mark before it, or None inside a clause."""
    sentence_start, _ = doc.sentence_at(quotation.open)
    if not doc.has_alnum(sentence_start, quotation.open):
        return "sentence"  # nothing before it, or only symbols such as an emoji
    mark = doc.body[doc.last_non_space(sentence_start, quotation.open)]
    return mark if mark in UNIT_OPENERS else None


def is_full_sentence(doc: Document, quotation: Quotation) -> bool:
    """A quoted sentence standing alone: ends with . ? ! and nothing follows it in its sentence."""
    content = quote_content(doc, quotation)
    if content is None or len(words_in(content.text)) < 3 or content.text[-1] not in ".?!":
        return False
    _, sentence_end = doc.sentence_at(quotation.open)
    return doc.is_blank(quotation.end, sentence_end)


class DirectQuotes:
    """Finds direct quotes and the cues they use."""

    def __init__(self, doc: Document, phrases: Phrases, cues: list[Cue]):
        self.doc = doc
        self.body = doc.body
        self.phrases = phrases
        self.cues = cues
        self._cue_starts = [cue.span.start for cue in cues]
        self._cue_ends = [cue.span.end for cue in cues]
        self.used_cues: set[int] = set()
        # Full quoted sentences with no speaker next to them; reported_speech may continue one.
        self.unattributed: list[Quotation] = []

    def find(self) -> list[Attribution]:
        found = []
        for quotation in self.doc.quotations:
            opening = opening_of(self.doc, quotation)
            content = quote_content(self.doc, quotation)
            if opening is None or content is None:
                continue
            attribution = self._after(quotation) or self._before(quotation, opening)
            if attribution is None:
                if opening == "sentence" and is_full_sentence(self.doc, quotation):
                    self.unattributed.append(quotation)
                continue
            phrase, cue, pattern = attribution
            if cue is not None:
                self.used_cues.add(cue.span.start)
            found.append(
                Attribution(
                    content,
                    phrase.span if phrase else None,
                    cue.span if cue else None,
                    "direct",
                    CONFIDENCE[pattern],
                    pattern,
                    phrase.roles if phrase else (),
                )
            )
        return found

    def _cues_between(self, start: int, end: int) -> list[Cue]:
        # Cues do not overlap, so their ends are in the order of their starts.
        first, after = bisect_left(self._cue_starts, start), bisect_right(self._cue_ends, end)
        return self.cues[first:after]

    def _after(self, quotation: Quotation) -> Introduction | None:
        """'“…,” Osei told reporters.' / '“…,” said X.' / '“…” — X'."""
        body = self.body
        _, sentence_end = self.doc.sentence_at(quotation.open)
        clause_end = self._clause_end(quotation.end, sentence_end)
        start = _AFTER_QUOTATION.match(body, quotation.end, clause_end).end()
        if start >= clause_end:
            return None
        if body[start] in "—–":
            phrase = self.phrases.phrase_after(start + 1, clause_end)
            return (phrase, None, "dash") if phrase else None
        cues = self._cues_between(start, clause_end)
        if not cues:
            return None
        cue = cues[0]
        if cue.span.start == start:
            phrase = self.phrases.phrase_after(cue.span.end, clause_end)
            return (phrase, cue, "inverted") if phrase else None
        if self.doc.words_between(start, cue.span.start) > 8:
            return None
        phrase = self.phrases.subject_before(start, cue.span.start)
        return (phrase, cue, "after") if phrase else None

    def _clause_end(self, start: int, sentence_end: int) -> int:
        """Where the words after a quotation stop belonging to it: the next quotation, ';' or the sentence end."""
        end = sentence_end
        following = self.doc.first_quotation_from(start)
        if following is not None and following.open < end:
            end = following.open
        semicolon = self.body.find(";", start, end)
        return semicolon if semicolon >= 0 else end

    def _before(self, quotation: Quotation, opening: str) -> Introduction | None:
        """'The minister said: “…”' / 'he laughed: “…”' / 'put it bluntly — “…”' / 'she said, “and …”'."""
        if opening == "sentence":
            return self._across_paragraphs(quotation)
        mark_at = self.doc.last_non_space(0, quotation.open)
        sentence_start, _ = self.doc.sentence_at(quotation.open)
        earlier = self.doc.last_quotation_within(sentence_start, mark_at)
        clause_start = earlier.end if earlier is not None else sentence_start
        return self._introduction(clause_start, mark_at, allow_no_cue=opening == ":")

    def _across_paragraphs(self, quotation: Quotation) -> Introduction | None:
        """A quotation opening a paragraph after a paragraph that ends with 'said:'."""
        paragraph_start, _ = self.doc.paragraph_at(quotation.open)
        if paragraph_start != quotation.open:
            return None
        colon = self.doc.last_non_space(0, paragraph_start)
        if colon is None or self.body[colon] != ":":
            return None
        sentence_start, _ = self.doc.sentence_at(colon)
        return self._introduction(sentence_start, colon, allow_no_cue=True)

    def _introduction(self, start: int, mark_at: int, allow_no_cue: bool) -> Introduction | None:
        cues = [cue for cue in self._cues_between(start, mark_at) if cue.kind is not CueKind.ACCORDING_TO]
        if cues:
            cue = cues[-1]
            phrase = self.phrases.subject_before(start, cue.span.start) or self._coordinated_subject(start, cue)
            if phrase is None:
                phrase = self.phrases.phrase_after(cue.span.end, mark_at)
            return (phrase, cue, "before")
        if allow_no_cue:
            phrase = self.phrases.leading_subject(start, mark_at)
            if phrase is not None and _names_someone(phrase):
                return (phrase, None, "colon")
        return None

    def _coordinated_subject(self, start: int, cue: Cue) -> NounPhrase | None:
        if self.phrases.word_before(start, cue.span.start).lower() in {"and", "but"}:
            return self.phrases.leading_subject(start, cue.span.start)
        return None


def _names_someone(phrase: NounPhrase) -> bool:
    """A colon without a reporting verb needs a subject that is clearly a speaker: a pronoun or a name."""
    words = words_in(phrase.span.text)
    return bool(words) and (words[0].lower() in {"he", "she", "they"} or all(w[:1].isupper() for w in words))
