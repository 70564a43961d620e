"""The CLEF 2020 CheckThat! Task 2 (English) data as tracked claims, and its official measures.

Used by `manage.py evaluate_claim_matching` and `bench/claim_matching.py`; the data is not shipped
(its README gives its source and licence). Each verified claim becomes a tracked claim with the
fact-check title as notes; a training tweet becomes an article and a mention of its claim.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from claims.models import Claim, Project
from claims.services.annotation_import import annotation_import
from claims.services.articles import article_create

ANNOTATOR = "checkthat-train"


@dataclass
class Split:
    tweets: dict[str, str]  # tweet id → text
    relevant: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # tweet id → vclaim ids


def _rows(path: Path) -> Iterator[list[str]]:
    with path.open(newline="", encoding="utf-8") as file:
        rows = csv.reader(file, delimiter="\t")
        next(rows)
        yield from rows


def verified_claims(data: Path) -> list[tuple[str, str, str]]:
    """(vclaim id, claim, fact-check title) for every verified claim."""
    return [(vid, claim, title) for vid, claim, title in _rows(data / "verified_claims.docs.tsv")]


def split(data: Path, name: str) -> Split:
    result = Split(tweets=dict((tid, text) for tid, text in _rows(data / name / "tweets.queries.tsv")))
    for line in (data / name / "tweet-vclaim-pairs.qrels").read_text().splitlines():
        tweet, _, vclaim, relevance = line.split()
        if int(relevance) > 0:
            result.relevant[tweet].add(vclaim)
    return result


def _key(text: str) -> str:
    # As the claim service compares texts: spacing and case do not make another claim.
    return " ".join(text.split()).lower()


@transaction.atomic
def load_claims(*, project: Project, claims: Iterable[tuple[str, str, str]], batch: int = 2000) -> dict[str, int]:
    """Track every verified claim (title as notes), in batches; → vclaim id → claim id.

    Claims whose texts differ only in case or spacing become one tracked claim, as the claim service
    would make them (the README of the data asks for exactly this mapping when scoring). Rows are
    written in bulk: the service's one-by-one duplicate check would make loading quadratic, and the
    texts are deduplicated here by the same rule.
    """
    first: dict[str, tuple[str, str, str]] = {}
    ids_of: dict[str, list[str]] = defaultdict(list)
    for vid, text, title in claims:
        first.setdefault(_key(text), (vid, text, title))
        ids_of[_key(text)].append(vid)
    rows = [Claim(project=project, text=" ".join(text.split()), notes=title) for _, text, title in first.values()]
    created = Claim.objects.bulk_create(rows, batch_size=batch)
    return {vid: claim.pk for key, claim in zip(first, created, strict=True) for vid in ids_of[key]}


def link_tweets(*, project: Project, tweets: dict[str, str], relevant: dict[str, set[str]], claims: dict[str, int],
                progress=None) -> int:  # fmt: skip
    """Each training tweet as an article (its whole text a mention linked to its claim); → mentions made."""
    texts = dict(Claim.objects.filter(project=project).values_list("pk", "text"))
    made = 0
    for tweet_id, text in tweets.items():
        body = " ".join(text.split())
        # One mention per tracked claim: two verified claims may be one tracked claim.
        linked = sorted({claims[vid] for vid in relevant.get(tweet_id, ())})
        unique = [{"start": 0, "end": len(body), "text": body, "claim": {"text": texts[pk]}} for pk in linked]
        if body and unique:
            article = article_create(project=project, external_id=f"checkthat-{tweet_id}", title=f"Tweet {tweet_id}",
                                     body=body)  # fmt: skip
            annotation_import(article=article, annotation={"annotator": ANNOTATOR, "mentions": unique})
            made += len(unique)
        if progress is not None:
            progress.update(1)
    return made


def average_precision(ranked: list[int], relevant: set[int], depth: int) -> float:
    """As trec_eval (and trectools' get_map) count it: precision at each relevant hit within `depth`,
    summed, over the number of relevant documents."""
    hits, total = 0, 0.0
    for rank, doc in enumerate(ranked[:depth], start=1):
        if doc in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: list[int], relevant: set[int]) -> float:
    return next((1 / rank for rank, doc in enumerate(ranked, start=1) if doc in relevant), 0.0)


def scores(runs: dict[str, list[int]], relevant: dict[str, set[int]]) -> dict[str, float]:
    """MAP@1, MAP@5 and MRR over every query of the split (a query with no answer counts 0)."""
    n = len(relevant)
    return {
        "MAP@1": sum(average_precision(runs.get(q, []), r, 1) for q, r in relevant.items()) / n,
        "MAP@5": sum(average_precision(runs.get(q, []), r, 5) for q, r in relevant.items()) / n,
        "MRR": sum(reciprocal_rank(runs.get(q, []), r) for q, r in relevant.items()) / n,
    }
