"""The plain values agreement is computed from: one annotator's submitted work on one article."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class MentionLabel:
    """A claim mention reduced to what agreement compares. None means not set (no speaker = the outlet's own claim)."""

    start: int
    end: int
    speaker_id: int | None = None
    stance: str | None = None
    quote_type: str = "direct"
    claim_id: int | None = None


@dataclass(frozen=True)
class Submission:
    """One annotator's submitted, non-gold work on one article."""

    annotator: str
    article_id: int
    mentions: tuple[MentionLabel, ...] = ()
    article_stances: Mapping[int, str] = field(default_factory=dict)  # claim id -> stance label
