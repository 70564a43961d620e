"""Emergent (Ferreira & Vlachos, 2016): the published CSV `url-versions-2015-06-14-clean.csv` (a first
column without a name, the row index, then `claimHeadline, articleHeadline, articleHeadlineStance,
articleId, claimId`), and versions with more columns (`articleBody`, `articleUrl`, `source`, …).

Each row is an article (external_id the articleId, title the articleHeadline, body the articleBody
where the file has one, else the headline: an article needs a text) whose stance toward the tracked
claim named by claimHeadline is articleHeadlineStance (for / against / observing, through the
project's mappings). The claimId is kept in the article's metadata (`emergent_claim_ids`, claim
text → id) so the export writes it back; other columns are kept in the metadata under their names.
"""

from __future__ import annotations

from collections.abc import Iterator

from claims.services.errors import RuleViolation

from . import Record, StanceRecord
from .sources import Source
from .tables import check_header, read_table

FORMAT = "emergent"
MAPPING = "emergent"
LABELS = ("for", "against", "observing")
COLUMNS = ("claimHeadline", "articleHeadline", "articleHeadlineStance", "articleId", "claimId")
CLAIM_IDS_KEY = "emergent_claim_ids"
# Columns that are ours to write: the row index and the split of our own exports.
_NOT_KEPT = ("", "split")

EMERGENT_ONE_FILE = "An Emergent import takes one CSV file ({columns}); found: {names}."


class Dataset:
    format = FORMAT
    mapping = MAPPING
    labels = LABELS
    no_label = ()
    articles_file = None

    def __init__(self, sources: list[Source]):
        if len(sources) != 1:
            names = ", ".join(source.name for source in sources) or "nothing"
            raise RuleViolation({"file": [EMERGENT_ONE_FILE.format(columns=", ".join(COLUMNS), names=names)]})
        self.stances_file = sources[0]
        with self.stances_file.open() as file:
            check_header(file, name=self.stances_file.name, required=COLUMNS)

    def _rows(self):
        with self.stances_file.open() as file:
            yield from read_table(file, name=self.stances_file.name, required=COLUMNS)

    def articles(self) -> Iterator[Record]:
        for row in self._rows():
            if row.errors:
                yield Record(row.line, errors=row.errors, position=row.position)
                continue
            cells = dict(row.cells)
            headline = cells.pop("articleHeadline")
            article = {
                "external_id": cells.pop("articleId"),
                "title": headline,
                "body": cells.pop("articleBody", "") or headline,
                "url": cells.pop("articleUrl", ""),
                "source": cells.pop("source", ""),
            }
            metadata = {CLAIM_IDS_KEY: {cells["claimHeadline"]: cells["claimId"]}}
            metadata |= {name: value for name, value in cells.items() if name not in (*COLUMNS, *_NOT_KEPT)}
            article["metadata"] = metadata
            yield Record(row.line, article=article, position=row.position)

    def stances(self) -> Iterator[StanceRecord]:
        for row in self._rows():
            if row.errors:
                yield StanceRecord(row.line, errors=row.errors, position=row.position)
                continue
            cells = row.cells
            yield StanceRecord(row.line, claim=cells["claimHeadline"], external_id=cells["articleId"],
                               label=cells["articleHeadlineStance"], position=row.position)  # fmt: skip
