# News text uses typographic apostrophes, quotation marks and dashes; the rules must name them.
"""Who speaks: the project's catalogue, and resolving the words that name a speaker to a speaker.

Resolution reads the article left to right and keeps a short memory of who was mentioned where
(catalogue names, person names, role descriptions and earlier speakers), so that 'He', 'the
minister' or 'the company' can be resolved to the nearest earlier fitting entity.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .document import Document
from .names import fold, fold_with_offsets, name_key
from .noun_phrases import WORD, Phrases, is_capitalised, looks_like_person_name, role_words, strip_titles, words_in
from .suggestions import Region, Span
from .vocabulary import (
    DETERMINERS,
    DOCUMENT_NOUNS,
    GOVERNMENT_WORDS,
    GROUP_NOUNS,
    NAME_PARTICLES,
    ORGANISATION_NOUNS,
    ORGANISATION_WORDS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
    PLACE_WORDS,
    ROLE_SYNONYMS,
    SUBJECT_PRONOUNS,
    TIME_WORDS,
    TITLE_WORDS,
    UNNAMED_HEADS,
    word_set,
)

KINDS = ("person", "organisation", "government", "group", "unnamed")
# How many mentions back a pronoun or a description ('he', 'the minister') looks for whom it stands for. An
# article has far fewer; the bound keeps resolving one source cheap in a body that names thousands of people.
HISTORY_LOOKBACK = 100
_MALE_TITLES = word_set("mr sir lord king prince father spokesman chairman councilman congressman")
_FEMALE_TITLES = word_set("mrs ms miss dame lady queen princess spokeswoman chairwoman councilwoman congresswoman")
_SPOKESPERSON_FOR = re.compile(
    r"^(?:an?|the|its|their)?\s*(?:[\w-]+\s+){0,2}?"
    r"(?:spokes(?:man|woman|person)|representatives?|analysts?|officials?|economists?|lawyers?|researchers?|"
    r"staff|members?)\s+(?:for|at|of|from|with)\s+(?P<body>.+)$",
    re.IGNORECASE,
)
_BODY_SPOKESPERSON = re.compile(
    r"^(?:[Aa]n?|[Tt]he)\s+(?P<body>(?:[A-Z][\w’'.-]*\s+)+)(?:spokes(?:man|woman|person)|official|officials|sources?)$"
)
_ROLE_NOMINAL = re.compile(r"\b[Tt]he\s+(?P<first>[a-z]+)(?:\s+(?P<second>[a-z]+))?")
_AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent")


@dataclass
class Entity:
    """A speaker or someone mentioned; catalogue entries and new names alike."""

    name: str
    kind: str
    is_new: bool
    roles: set[str] = field(default_factory=set)
    gender: str | None = None


@dataclass(frozen=True)
class Resolution:
    name: str | None
    kind: str | None
    is_new: bool
    # How the speaker was found: catalogue, history (pronoun, role, surname) or new.
    how: str


class Catalogue:
    """The project's speakers, looked up by folded name or alias.

    Build it once and pass it to `preannotate` for every article of a run: finding its names in a body and
    resolving a mention cost the same whatever the catalogue's size. Its entities are templates: each article
    works on copies (SpeakerResolver.own), since reading an article teaches them roles and genders.
    """

    def __init__(self, speakers: Iterable[dict]):
        self._by_key: dict[str, Entity] = {}
        self._surnames: dict[str, list[Entity]] = {}
        self._scan_names: dict[str, Entity] = {}
        for speaker in speakers:
            self._add(speaker)
        self._scanner = _NameScanner(self._scan_names)

    def _add(self, speaker: dict) -> None:
        name = " ".join(str(speaker["name"]).split())
        kind = speaker.get("kind") if speaker.get("kind") in KINDS else "person"
        entity = Entity(name=name, kind=kind, is_new=False)
        if speaker.get("role"):
            entity.roles.update(role_words(str(speaker["role"])))
        for written in [name, *speaker.get("aliases", ())]:
            written = " ".join(str(written).split())
            if not written:
                continue
            self._by_key.setdefault(name_key(written), entity)
            if fold(written):  # (a name of accents alone folds to nothing: there is nothing to find)
                self._scan_names.setdefault(fold(written), entity)
            if kind == "person" and any(word.islower() for word in words_in(written)):
                # A descriptive alias ('a top Pentagon official') tells the speaker's role.
                entity.roles.update(role_words(written))
        if kind == "person":
            words = [word for word in words_in(name) if word.lower() not in NAME_PARTICLES]
            if len(words) >= 2:
                self._surnames.setdefault(name_key(words[-1]), []).append(entity)

    def lookup(self, text: str) -> Entity | None:
        return self._by_key.get(name_key(text))

    def lookup_surname(self, word: str) -> Entity | None:
        found = self._surnames.get(name_key(word), [])
        return found[0] if len(found) == 1 else None

    def mentions(self, body: str) -> list[tuple[Span, Entity]]:
        """Every place a catalogue name or alias is written in the body."""
        if not self._scan_names:
            return []
        folded, origin = fold_with_offsets(body)
        found = []
        for start, end, name in self._scanner.finditer(folded):
            found.append((Span.of(body, origin[start], origin[end - 1] + 1), self._scan_names[name]))
        return found


# A piece of a name: a word (letters, digits, apostrophes) or any other single character.
_NAME_PIECE = re.compile(r"[\w']+|[^\w']")
_NAME_END = ""  # the key that marks, in _NameScanner's tree, where a name ends (no piece is empty)


class _NameScanner:
    r"""Finds names in folded text where `(?<![\w'])(?:name|name|...)(?![\w'])` would, with the longest names
    tried first, but without trying every name at every place: the names are a tree of their pieces, and
    each place a name may start reads only as many pieces of the text as some name shares with it.
    """

    def __init__(self, names: Iterable[str]):
        self._tree: dict = {}
        starts_off_word = False
        for name in names:
            node = self._tree
            pieces = _NAME_PIECE.findall(name)
            starts_off_word = starts_off_word or not _is_word_piece(pieces[0])
            for piece in pieces:
                node = node.setdefault(piece, {})
            node[_NAME_END] = name
        # Where a name may start: not right after a letter, digit or apostrophe (and at a word, unless some
        # name starts with another character).
        self._starts = re.compile(r"(?<![\w'])" if starts_off_word else r"(?<![\w'])(?=[\w'])")

    def finditer(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, name) of each name found, left to right, not overlapping."""
        after = 0
        for candidate in self._starts.finditer(text):
            start = candidate.start()
            if start < after:
                continue
            node, position, found = self._tree, start, None
            while (piece := _NAME_PIECE.match(text, position)) is not None:
                node = node.get(piece.group())
                if node is None:
                    break
                position = piece.end()
                if _NAME_END in node and (position == len(text) or not _is_word_piece(text[position])):
                    found = (position, node[_NAME_END])
            if found is not None:
                yield start, found[0], found[1]
                after = found[0]


def _is_word_piece(text: str) -> bool:
    r"""Whether `text` starts with what `[\w']` matches."""
    return text[0] == "'" or text[0] == "_" or text[0].isalnum()


def _ends_sentence(word: str) -> bool:
    """'Monday.' ends a sentence; 'Dr.', 'St.' and the initial 'J.' do not."""
    return word.endswith(".") and len(word) > 2 and word.lower().rstrip(".") not in TITLE_WORDS | {"st"}


def fits_role(head: str, entity: Entity) -> bool:
    return head in entity.roles or bool(ROLE_SYNONYMS.get(head, frozenset()) & entity.roles)


def guess_kind(text: str) -> str:
    """Best guess of a new speaker's kind from the words that name it."""
    words = words_in(text)
    lows = [word.lower().rstrip(".") for word in words]
    if not words:
        return "unnamed"
    if lows[0] in PERSON_PRONOUNS:
        return "person"
    if lows[0] == "they":
        return "group"
    if lows[0] == "it":
        return "organisation"
    if any(is_capitalised(word) and low in GOVERNMENT_WORDS for word, low in zip(words, lows, strict=True)):
        return "government"
    if any(is_capitalised(word) and low in ORGANISATION_WORDS for word, low in zip(words, lows, strict=True)):
        return "organisation"
    head = _head(words)
    if lows[0] in {"a", "an"} or head in UNNAMED_HEADS:
        return "unnamed"
    if head in GROUP_NOUNS:
        return "group"
    if head in ORGANISATION_NOUNS:
        return "organisation"
    if looks_like_person_name(text) and len(strip_titles(words)) >= 2:
        return "person"
    return "organisation" if len(words) == 1 else "unnamed"


def could_be_speaker(text: str) -> bool:
    """Whether a subject can say things: a name, a pronoun, or a noun for people, bodies or documents.

    Keeps 'The craters suggest a violent past' from being read as an attribution.
    """
    words = words_in(text)
    if not words:
        return False
    if len(words) == 1 and words[0].lower() in SUBJECT_PRONOUNS:
        return True
    if any(is_capitalised(word) and word.lower() not in DETERMINERS for word in words):
        return True
    head = _head(words)
    nouns = PERSON_NOUNS | ORGANISATION_NOUNS | GROUP_NOUNS | UNNAMED_HEADS | DOCUMENT_NOUNS
    return head in nouns or head.rstrip("s") in nouns


def _is_definite_person_description(words: list[str]) -> bool:
    return len(words) >= 2 and words[0].lower() == "the" and _head(words) in PERSON_NOUNS


def _head(words: list[str]) -> str:
    """The head noun of a short description: the last word before a preposition."""
    for index, word in enumerate(words):
        if index and word.lower() in {"of", "in", "for", "at", "from", "with", "familiar", "close", "who"}:
            return words[index - 1].lower()
    return words[-1].lower() if words else ""


def person_name(words: list[str], sentence_initial: bool) -> str | None:
    """The name in 'Pensioner Walter Brenner' / 'Health Minister Jonas Lindqvist'; None if it is no name."""
    # The name is the capitalised tail: 'mission director Sigrid Halvorsen' -> 'Sigrid Halvorsen'.
    backwards: list[str] = []
    for word in reversed(words):
        if word.endswith(("’s", "'s")):
            break  # 'NASA’s Jane Doe': the possessor is not part of the name
        if is_capitalised(word) or (backwards and word.lower() in NAME_PARTICLES):
            backwards.append(word)
        else:
            break
    tail = backwards[::-1]
    first = 0
    while first < len(tail) and (tail[first].lower() in NAME_PARTICLES or tail[first].lower() in DETERMINERS):
        first += 1
    tail = tail[first:]
    titles = [index for index, word in enumerate(tail[:-1]) if word.lower().rstrip(".") in TITLE_WORDS]
    if titles:
        tail = tail[titles[-1] + 1 :]  # 'Senate Majority Leader Chuck Schumer' -> 'Chuck Schumer'
    if len(tail) >= 3 and sentence_initial and tail[0].lower().endswith(_AGENT_SUFFIXES):
        tail = tail[1:]  # 'Pensioner Walter Brenner': a common noun capitalised by the sentence
    if not tail or tail[0].lower().rstrip(".") in TITLE_WORDS:
        return None
    if any(word.lower() in ORGANISATION_WORDS | GOVERNMENT_WORDS | PLACE_WORDS | TIME_WORDS for word in tail):
        return None
    return " ".join(tail)


class SpeakerResolver:
    """Resolves sources left to right, remembering who was mentioned where."""

    def __init__(self, doc: Document, catalogue: Catalogue, phrases: Phrases):
        self.doc = doc
        self.catalogue = catalogue
        self.phrases = phrases
        # (where, who, salient): salient mentions are subjects and speakers, which pronouns prefer.
        # In text order: mentions are remembered as the left-to-right pass reaches them.
        self.history: list[tuple[Span, Entity, bool]] = []
        self.new_entities: dict[str, Entity] = {}
        # The latest remembered entity of each name key, and person of each surname key.
        self._latest_named: dict[str, Entity] = {}
        self._latest_surname: dict[str, Entity] = {}
        # This article's copies of the catalogue's entities, by the catalogue entity's id.
        self._own: dict[int, Entity] = {}

    def own(self, entity: Entity | None) -> Entity | None:
        """This article's copy of a catalogue entity (what it learns here stays here)."""
        if entity is None:
            return None
        copy = self._own.get(id(entity))
        if copy is None:
            copy = self._own[id(entity)] = Entity(entity.name, entity.kind, entity.is_new, set(entity.roles))
        return copy

    def _lookup(self, text: str) -> Entity | None:
        return self.own(self.catalogue.lookup(text))

    # --- memory ----------------------------------------------------------------------------

    def remember(self, span: Span, entity: Entity, salient: bool | None = None) -> None:
        self.history.append((span, entity, self._is_subject(span) if salient is None else salient))
        self._latest_named[name_key(entity.name)] = entity
        if entity.kind == "person" and entity.name.split():
            self._latest_surname[name_key(entity.name.split()[-1])] = entity

    def _is_subject(self, span: Span) -> bool:
        sentence_start, sentence_end = self.doc.sentence_at(span.start)
        start, verb = self.phrases.subject_region(sentence_start, sentence_end)
        return start <= span.start < verb

    def nearest(self, before: int, wanted, exclude: Region | None = None) -> Entity | None:
        looked = 0
        for span, entity, _ in reversed(self.history):
            if span.start >= before or (exclude is not None and exclude.contains(span)):
                continue
            if looked == HISTORY_LOOKBACK:
                return None
            looked += 1
            if wanted(entity):
                return entity
        return None

    def nearest_salient(self, before: int, wanted, exclude: Region | None = None) -> Entity | None:
        """The nearest fitting subject or speaker of this or the previous paragraph, else the nearest fitting one.

        'Maria Lopez met John Smith. She said ...': she is Maria, the subject, not the nearer John.
        """
        paragraph_start, _ = self.doc.paragraph_at(before)
        window = self.doc.paragraph_at(paragraph_start - 1)[0] if paragraph_start > 0 else 0
        looked = 0
        for span, entity, salient in reversed(self.history):
            if span.start >= before or (exclude is not None and exclude.contains(span)):
                continue
            if span.start < window or looked == HISTORY_LOOKBACK:
                break
            looked += 1
            if salient and wanted(entity):
                return entity
        return self.nearest(before, wanted, exclude)

    def entity_named(self, name: str, kind: str) -> Entity:
        """The catalogue's or an earlier new entity of this name; a new one otherwise."""
        known = self._lookup(name) or self.new_entities.get(name_key(name))
        if known is not None:
            return known
        entity = Entity(name=name, kind=kind, is_new=True)
        self.new_entities[name_key(name)] = entity
        return entity

    # --- mentions that are not sources ------------------------------------------------------

    def background_mentions(self) -> list[tuple[Span, str, Entity | None]]:
        """Catalogue names, person names and role descriptions outside quotations.

        Returned as (span, how, catalogue entity) events; `remember_background` turns each into a
        memory when the left-to-right pass reaches it.
        """
        events: list[tuple[Span, str, Entity | None]] = []
        taken = _Taken()
        for span, entity in self.catalogue.mentions(self.doc.body):
            if not self.doc.in_quotation(span.start):
                events.append((span, "catalogue", self.own(entity)))
                taken.add(span)
        for span in self._person_runs():
            if not taken.overlaps(span):
                events.append((span, "person", None))
        for match in _ROLE_NOMINAL.finditer(self.doc.body):
            if self.doc.in_quotation(match.start()):
                continue
            for group in ("second", "first"):
                if match.group(group) in PERSON_NOUNS:
                    events.append((Span.of(self.doc.body, match.start(), match.end(group)), "role", None))
                    break
        return events

    def remember_background(self, span: Span, how: str, entity: Entity | None) -> None:
        if how == "catalogue" and entity is not None:
            self.remember(span, entity)
        elif how == "person":
            sentence_start, _ = self.doc.sentence_at(span.start)
            name = person_name(words_in(span.text), span.start == sentence_start)
            if name:
                entity = self._surname_entity(name) or self.entity_named(name, "person")
                self._learn_titles(entity, span.text, name)
                self.remember(span, entity)
        elif how == "role":
            head = span.text.split()[-1].lower()
            entity = self.nearest(span.start, lambda e: e.kind == "person" and fits_role(head, e))
            if entity is not None:
                self.remember(span, entity)

    def _person_runs(self) -> list[Span]:
        """Runs of capitalised words that may be a person's name ('Pensioner Walter Brenner')."""
        body, runs = self.doc.body, []
        current: list[re.Match[str]] = []

        def flush() -> None:
            capitalised = [m for m in current if is_capitalised(m.group())]
            if len(capitalised) >= 2:
                runs.append(Span.of(body, current[0].start(), current[-1].end()))
            current.clear()

        for match in WORD.finditer(body):
            word = match.group()
            gap = body[current[-1].end() : match.start()] if current else " "
            joinable = (
                gap == " "
                and (is_capitalised(word) or word.lower() in NAME_PARTICLES)
                and not _ends_sentence(current[-1].group() if current else "")
            )
            if current and not joinable:
                flush()
            if is_capitalised(word) or (current and word.lower() in NAME_PARTICLES):
                current.append(match)
        flush()
        return [span for span in runs if not self.doc.in_quotation(span.start)]

    def _surname_entity(self, name: str) -> Entity | None:
        return self._latest_surname.get(name_key(name.split()[-1]))

    def _learn_titles(self, entity: Entity, written: str, name: str) -> None:
        prefix = written[: max(written.rfind(name.split()[0]), 0)]
        words = words_in(prefix)
        entity.roles.update(role_words(prefix))
        for word in words:
            low = word.lower().rstrip(".")
            if low in _MALE_TITLES:
                entity.gender = entity.gender or "male"
            elif low in _FEMALE_TITLES:
                entity.gender = entity.gender or "female"

    # --- sources ---------------------------------------------------------------------------

    def resolve(self, source: Span, roles: tuple[str, ...] = (), exclude: Region | None = None) -> Resolution:
        """The speaker a source names, and remember it for later pronouns."""
        entity, how = self._find(source, exclude)
        if entity is None:
            kind = "person" if source.text.lower() in PERSON_PRONOUNS or how == "unresolved" else None
            return Resolution(None, kind, False, how)
        entity.roles.update(roles)
        self.remember(source, entity, salient=True)
        return Resolution(entity.name, entity.kind, entity.is_new, how)

    def _find(self, source: Span, exclude: Region | None) -> tuple[Entity | None, str]:
        text = source.text
        low = text.lower()
        words = words_in(text)
        if low in PERSON_PRONOUNS:
            gender = PERSON_PRONOUNS[low]
            entity = self.nearest_salient(
                source.start, lambda e: e.kind == "person" and e.gender in (None, gender), exclude
            )
            if entity is not None:
                entity.gender = gender
            return entity, "pronoun"
        if low == "they":
            return self.nearest(
                source.start, lambda e: e.kind in {"group", "organisation", "government"}, exclude
            ), "pronoun"
        if low == "it":
            return self.nearest(source.start, lambda e: e.kind in {"organisation", "government"}, exclude), "pronoun"
        if low in {"which", "who", "we", "i"}:
            return self.nearest(source.start, lambda e: True, exclude), "pronoun"
        entity = self._lookup(text)
        if entity is not None:
            return entity, "catalogue"
        entity = self._spoken_for(text)
        if entity is not None:
            return entity, "catalogue" if not entity.is_new else "new"
        entity = self._by_name(source)
        if entity is not None:
            return entity, "catalogue" if not entity.is_new else "history"
        entity = self._by_description(source, words, exclude)
        if entity is not None:
            return entity, "history"
        if _is_definite_person_description(words):
            return None, "unresolved"  # 'the minister' with no minister before: leave it to the annotator
        return self._new_entity(source), "new"

    def _spoken_for(self, text: str) -> Entity | None:
        """'A spokesman for the fire brigade', 'A Commission spokesperson': the body they speak for."""
        match = _SPOKESPERSON_FOR.match(text) or _BODY_SPOKESPERSON.match(text)
        if not match:
            return None
        body_text = match.group("body").strip()
        return self._lookup(body_text) or self._nearest_named(body_text)

    def _nearest_named(self, text: str) -> Entity | None:
        return self._latest_named.get(name_key(text))

    def _by_name(self, source: Span) -> Entity | None:
        """'U.S. Vice President Mike Pence' -> 'Mike Pence'; 'Alvarez' -> 'Ruth Álvarez'."""
        words = words_in(source.text)
        for index in range(len(words)):
            suffix = " ".join(words[index:])
            entity = self._lookup(suffix) or self._nearest_named(suffix)
            if entity is not None:
                self._learn_titles(entity, source.text, suffix)
                return entity
        if words and is_capitalised(words[-1]):
            sentence_start, _ = self.doc.sentence_at(source.start)
            name = person_name(words, source.start == sentence_start)
            if name and len(name.split()) == 1:
                return self.own(self.catalogue.lookup_surname(name)) or self._surname_entity(name)
        return None

    def _by_description(self, source: Span, words: list[str], exclude: Region | None) -> Entity | None:
        """'the minister', 'The authority', 'the Dutchman': the nearest earlier entity that fits."""
        if not words or words[0].lower() not in {"the", "this", "that"}:
            return None
        head = words[-1].lower()
        by_role = self.nearest(source.start, lambda e: fits_role(head, e), exclude)
        if by_role is not None:
            return by_role
        by_name = self.nearest(source.start, lambda e: head in fold(e.name).split(), exclude)
        if by_name is not None:
            return by_name
        if head in PERSON_NOUNS or (is_capitalised(words[-1]) and head.endswith(("man", "woman"))):
            return self.nearest(source.start, lambda e: e.kind == "person", exclude)
        if head in ORGANISATION_NOUNS:
            return self.nearest(source.start, lambda e: e.kind in {"organisation", "government"}, exclude)
        return None

    def _new_entity(self, source: Span) -> Entity:
        words = words_in(source.text)
        sentence_start, _ = self.doc.sentence_at(source.start)
        name = person_name(words, source.start == sentence_start)
        if name and len(name.split()) >= 2:
            entity = self.entity_named(name, "person")
            self._learn_titles(entity, source.text, name)
            return entity
        text = source.text
        if words and words[0] in {"the", "The"} and any(is_capitalised(word) for word in words[1:]):
            text = text[len(words[0]) :].strip()
        return self.entity_named(text, guess_kind(source.text))


class _Taken:
    """Stretches of the body already taken (added in text order), asked whether a stretch overlaps one."""

    def __init__(self) -> None:
        # Overlapping stretches are merged: the rest are disjoint, in order by start and so by end.
        self._starts: list[int] = []
        self._ends: list[int] = []

    def add(self, span: Span) -> None:
        if self._ends and span.start < self._ends[-1]:
            self._ends[-1] = max(self._ends[-1], span.end)
        else:
            self._starts.append(span.start)
            self._ends.append(span.end)

    def overlaps(self, span: Span) -> bool:
        index = bisect_left(self._starts, span.end) - 1
        return index >= 0 and self._ends[index] > span.start
