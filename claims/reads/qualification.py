"""Qualification items: articles whose submitted gold version is the answer key, and each annotator's
accuracy against it, layer by layer (the dashboard's table and /api/projects/{id}/qualification/).

An annotator's submitted work on a qualification item is lined up with the gold version by the same
matching the agreement figures use (claims.agreement.units.mention_units: overlapping content spans,
greatest overlap first, one mention per side), then each layer counts how often the annotator's value
equals gold's:

- `found`: gold mentions the annotator marked too (overlapping spans), of all gold mentions;
- `span_exact`, `speaker`, `cue`, `quote_type`, `claim`, `stance`: of the mentions found, those whose
  content boundaries, speaker, cue span, quote type, tracked claim or stance equal gold's;
- `article_stance`: gold's article stances the annotator gave the same value (none given counts wrong).

Only submitted work on items whose gold version is submitted counts. Five queries, however many items.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from claims.agreement.units import MENTION_LAYERS, mention_units
from claims.models import Article, ArticleStance, Assignment, AssignmentStatus, ClaimMention, Project

# Not a username: Django's usernames cannot hold a NUL, so gold never shares a key with an annotator.
_GOLD = "\x00gold"

LAYERS = {
    "found": "Mentions found",
    "span_exact": "Exact span",
    "speaker": "Speaker",
    "cue": "Cue",
    "quote_type": "Quote type",
    "claim": "Claim",
    "stance": "Speaker's stance",
    "article_stance": "Article's stance",
}
_COMPARED_ON_MATCH = {
    "span_exact": lambda m: (m.start, m.end),
    "speaker": MENTION_LAYERS["mention_speaker"],
    "cue": lambda m: (m.cue_start, m.cue_end),
    "quote_type": MENTION_LAYERS["mention_quote_type"],
    "claim": MENTION_LAYERS["mention_claim"],
    "stance": MENTION_LAYERS["mention_stance"],
}


@dataclass(frozen=True)
class LayerScore:
    agreed: int
    compared: int

    @property
    def accuracy(self) -> float | None:
        """None when there was nothing to compare (not 0: no evidence either way)."""
        return self.agreed / self.compared if self.compared else None


@dataclass(frozen=True)
class AnnotatorAccuracy:
    username: str
    items: int  # qualification items this annotator submitted whose gold is submitted
    layers: dict[str, LayerScore]

    @property
    def scores(self) -> list[LayerScore]:
        return [self.layers[layer] for layer in LAYERS]


@dataclass(frozen=True)
class QualificationResults:
    items: int  # articles marked as qualification items
    with_gold: int  # of those, with a submitted gold version (the ones that score)
    annotators: list[AnnotatorAccuracy]


def _score(work: list[ClaimMention], gold: list[ClaimMention], counts: dict[str, list[int]]) -> None:
    counts["found"][1] += len(gold)
    for unit in mention_units({"annotator": work, _GOLD: gold}):
        if len(unit) < 2:
            continue
        counts["found"][0] += 1
        for layer, value_of in _COMPARED_ON_MATCH.items():
            counts[layer][0] += value_of(unit["annotator"]) == value_of(unit[_GOLD])
            counts[layer][1] += 1


def qualification_results(*, project: Project) -> QualificationResults:
    items = Article.objects.filter(project=project, is_qualification=True)
    gold = {
        a.article_id: a.pk
        for a in Assignment.objects.filter(article__in=items, is_gold=True, status=AssignmentStatus.SUBMITTED).only(
            "id", "article_id"
        )
    }
    work = list(
        Assignment.objects.filter(article_id__in=gold, is_gold=False, status=AssignmentStatus.SUBMITTED)
        .select_related("annotator")
        .only("id", "article_id", "annotator__username")
    )
    scored = [*gold.values(), *(a.pk for a in work)]
    mentions: dict[int, list[ClaimMention]] = defaultdict(list)
    for mention in ClaimMention.objects.filter(assignment_id__in=scored).order_by("start", "end", "id"):
        mentions[mention.assignment_id].append(mention)
    stances: dict[int, dict[int, str]] = defaultdict(dict)
    rows = ArticleStance.objects.filter(assignment_id__in=scored).order_by()
    for assignment_id, claim_id, stance in rows.values_list("assignment_id", "claim_id", "stance"):
        stances[assignment_id][claim_id] = stance

    by_annotator: dict[str, dict[str, list[int]]] = {}
    n_items: dict[str, int] = defaultdict(int)
    for assignment in work:
        name = assignment.annotator.get_username()
        counts = by_annotator.setdefault(name, {layer: [0, 0] for layer in LAYERS})
        n_items[name] += 1
        gold_id = gold[assignment.article_id]
        _score(mentions[assignment.pk], mentions[gold_id], counts)
        for claim_id, stance in stances[gold_id].items():
            counts["article_stance"][0] += stances[assignment.pk].get(claim_id) == stance
            counts["article_stance"][1] += 1
    return QualificationResults(
        items=items.count(),
        with_gold=len(gold),
        annotators=[
            AnnotatorAccuracy(
                username=name,
                items=n_items[name],
                layers={layer: LayerScore(*pair) for layer, pair in counts.items()},
            )
            for name, counts in sorted(by_annotator.items())
        ],
    )
