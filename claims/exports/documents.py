"""SQL that builds the JSON pieces shared by several formats: a mention in the shape of docs/api.md,
and a document (one article as one annotator, or the gold version, labelled it)."""

from __future__ import annotations

from .jsontext import array, boolean, nullable, number, obj, string
from .query import ARTICLES, WORK, ExportQuery, in_part, split_key, split_of


def _span(prefix: str) -> str:
    return nullable(
        f"m.{prefix}_start IS NOT NULL",
        obj(start=number(f"m.{prefix}_start"), end=number(f"m.{prefix}_end"), text=string(f"m.{prefix}_text")),
    )


# The project's speakers and claims as JSON text keyed by id, built once per export (an InitPlan):
# a key lookup per mention is about five times cheaper than an index lookup, and a join inside the
# per-assignment subquery gets planned as a hash join rebuilt for every assignment.
SPEAKER = obj(id=number("s.id"), name=string("s.name"), kind=string("s.kind"))
SPEAKERS = f"""(SELECT jsonb_object_agg(s.id::text, {SPEAKER})
                  FROM claims_speaker s WHERE s.project_id = %(project)s)"""  # noqa: S608
CLAIMS = f"""(SELECT jsonb_object_agg(c.id::text, {obj(id=number("c.id"), text=string("c.text"))})
                FROM claims_claim c WHERE c.project_id = %(project)s)"""  # noqa: S608

MENTION = obj(
    id=number("m.id"),
    start=number("m.start"),
    end=number('m."end"'),
    text=string("m.text"),
    speaker=f"coalesce({SPEAKERS} ->> m.speaker_id::text, 'null')",
    source=_span("source"),
    cue=_span("cue"),
    quote_type=string("m.quote_type"),
    claim=f"coalesce({CLAIMS} ->> m.claim_id::text, 'null')",
    stance=string("m.stance"),
)

# The mentions of assignment `a`, in text order.
MENTIONS_OF_ASSIGNMENT = array(
    MENTION, source="FROM claims_claimmention m WHERE m.assignment_id = a.id", order_by='m.start, m."end", m.id'
)

ARTICLE_STANCES_OF_ASSIGNMENT = array(
    obj(claim=obj(id=number("c.id"), text=string("c.text")), stance=string("st.stance")),
    source="FROM claims_articlestance st JOIN claims_claim c ON c.id = st.claim_id WHERE st.assignment_id = a.id",
    order_by="c.text, st.id",
)

# Assignments of article `ar` in the export: gold first, then by annotator.
ASSIGNMENT_ORDER = "a.is_gold DESC, u.username, a.id"


def documents(query: ExportQuery) -> str:
    """One JSON document per (article, assignment): the article's text and that assignment's mentions.

    Streams in article order: the scan follows the (project, external_id) index and an incremental
    sort orders each article's few assignments, so no full sort holds the first byte back.
    """
    article = obj(id=number("ar.id"), external_id=string("ar.external_id"), title=string("ar.title"),
                  body=string("ar.body"))  # fmt: skip
    document = obj(
        article=article, annotator=string("u.username"), gold=boolean("a.is_gold"), status=string("a.status"),
        split=string(split_of(split_key(query))), mentions=MENTIONS_OF_ASSIGNMENT,
    )  # fmt: skip
    return f"""
    SELECT {document}
      FROM claims_article ar
      JOIN claims_assignment a ON a.article_id = ar.id
      JOIN auth_user u ON u.id = a.annotator_id
     WHERE {ARTICLES} AND {WORK} AND {in_part(split_key(query))}
     ORDER BY ar.external_id, {ASSIGNMENT_ORDER}"""  # noqa: S608 (constant SQL fragments; values are bound parameters)
