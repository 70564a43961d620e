# News text uses typographic apostrophes, quotation marks and dashes; the rules must name them.
"""Reporting cues: the words that attribute a claim ("said", "warned", "according to", ...)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from .document import Document
from .suggestions import Span


class CueKind(Enum):
    # Takes a reported clause ("said (that) ...") and introduces direct quotes.
    SPEECH = "speech"
    # Only with an explicit "that": "found that", "promised that", "believes that".
    THAT_ONLY = "that_only"
    # Introduces direct quotes only ("asked", "laughed", "put it").
    QUOTE_ONLY = "quote_only"
    # "according to X".
    ACCORDING_TO = "according_to"


def _forms(*stems: str) -> list[str]:
    """Verb forms written as 'say|says|said|saying' groups."""
    return [form for stem in stems for form in stem.split("|")]


SPEECH_FORMS = _forms(
    "say|says|said|saying",
    "tell|tells|told|telling",
    "warn|warns|warned|warning",
    "adds|added|adding",
    "argue|argues|argued|arguing",
    "insist|insists|insisted|insisting",
    "claim|claimed|claiming",
    "stated",
    "explain|explains|explained|explaining",
    "noted|noting",
    "write|writes|wrote|writing",
    "confirm|confirms|confirmed|confirming",
    "announce|announces|announced|announcing",
    "acknowledge|acknowledges|acknowledged|acknowledging",
    "admit|admits|admitted|admitting",
    "deny|denies|denied|denying",
    "suggest|suggests|suggested|suggesting",
    "predict|predicts|predicted|predicting",
    "allege|alleges|alleged|alleging",
    "assert|asserts|asserted|asserting",
    "stresses|stressed|stressing",
    "emphasise|emphasises|emphasised|emphasising|emphasize|emphasizes|emphasized|emphasizing",
    "reported",
    "reply|replies|replied|replying",
    "maintains|maintained|maintaining",
    "contend|contends|contended",
    "concede|concedes|conceded|conceding",
    "complain|complains|complained|complaining",
    "declare|declares|declared|declaring",
    "cautioned|cautioning",
    "tweeted|posted",
)
THAT_ONLY_FORMS = _forms(
    "believe|believes|believed",
    "think|thinks|thought",
    "find|finds|found",
    "conclude|concludes|concluded",
    "promise|promises|promised",
    "vow|vows|vowed",
    "pledge|pledges|pledged",
    "fear|fears|feared",
    "hope|hopes|hoped",
    "agree|agrees|agreed",
    "recall|recalls|recalled",
    "show|shows|showed",
    "reveal|reveals|revealed",
)
QUOTE_ONLY_FORMS = _forms(
    "ask|asks|asked",
    "laugh|laughs|laughed",
    "joke|jokes|joked",
    "quip|quips|quipped",
    "shout|shouts|shouted",
    "exclaim|exclaims|exclaimed",
    "wonder|wonders|wondered",
    "continue|continues|continued",
    "put it",
    "went on",
    "remarked",
)
# Longest first, so that "was quoted as saying" wins over "saying".
MULTIWORD = [
    (r"(?:was|is|were|are|has been|had been) quoted as saying", CueKind.SPEECH),
    (r"pointed out|points out", CueKind.SPEECH),
    (r"according to", CueKind.ACCORDING_TO),
]


@dataclass(frozen=True)
class Cue:
    span: Span
    kind: CueKind

    @property
    def word(self) -> str:
        return self.span.text.lower()

    @property
    def takes_object(self) -> bool:
        """'told reporters that ...': an addressee comes between the verb and the clause."""
        return self.word.split()[0] in {"tell", "tells", "told", "telling"}

    @property
    def is_participle(self) -> bool:
        """', saying ...', ', adding that ...': the subject is the main clause's."""
        return self.word.endswith("ing") and " " not in self.word


def _cue_pattern() -> re.Pattern[str]:
    groups = [f"(?P<m{index}>{pattern})" for index, (pattern, _) in enumerate(MULTIWORD)]
    for name, forms in (("speech", SPEECH_FORMS), ("that_only", THAT_ONLY_FORMS), ("quote_only", QUOTE_ONLY_FORMS)):
        ordered = sorted(set(forms), key=len, reverse=True)
        groups.append(f"(?P<{name}>{'|'.join(re.escape(form) for form in ordered)})")
    return re.compile(r"(?<![\w’'-])(?:" + "|".join(groups) + r")(?![\w’'-])", re.IGNORECASE)


_CUE = _cue_pattern()
_GROUP_KINDS = {f"m{index}": kind for index, (_, kind) in enumerate(MULTIWORD)} | {
    "speech": CueKind.SPEECH,
    "that_only": CueKind.THAT_ONLY,
    "quote_only": CueKind.QUOTE_ONLY,
}


def find_cues(doc: Document) -> list[Cue]:
    """Every reporting cue outside quotation marks, in text order."""
    cues = []
    for match in _CUE.finditer(doc.body):
        if doc.in_quotation(match.start()):
            continue
        cues.append(Cue(Span.of(doc.body, match.start(), match.end()), _GROUP_KINDS[match.lastgroup]))
    return cues
