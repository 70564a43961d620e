"""SemEval-2016 Task 6 (stance detection in tweets): a tab-separated file with the header line
`ID<TAB>Target<TAB>Tweet<TAB>Stance` (and, in some releases, more columns such as `Opinion Towards`
and `Sentiment`, kept in the article's metadata), as the task's eval.pl reads it.

The published files come in more than one encoding (the training data is Windows-1252), so the
encoding is guessed (claims.imports.tables.detect_encoding) and the guess named in the report. Each
row is an article (external_id the ID, body the tweet, exactly) whose stance toward the tracked
claim named by the target is the row's label (FAVOR / AGAINST / NONE through the project's
mappings); a row labelled UNKNOWN (the unlabelled test data) brings its tweet without a stance.
"""

from __future__ import annotations

from collections.abc import Iterator

from claims.services.errors import RuleViolation

from . import Record, StanceRecord
from .sources import Source
from .tables import check_header, detect_encoding, read_table

FORMAT = "semeval2016"
MAPPING = "semeval"
LABELS = ("FAVOR", "AGAINST", "NONE")
NO_LABEL = ("UNKNOWN",)
COLUMNS = ("ID", "Target", "Tweet", "Stance")

SEMEVAL_ONE_FILE = "A SemEval-2016 import takes one tab-separated file (ID, Target, Tweet, Stance); found: {names}."


class Dataset:
    format = FORMAT
    mapping = MAPPING
    labels = LABELS
    no_label = NO_LABEL
    articles_file = None

    def __init__(self, sources: list[Source]):
        if len(sources) != 1:
            names = ", ".join(source.name for source in sources) or "nothing"
            raise RuleViolation({"file": [SEMEVAL_ONE_FILE.format(names=names)]})
        self.stances_file = sources[0]
        with self.stances_file.open() as file:
            self.encoding_guess = detect_encoding(file)
            check_header(file, name=self.stances_file.name, required=COLUMNS, delimiter="\t",
                         encoding=self.encoding_guess)  # fmt: skip

    def _rows(self):
        source = self.stances_file
        with source.open() as file:
            yield from read_table(file, name=source.name, required=COLUMNS, delimiter="\t",
                                  encoding=self.encoding_guess)  # fmt: skip

    def articles(self) -> Iterator[Record]:
        for row in self._rows():
            if row.errors:
                yield Record(row.line, errors=row.errors, position=row.position)
                continue
            cells = dict(row.cells)
            article = {"external_id": cells.pop("ID"), "title": "", "body": cells.pop("Tweet")}
            extra = {name: value for name, value in cells.items() if name not in COLUMNS}
            if extra:
                article["metadata"] = extra
            yield Record(row.line, article=article, position=row.position)

    def stances(self) -> Iterator[StanceRecord]:
        for row in self._rows():
            if row.errors:
                yield StanceRecord(row.line, errors=row.errors, position=row.position)
                continue
            cells = row.cells
            yield StanceRecord(row.line, claim=cells["Target"], external_id=cells["ID"], label=cells["Stance"],
                               position=row.position)  # fmt: skip
