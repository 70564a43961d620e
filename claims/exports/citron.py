"""Citron (BBC R&D's quote extraction and attribution system): its JSON annotation format, one
file per document, `{"text", "quotes": [{"cue", "sources", "contents"}]}`, every span
`{"start", "end", "text"}` in character offsets (code points, as ours).

The files are zipped as `gold/<external_id>.json` and `annotators/<username>/<external_id>.json`
(Citron's tools read every .json file under a folder). Where our data and Citron's differ:
- a Citron quote always has a cue; a mention without one cannot be a Citron quote and is listed
  under the document's `mentions_without_cue` instead (Citron's reader ignores the key);
- a mention has one content span (Citron allows several) and at most one source span;
- Citron's `coreferences` (source spans resolved to a named mention) are not given: our speaker is
  a catalogue entry, not a span; it is added to each quote as `speaker` ({id, name, kind});
- each quote also carries `id` (Citron's optional quote identifier, here the mention's id),
  `quote_type`, `claim` and `stance`, and the document `article`, `annotator`, `gold`, `status`
  (and `split`): extra keys Citron's reader passes over.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from .documents import documents
from .naming import document_folder, safe_name
from .query import ExportQuery
from .streaming import JSON_LINES, ExportStats, copy_rows
from .zipstream import ZipStream

CONTENT_TYPE = "application/zip"
EXTENSION = "zip"
PER_ARTICLE = True


def _quote(mention: dict) -> dict:
    return {
        "cue": mention["cue"],
        "sources": [mention["source"]] if mention["source"] else [],
        "contents": [{"start": mention["start"], "end": mention["end"], "text": mention["text"]}],
        "id": mention["id"],
        "speaker": mention["speaker"],
        "quote_type": mention["quote_type"],
        "claim": mention["claim"],
        "stance": mention["stance"],
    }


def citron_document(document: dict, *, with_split: bool) -> dict:
    mentions = document["mentions"]
    result = {
        "text": document["article"]["body"],
        "quotes": [_quote(mention) for mention in mentions if mention["cue"]],
        "article": {key: document["article"][key] for key in ("id", "external_id", "title")},
        "annotator": document["annotator"],
        "gold": document["gold"],
        "status": document["status"],
        "mentions_without_cue": [_quote(mention) for mention in mentions if not mention["cue"]],
    }
    if with_split:
        result["split"] = document["split"]
    return result


def stream(*, cursor, query: ExportQuery, stats: ExportStats) -> Iterator[bytes]:
    archive = ZipStream()
    for row in copy_rows(cursor, documents(query), query.params(), JSON_LINES):
        document = json.loads(row)
        name = f"{document_folder(document)}/{safe_name(document['article']['external_id'])}.json"
        data = json.dumps(citron_document(document, with_split=bool(query.split)), ensure_ascii=False)
        stats.records += 1
        yield from archive.file(name, data.encode())
    yield from archive.close()
