"""Finding claims and speakers the way people type them: words, misspellings, missing accents.

PostgreSQL does the work: full-text search (websearch syntax, English stemming), BM25 over an
inverted index kept by triggers (`ClaimTerm`) and trigram similarity (pg_trgm) for claims;
accent-insensitive (unaccent) trigram matching on names and aliases for speakers.
"""

from __future__ import annotations

from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection, transaction
from django.db.models import F, FloatField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Lower

from claims.models import Claim, Project, Speaker, SpeakerAlias


def claims_matching(*, project: Project, words: str) -> QuerySet[Claim]:
    """Claims whose text contains the words (stemmed) or comes close to them, best first, with `score`."""
    vector = SearchVector("text", config="english")
    query = SearchQuery(words, search_type="websearch", config="english")
    return (
        Claim.objects.filter(project=project)
        .current()
        .annotate(document=vector, rank=SearchRank(vector, query), closeness=TrigramWordSimilarity(words, "text"))
        # `@@`, not rank > 0: ts_rank gives a text without the words 1e-20, not 0, so every claim passed.
        .filter(Q(document=query) | Q(closeness__gt=0.3) | Q(text__icontains=words))
        .annotate(score=Greatest(F("rank"), F("closeness")))
        .order_by("-score", "id")
    )


# BM25 turned into 0–1 by score / (score + BM25_HALF): a claim scoring BM25_HALF gets 0.5 whatever
# the request, so scores are comparable between requests (see docs/claim-matching.md).
BM25_HALF = 20.0
# Trigram similarity picks up misspellings and near-identical wording that share no English word; a
# text much longer than every claim reaches its threshold only by chance, so past this length it is not asked.
TRIGRAM_MAX_LENGTH = 120
TRIGRAM_THRESHOLD = 0.3
CANDIDATES = 50
# Claims ranked by their rarer words before the common words are added (see _SIMILAR).
SHORTLIST = 200

# Set for the one statement below only (in a savepoint that is rolled back). The threshold makes `%`
# keep only pairs this similar inside the trigram index. The planner prices `%` as a cheap operator and
# would rather read every claim and compare each (about a second at 10,000 claims); with sequential
# scans off, the only way left to it is the trigram index's bitmap (`near` has no other condition).
_PLANNER = {"pg_trgm.similarity_threshold": str(TRIGRAM_THRESHOLD), "enable_seqscan": "off"}

_SIMILAR = """
WITH query AS (SELECT DISTINCT lexeme FROM unnest(to_tsvector('claims_english', %(text)s))),
     claims AS (SELECT count(*) AS n FROM claims_claim WHERE project_id = %(project)s AND merged_into_id IS NULL),
     -- How many claims hold each word of the text: counted in the index, nothing else read.
     df AS (SELECT t.lexeme, count(*) AS df
              FROM query JOIN claims_claimterm t ON t.project_id = %(project)s AND t.lexeme = query.lexeme
             GROUP BY t.lexeme),
     idf AS (SELECT lexeme, ln(1 + (claims.n - df + 0.5)::float8 / (df + 0.5)) AS idf,
                    df <= greatest(claims.n / 50, 20) AS rare
               FROM df, claims),
     -- The rarer words (each in at most 2%% of the claims; all words when every one is common)
     -- shortlist the claims; the common words' postings, thousands each at 100,000 claims, are
     -- read only for the shortlist, one index probe per claim and word.
     rare AS (SELECT lexeme, idf FROM idf WHERE rare OR NOT EXISTS (SELECT FROM idf WHERE rare)),
     shortlist AS (SELECT t.claim_id, sum(t.weight * rare.idf) AS part
                     FROM rare JOIN claims_claimterm t ON t.project_id = %(project)s AND t.lexeme = rare.lexeme
                    GROUP BY t.claim_id ORDER BY part DESC, t.claim_id LIMIT %(shortlist)s),
     bm25 AS (SELECT s.claim_id,
                     s.part + coalesce((SELECT sum(t.weight * idf.idf) FROM idf
                                          JOIN claims_claimterm t ON t.claim_id = s.claim_id AND t.lexeme = idf.lexeme
                                         WHERE idf.lexeme NOT IN (SELECT lexeme FROM rare)), 0) AS bm25
                FROM shortlist s ORDER BY bm25 DESC, s.claim_id LIMIT %(candidates)s),
     -- Only the trigram condition here, so that the trigram index is the one way to answer it.
     near AS MATERIALIZED (SELECT id, project_id, merged_into_id, text FROM claims_claim
                            WHERE %(trigram)s AND upper(text) %% upper(%(text)s)),
     close AS (SELECT id AS claim_id FROM near WHERE project_id = %(project)s AND merged_into_id IS NULL
                ORDER BY similarity(upper(text), upper(%(text)s)) DESC, id LIMIT %(candidates)s)
SELECT c.id,
       greatest(coalesce(b.bm25 / (b.bm25 + %(half)s), 0), similarity(upper(c.text), upper(%(text)s))) AS score
  FROM (SELECT claim_id FROM bm25 UNION SELECT claim_id FROM close) candidate
  JOIN claims_claim c ON c.id = candidate.claim_id
  LEFT JOIN bm25 b ON b.claim_id = candidate.claim_id
 ORDER BY score DESC, c.id
 LIMIT %(limit)s
"""


def similar_statement(*, project_id: int, text: str, limit: int = 20) -> tuple[str, dict]:
    """The ranking statement and its parameters (also what bench/claim_matching.py times bare)."""
    return _SIMILAR, {
        "text": text,
        "project": project_id,
        "trigram": len(text) <= TRIGRAM_MAX_LENGTH,
        "candidates": CANDIDATES,
        "shortlist": SHORTLIST,
        "half": BM25_HALF,
        "limit": limit,
    }


def claims_similar(*, project: Project, text: str, limit: int = 20) -> list[Claim]:
    """The tracked claims closest to a piece of text (a selection, a draft), best first, each with
    `score` (0–1).

    Candidates come from indexes only, never a pass over every claim: BM25 over each claim's search
    terms (its text, notes and the mentions linked to it: `ClaimTerm`, an inverted index) and, for a
    short text, trigram similarity through the claims' trigram index. The union (at most
    2 × CANDIDATES claims) is ranked by the better of the squashed BM25 and the trigram similarity.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in _PLANNER),
            [part for setting in _PLANNER.items() for part in setting],
        )
        cursor.execute(*similar_statement(project_id=project.pk, text=text, limit=limit))
        scores = dict(cursor.fetchall())
        # Rolled back to the savepoint (nothing was written): the settings above end with it.
        transaction.set_rollback(True)
    claims = Claim.objects.filter(pk__in=scores).select_related("created_by").in_bulk()
    ranked = sorted(claims.values(), key=lambda claim: (-scores[claim.pk], claim.pk))
    for claim in ranked:
        claim.score = scores[claim.pk]
    return ranked


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
