"""Reading a tracked claim across articles, and a speaker across claims.

Everything counts only the mentions the reader may see (reviewers and managers: everyone's;
annotators in blind projects: their own). When several annotators marked the same statement,
it counts once per (article, speaker, stance).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from claims.models import Claim, ClaimMention, Project, Speaker, StanceLabel


@dataclass(frozen=True)
class TimelineArticle:
    article_id: int
    title: str
    source: str
    url: str
    when: dt.datetime
    dated: bool  # False: the article has no publication date; `when` is its import time
    mentions: list[ClaimMention]


def _visible_mentions(user):
    return ClaimMention.objects.visible_to(user).select_related(
        "speaker", "assignment__annotator", "assignment__article"
    )


def claim_timeline(*, claim: Claim, user) -> list[TimelineArticle]:
    """The claim's mentions grouped by article, in order of publication."""
    mentions = (
        _visible_mentions(user)
        .filter(claim=claim)
        .annotate(when=Coalesce("assignment__article__published_at", "assignment__article__created_at"))
        .order_by("when", "assignment__article_id", "start", "assignment__is_gold")
    )
    by_article: dict[int, list[ClaimMention]] = defaultdict(list)
    for mention in mentions:
        by_article[mention.assignment.article_id].append(mention)
    timeline = []
    for article_id, items in by_article.items():
        article = items[0].assignment.article
        timeline.append(
            TimelineArticle(
                article_id=article_id, title=article.title or article.external_id, source=article.source,
                url=article.url, when=items[0].when, dated=article.published_at is not None, mentions=items,
            )
        )  # fmt: skip
    return timeline


# The counts' key for statements without a stance: no label can be empty (labels are slugs), where
# "none" is a slug a project may use.
NO_STANCE = ""


def distinct_statements(mentions) -> set[tuple[int, int | None, str | None]]:
    """(article, speaker, stance) of each mention: one per statement however many annotators marked it."""
    return {(m.assignment.article_id, m.speaker_id, m.stance) for m in mentions}


@dataclass(frozen=True)
class StanceMonth:
    month: str  # "2019-03"
    counts: dict[str, int]  # stance value → statements


def claim_stances_by_month(timeline: list[TimelineArticle]) -> list[StanceMonth]:
    """Statements per stance for every month from the first to the last (empty months included)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for entry in timeline:
        for _, _, stance in distinct_statements(entry.mentions):
            counts[entry.when.strftime("%Y-%m")][stance or NO_STANCE] += 1
    if not counts:
        return []
    first, last = min(counts), max(counts)
    months, year, month = [], int(first[:4]), int(first[5:])
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        months.append(StanceMonth(month=key, counts=dict(counts.get(key, {}))))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass(frozen=True)
class SpeakerStances:
    speaker: Speaker | None  # None: the outlets' own claims
    counts: dict[str, int]  # stance value → statements

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def claim_speakers(timeline: list[TimelineArticle]) -> list[SpeakerStances]:
    """Who made the claim, and with which stance: the speakers for and against, most statements first."""
    counts: dict[int | None, Counter] = defaultdict(Counter)
    speakers: dict[int | None, Speaker | None] = {None: None}
    for entry in timeline:
        for mention in entry.mentions:
            speakers[mention.speaker_id] = mention.speaker
        for _, speaker_id, stance in distinct_statements(entry.mentions):
            counts[speaker_id][stance or NO_STANCE] += 1
    rows = [SpeakerStances(speaker=speakers[key], counts=dict(value)) for key, value in counts.items()]
    return sorted(rows, key=lambda row: (-row.total, row.speaker.name if row.speaker else ""))


@dataclass(frozen=True)
class CatalogueEntry:
    speaker: Speaker
    mentions: int
    claims: int
    stances: dict[str, int]  # stance value → mentions


def speaker_catalogue(*, project: Project, user, speakers=None) -> list[CatalogueEntry]:
    """The project's speakers (or the given ones) with how often they are quoted and their stances."""
    speakers = list(
        (speakers if speakers is not None else Speaker.objects.filter(project=project).current())
        .prefetch_related("aliases")
        .order_by("name")
    )
    visible = ClaimMention.objects.visible_to(user).filter(speaker__in=speakers)
    totals = dict(visible.values("speaker").annotate(n=Count("id"), claims=Count("claim", distinct=True))
                  .values_list("speaker", "n"))  # fmt: skip
    claims = dict(
        visible.values("speaker").annotate(claims=Count("claim", distinct=True)).values_list("speaker", "claims")
    )
    stances: dict[int, dict[str, int]] = defaultdict(dict)
    for row in visible.filter(stance__isnull=False).values("speaker", "stance").annotate(n=Count("id")):
        stances[row["speaker"]][row["stance"]] = row["n"]
    return [
        CatalogueEntry(speaker=s, mentions=totals.get(s.pk, 0), claims=claims.get(s.pk, 0), stances=stances[s.pk])
        for s in speakers
    ]


@dataclass(frozen=True)
class SpeakerOnClaim:
    claim: Claim
    counts: dict[str, int]


def speaker_claims(*, speaker: Speaker, user) -> list[SpeakerOnClaim]:
    """The claims a speaker made or took a stance on, with their stances (statements counted once)."""
    mentions = _visible_mentions(user).filter(speaker=speaker, claim__isnull=False).select_related("claim")
    counts: dict[int, Counter] = defaultdict(Counter)
    claims: dict[int, Claim] = {}
    seen = set()
    for mention in mentions:
        key = (mention.assignment.article_id, mention.claim_id, mention.stance)
        if key in seen:
            continue
        seen.add(key)
        claims[mention.claim_id] = mention.claim
        counts[mention.claim_id][mention.stance or NO_STANCE] += 1
    rows = [SpeakerOnClaim(claim=claims[pk], counts=dict(value)) for pk, value in counts.items()]
    return sorted(rows, key=lambda row: -sum(row.counts.values()))


def label_names(project: Project, *, for_mentions: bool = True) -> list[StanceLabel]:
    labels = StanceLabel.objects.filter(project=project).order_by("position")
    return list(labels.filter(for_mentions=True) if for_mentions else labels)


def claims_with_counts(*, project: Project, user, claims=None):
    """Claims (current ones unless given) with how many visible mentions and article stances link them."""
    visible = ClaimMention.objects.visible_to(user).values("id")
    queryset = claims if claims is not None else Claim.objects.filter(project=project).current()
    return queryset.annotate(
        n_mentions=Count("mentions", filter=Q(mentions__in=visible), distinct=True),
        n_articles=Count("mentions__assignment__article", filter=Q(mentions__in=visible), distinct=True),
    )
