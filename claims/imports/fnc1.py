"""FNC-1 (Fake News Challenge stage 1): `…bodies.csv` (`Body ID,articleBody`) and `…stances.csv`
(`Headline,Body ID,Stance`), UTF-8 CSV, as two files or a zip holding both.

A body becomes an article whose external_id is its Body ID (no title: FNC-1 has none); a stance
row is the article's stance toward the tracked claim whose text is the headline, exactly as
written. Which file is which is told by its header, so they can come in either order.
"""

from __future__ import annotations

from collections.abc import Iterator

from claims.services.errors import RuleViolation

from . import Record, StanceRecord
from .sources import Source
from .tables import check_header, read_table

FORMAT = "fnc1"
MAPPING = "fnc1"
LABELS = ("agree", "disagree", "discuss", "unrelated")
BODIES = ("Body ID", "articleBody")
STANCES = ("Headline", "Body ID", "Stance")

FNC1_FILES = (
    "An FNC-1 import takes two files, the bodies (Body ID, articleBody) and the stances (Headline, Body ID, "
    "Stance), or a zip holding both (…bodies.csv and …stances.csv); found: {names}."
)


def _header(source: Source) -> list[str]:
    with source.open() as file:
        line = file.readline(64 * 1024).decode("utf-8-sig", errors="replace")
    return [cell.strip().strip('"') for cell in line.strip().split(",")]


class Dataset:
    format = FORMAT
    mapping = MAPPING
    labels = LABELS
    no_label = ()
    encoding = "utf-8"

    def __init__(self, sources: list[Source]):
        names = ", ".join(source.name for source in sources) or "nothing"
        if len(sources) > 2:  # a zip holding more than the two files: theirs are named like FNC-1's
            sources = [s for s in sources if s.name.lower().endswith(("bodies.csv", "stances.csv"))]
        bodies = [source for source in sources if "articleBody" in _header(source)]
        stances = [source for source in sources if "Stance" in _header(source)]
        if len(sources) != 2 or len(bodies) != 1 or len(stances) != 1 or bodies[0] is stances[0]:
            raise RuleViolation({"file": [FNC1_FILES.format(names=names)]})
        self.articles_file, self.stances_file = bodies[0], stances[0]
        for source, required in ((self.articles_file, BODIES), (self.stances_file, STANCES)):
            with source.open() as file:
                check_header(file, name=source.name, required=required)

    def articles(self) -> Iterator[Record]:
        name = self.articles_file.name
        with self.articles_file.open() as file:
            for row in read_table(file, name=name, required=BODIES):
                if row.errors:
                    yield Record(row.line, errors=row.errors, name=name, position=row.position)
                    continue
                cells = row.cells
                article = {"external_id": cells.pop("Body ID"), "title": "", "body": cells.pop("articleBody")}
                if cells:  # columns FNC-1 does not have: kept, not lost
                    article["metadata"] = cells
                yield Record(row.line, article=article, name=name, position=row.position)

    def stances(self) -> Iterator[StanceRecord]:
        name = self.stances_file.name
        with self.stances_file.open() as file:
            for row in read_table(file, name=name, required=STANCES):
                if row.errors:
                    yield StanceRecord(row.line, errors=row.errors, position=row.position)
                    continue
                cells = row.cells
                yield StanceRecord(row.line, claim=cells["Headline"], external_id=cells["Body ID"],
                                   label=cells["Stance"], position=row.position)  # fmt: skip
