"""What an export selects, as SQL conditions with named parameters (shared by every format).

- scope `gold`: the gold assignment of each article, once it is submitted;
  `submitted`: every submitted assignment, gold and annotators'; `all`: every assignment in any
  state (assigned, in progress, submitted, skipped) and, for article formats, every article.
- `annotators`: only assignments of these users (the gold one's annotator is its reviewer).
- `since`: only articles whose fields or labels changed at or after that time (see CHANGED_SINCE).
- `split`: a deterministic train/dev/test part from a stable hash (SHA-256) of the article's
  external_id or of the claim's text, so an article (or claim) keeps its part across exports.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

SCOPES = ("gold", "submitted", "all")
PARTS = ("train", "dev", "test")


@dataclass(frozen=True)
class ExportQuery:
    """Validated export options, ready to become SQL parameters."""

    project_id: int
    format: str
    scope: str = "gold"
    annotator_ids: tuple[int, ...] = ()
    since: datetime | None = None
    split: tuple[int, int, int] | None = None  # percentages of train, dev, test
    split_by: str = "article"
    part: str | None = None
    stance_values: tuple[str, ...] = field(default=())  # the project's mention stance labels (brat's config)
    changed_article_ids: tuple[int, ...] | None = None  # with `since`: set by with_changed_articles()

    def params(self) -> dict:
        if self.since is not None and self.changed_article_ids is None:
            raise ValueError("an export since a date needs with_changed_articles() in its snapshot first")
        train, dev, _ = self.split or (100, 0, 0)
        return {
            "project": self.project_id,
            "scope": self.scope,
            "annotators": list(self.annotator_ids) or None,
            "since": self.since,
            "changed": list(self.changed_article_ids) if self.since is not None else None,
            "train": train,
            "dev": dev,
            "part": self.part,
        }


# Assignments in the export. Constant parameters fold away when PostgreSQL plans the statement.
WORK = """
    (%(scope)s = 'all' OR (a.status = 'submitted' AND (%(scope)s = 'submitted' OR a.is_gold)))
    AND (%(annotators)s::bigint[] IS NULL OR a.annotator_id = ANY(%(annotators)s::bigint[]))
"""

# Articles whose exported lines may differ from an export made at `since`: the article's fields
# changed, or an assignment, mention or article stance of it was added, changed or deleted (the
# history tables record deletions too), or a speaker or claim it refers to was renamed. What this
# cannot see: deleted articles, renamed users, and changes to the label set's mappings. History
# rows are dated by the start of the transaction that wrote them, so a deletion whose transaction
# began before `since` and committed after it is missed: let incremental exports overlap a little.
CHANGED_SINCE = """
    SELECT x.id FROM claims_article x WHERE x.project_id = %(project)s AND x.updated_at >= %(since)s
    UNION SELECT a.article_id FROM claims_assignment a WHERE a.updated_at >= %(since)s
    UNION SELECT a.article_id FROM claims_claimmention m JOIN claims_assignment a ON a.id = m.assignment_id
           WHERE m.updated_at >= %(since)s
    UNION SELECT a.article_id FROM claims_articlestance s JOIN claims_assignment a ON a.id = s.assignment_id
           WHERE s.updated_at >= %(since)s
    UNION SELECT e.article_id FROM claims_assignmentevent e WHERE e.pgh_created_at >= %(since)s
    UNION SELECT a.article_id FROM claims_claimmentionevent e JOIN claims_assignment a ON a.id = e.assignment_id
           WHERE e.pgh_created_at >= %(since)s
    UNION SELECT a.article_id FROM claims_articlestanceevent e JOIN claims_assignment a ON a.id = e.assignment_id
           WHERE e.pgh_created_at >= %(since)s
    UNION SELECT a.article_id FROM claims_claimmention m JOIN claims_assignment a ON a.id = m.assignment_id
           WHERE m.claim_id IN (SELECT e.pgh_obj_id FROM claims_claimevent e WHERE e.pgh_created_at >= %(since)s)
              OR m.speaker_id IN (SELECT e.pgh_obj_id FROM claims_speakerevent e
                                   WHERE e.pgh_created_at >= %(since)s)
    UNION SELECT a.article_id FROM claims_articlestance s JOIN claims_assignment a ON a.id = s.assignment_id
           WHERE s.claim_id IN (SELECT e.pgh_obj_id FROM claims_claimevent e WHERE e.pgh_created_at >= %(since)s)
"""

CHANGED_ARTICLE_IDS = f"""
    SELECT coalesce(array_agg(ar.id ORDER BY ar.id), '{{}}') FROM claims_article ar
     WHERE ar.project_id = %(project)s AND ar.id IN ({CHANGED_SINCE})
"""  # noqa: S608 (constant SQL fragments; values are bound parameters)

# The articles in the export. `since` is checked against the ids CHANGED_ARTICLE_IDS found, a constant
# array PostgreSQL hashes: `ar.id IN (CHANGED_SINCE)` under this OR was planned as a scan of the whole
# subquery result for each article, quadratic (231 s for a project of 100,000 articles).
ARTICLES = """
    ar.project_id = %(project)s
    AND (%(since)s::timestamptz IS NULL OR ar.id = ANY(%(changed)s::bigint[]))
"""


def with_changed_articles(cursor, query: ExportQuery) -> ExportQuery:
    """The query with the articles changed since `query.since` looked up, once, by `cursor` (in the
    export's snapshot, so the lookup and the export see the same data)."""
    if query.since is None or query.changed_article_ids is not None:
        return query
    cursor.execute(CHANGED_ARTICLE_IDS, {"project": query.project_id, "since": query.since})
    return replace(query, changed_article_ids=tuple(cursor.fetchone()[0]))


def split_of(key: str) -> str:
    """The part ('train', 'dev' or 'test') of the row whose split key is the SQL expression `key`."""
    bucket = f"(('x' || left(encode(sha256(convert_to({key}, 'UTF8')), 'hex'), 8))::bit(32)::bigint %% 100)"
    return (
        f"(CASE WHEN {bucket} < %(train)s THEN 'train' WHEN {bucket} < %(train)s + %(dev)s THEN 'dev' ELSE 'test' END)"
    )


def in_part(key: str) -> str:
    return f"(%(part)s::text IS NULL OR {split_of(key)} = %(part)s::text)"


ARTICLE_KEY = "ar.external_id"
CLAIM_KEY = "coalesce(c.text, '')"


def split_key(query: ExportQuery) -> str:
    return CLAIM_KEY if query.split_by == "claim" else ARTICLE_KEY
