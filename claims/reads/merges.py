"""What a merge of two tracked claims or two speakers would move, read before asking for confirmation.

The counts follow what claims.services.tracked_claims.claim_merge and claims.services.speakers.speaker_merge
do, so the confirmation names exactly what the merge then changes."""

from __future__ import annotations

from dataclasses import dataclass

from claims.models import ArticleStance, Claim, ClaimMention, Speaker, SpeakerAlias, Suggestion


@dataclass(frozen=True)
class ClaimMergePreview:
    source: Claim
    target: Claim
    mentions: int  # mentions that will point at the target
    article_stances: int  # article stances that will point at the target
    article_stances_dropped: int  # where one assignment has a stance toward both, the source's goes
    claims_redirected: int  # claims merged earlier into the source, which will point at the target


def claim_merge_preview(*, source: Claim, target: Claim) -> ClaimMergePreview:
    both = ArticleStance.objects.filter(claim=target).values("assignment_id")
    stances = ArticleStance.objects.filter(claim=source)
    dropped = stances.filter(assignment_id__in=both).count()
    return ClaimMergePreview(
        source=source,
        target=target,
        mentions=ClaimMention.objects.filter(claim=source).count(),
        article_stances=stances.count() - dropped,
        article_stances_dropped=dropped,
        claims_redirected=Claim.objects.filter(merged_into=source).count(),
    )


@dataclass(frozen=True)
class SpeakerMergePreview:
    source: Speaker
    target: Speaker
    mentions: int  # mentions that will name the target
    suggestions: int  # drafted attributions that will name the target
    aliases: list[str]  # names the target gains as aliases (the source's name and aliases it lacks)
    speakers_redirected: int


def speaker_merge_preview(*, source: Speaker, target: Speaker) -> SpeakerMergePreview:
    known = {target.name, *SpeakerAlias.objects.filter(speaker=target).values_list("name", flat=True)}
    aliases = SpeakerAlias.objects.filter(speaker=source).order_by("name").values_list("name", flat=True)
    offered = [source.name, *aliases]
    return SpeakerMergePreview(
        source=source,
        target=target,
        mentions=ClaimMention.objects.filter(speaker=source).count(),
        suggestions=Suggestion.objects.filter(speaker=source).count(),
        aliases=[name for name in dict.fromkeys(offered) if name not in known],
        speakers_redirected=Speaker.objects.filter(merged_into=source).count(),
    )
