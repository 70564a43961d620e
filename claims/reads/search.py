"""Finding claims and speakers the way people type them: words, misspellings, missing accents.

PostgreSQL does the work: full-text search (websearch syntax, English stemming) and trigram
similarity (pg_trgm) for claims; accent-insensitive (unaccent) trigram matching on names and
aliases for speakers.
"""

from __future__ import annotations

from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramSimilarity,
    TrigramWordSimilarity,
)
from django.db.models import F, FloatField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Lower

from claims.models import Claim, Project, Speaker, SpeakerAlias

# Below this a candidate is noise: "the plan" would otherwise match every claim with "the".
SIMILARITY_FLOOR = 0.15


def claims_matching(*, project: Project, words: str) -> QuerySet[Claim]:
    """Claims whose text contains the words (stemmed) or comes close to them, best first, with `score`."""
    vector = SearchVector("text", config="english")
    query = SearchQuery(words, search_type="websearch", config="english")
    return (
        Claim.objects.filter(project=project)
        .current()
        .annotate(rank=SearchRank(vector, query), closeness=TrigramWordSimilarity(words, "text"))
        .filter(Q(rank__gt=0) | Q(closeness__gt=0.3) | Q(text__icontains=words))
        .annotate(score=Greatest(F("rank"), F("closeness")))
        .order_by("-score", "id")
    )


def claims_similar(*, project: Project, text: str, limit: int = 20) -> QuerySet[Claim]:
    """The tracked claims closest to a piece of text (a selection, a draft), scored 0–1, best first.

    Word similarity finds the claim inside a longer selection; whole-string similarity ranks a
    paraphrase of the same length; the score is their mean.
    """
    return (
        Claim.objects.filter(project=project)
        .current()
        .annotate(score=(TrigramWordSimilarity(text, "text") + TrigramSimilarity("text", text)) / 2)
        .filter(score__gt=SIMILARITY_FLOOR)
        .order_by("-score", "id")[:limit]
    )


def speakers_matching(*, project: Project, name: str) -> QuerySet[Speaker]:
    """Speakers whose name or any alias matches what was typed, accents and case ignored, best first.

    A name containing the typed text matches; so does one close to it (a misspelling), by trigram
    similarity of the unaccented, lower-cased forms.
    """
    typed = Unaccent(Lower(Value(name)))
    best_alias = (
        SpeakerAlias.objects.filter(speaker=OuterRef("pk"))
        .annotate(similarity=TrigramWordSimilarity(typed, Unaccent(Lower("name"))))
        .order_by("-similarity")
        .values("similarity")[:1]
    )
    # Per speaker, through the alias table's speaker index (LIMIT 1 keeps PostgreSQL from turning it into a
    # join): as `pk IN (aliases containing it)` it hashed every alias of every project on each keystroke.
    alias_containing = SpeakerAlias.objects.filter(speaker=OuterRef("pk"), name__unaccent__icontains=name)
    return (
        Speaker.objects.filter(project=project)
        .current()
        .annotate(
            score=Greatest(
                TrigramWordSimilarity(typed, Unaccent(Lower("name"))),
                Coalesce(Subquery(best_alias, output_field=FloatField()), Value(0.0)),
            ),
            alias_containing=Subquery(alias_containing.values("pk")[:1]),
        )
        .filter(Q(name__unaccent__icontains=name) | Q(alias_containing__isnull=False) | Q(score__gt=0.45))
        .order_by("-score", "name")
    )
