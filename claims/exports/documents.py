"""SQL that builds the JSON pieces shared by several formats: a mention in the shape of DESIGN.md,
and a document (one article as one annotator, or the gold version, labelled it)."""

from __future__ import annotations

from .query import ARTICLES, WORK, ExportQuery, in_part, split_key, split_of

SPAN = "CASE WHEN m.{0}_start IS NULL THEN NULL ELSE json_build_object('start', m.{0}_start, 'end', m.{0}_end, 'text', m.{0}_text) END"  # noqa: E501

MENTION = f"""json_build_object(
    'id', m.id, 'start', m.start, 'end', m."end", 'text', m.text,
    'speaker', CASE WHEN s.id IS NULL THEN NULL ELSE json_build_object('id', s.id, 'name', s.name, 'kind', s.kind) END,
    'source', {SPAN.format("source")}, 'cue', {SPAN.format("cue")}, 'quote_type', m.quote_type,
    'claim', CASE WHEN c.id IS NULL THEN NULL ELSE json_build_object('id', c.id, 'text', c.text) END,
    'stance', m.stance)"""

# The mentions of assignment `a`, in text order. array_to_json(array_agg()), not json_agg(): the
# latter puts line breaks between elements, and a JSON Lines record must stay on one line.
MENTIONS_OF_ASSIGNMENT = f"""coalesce((
    SELECT array_to_json(array_agg({MENTION} ORDER BY m.start, m."end", m.id))
      FROM claims_claimmention m
      LEFT JOIN claims_speaker s ON s.id = m.speaker_id
      LEFT JOIN claims_claim c ON c.id = m.claim_id
     WHERE m.assignment_id = a.id), '[]'::json)"""  # noqa: S608 (constant SQL fragments; values are bound parameters)

ARTICLE_STANCES_OF_ASSIGNMENT = """coalesce((
    SELECT array_to_json(array_agg(
               json_build_object('claim', json_build_object('id', c.id, 'text', c.text), 'stance', st.stance)
               ORDER BY c.text, st.id))
      FROM claims_articlestance st JOIN claims_claim c ON c.id = st.claim_id
     WHERE st.assignment_id = a.id), '[]'::json)"""

# Assignments of article `ar` in the export: gold first, then by annotator.
ASSIGNMENT_ORDER = "a.is_gold DESC, u.username, a.id"


def documents(query: ExportQuery) -> str:
    """One JSON document per (article, assignment): the article's text and that assignment's mentions.

    Streams in article order: the scan follows the (project, external_id) index and an incremental
    sort orders each article's few assignments, so no full sort holds the first byte back.
    """
    return f"""
    SELECT json_build_object(
        'article', json_build_object('id', ar.id, 'external_id', ar.external_id, 'title', ar.title, 'body', ar.body),
        'annotator', u.username, 'gold', a.is_gold, 'status', a.status, 'split', {split_of(split_key(query))},
        'mentions', {MENTIONS_OF_ASSIGNMENT})
      FROM claims_article ar
      JOIN claims_assignment a ON a.article_id = ar.id
      JOIN auth_user u ON u.id = a.annotator_id
     WHERE {ARTICLES} AND {WORK} AND {in_part(split_key(query))}
     ORDER BY ar.external_id, {ASSIGNMENT_ORDER}"""  # noqa: S608 (constant SQL fragments; values are bound parameters)
