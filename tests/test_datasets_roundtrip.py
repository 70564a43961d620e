"""Round trips through each published format: a small file written here in the format's own layout
(CRLF line ends, non-ASCII text, U+2028, duplicate rows, a Latin-1 SemEval file) goes in, comes out
through the export, and goes in again; what comes out equals what went in, as each format's reader
sees it. The formats' own reference tools were run by hand on these exports (docs/datasets.md)."""

import csv
import io
import zipfile

from claims.services.exports import export_query, export_stream
from claims.services.imports import import_run
from tests.builders import make_project

CRLF = "\r\n"


def table(rows, *, delimiter=",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=CRLF, quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return buffer.getvalue().encode()


def read(data: bytes, *, delimiter=",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8")), delimiter=delimiter))


def exported(project, format: str) -> bytes:
    return b"".join(export_stream(query=export_query(project=project, format=format, scope="gold")))


def imported(project, data: bytes, filename: str, format: str, **options) -> dict:
    return import_run(project=project, file=io.BytesIO(data), filename=filename, format=format, preannotate=False,
                      gold=True, **options)  # fmt: skip


# --- FNC-1 ----------------------------------------------------------------------------------------
FNC1_BODIES = [
    ["Body ID", "articleBody"],
    ["2008", "Ferguson: a woman lost an eye,\nofficials said on Tuesday."],
    ["5", "São Paulo’s mayor said\u2028“nothing changed”, according to Zürich reports."],
    ["1550", "A video showed nothing new."],
]
FNC1_STANCES = [
    ["Headline", "Body ID", "Stance"],
    ["Woman loses eye after police fire bean bag round", "2008", "agree"],
    ["Mayor says\u2028nothing changed", "5", "discuss"],
    ["Woman loses eye after police fire bean bag round", "1550", "unrelated"],
    ["Mayor says\u2028nothing changed", "5", "discuss"],  # an exact duplicate of line 3
    ["Gitmo detainee  killed James Foley", "1550", "disagree"],  # two spaces: kept
    ["Woman loses eye after police fire bean bag round", "5", "unrelated"],
]


def fnc1_zip(data: bytes) -> tuple[list[list[str]], list[list[str]]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return read(archive.read("bodies.csv")), read(archive.read("stances.csv"))


def test_fnc1_in_out_in(db):
    first = make_project(name="FNC-1 in")
    report = import_run(project=first, file=io.BytesIO(table(FNC1_BODIES)), filename="train_bodies.csv",
                        second=io.BytesIO(table(FNC1_STANCES)), second_name="train_stances.csv", format="fnc1",
                        preannotate=False, gold=True)  # fmt: skip
    assert report["notes"]["duplicate_rows"]["examples"] == [
        {"line": 5, "same_as_line": 3, "claim": "Mayor says\u2028nothing changed", "external_id": "5"}
    ]
    out = exported(first, "fnc1")
    bodies, stances = fnc1_zip(out)
    # Same bodies and their ids; same rows in the same order, the exact duplicate once.
    assert bodies == FNC1_BODIES
    assert stances == FNC1_STANCES[:4] + FNC1_STANCES[5:]

    second = make_project(name="FNC-1 again")
    again = imported(second, out, "fnc1.zip", "fnc1")
    assert again["rejected"] == 0 and again["notes"]["duplicate_rows"]["count"] == 0
    assert exported(second, "fnc1") == out


# --- SemEval-2016 ---------------------------------------------------------------------------------
SEMEVAL = [
    ["ID", "Target", "Tweet", "Stance"],
    ["10001", "Atheism", "Dieu est grand, déclare-t-il. #faith", "AGAINST"],
    ["10002", "Climate Change is a Real Concern", "Señor, the ice is melting ½ as fast", "FAVOR"],
    ["10003", "Atheism", "No opinion here at all", "NONE"],
    ["10001", "Atheism", "Dieu est grand, déclare-t-il. #faith", "AGAINST"],  # a duplicate row
    ["10004", "Feminist Movement", "Equal pay, «now»", "FAVOR"],
]


def semeval_bytes(rows, encoding: str) -> bytes:
    return "".join("\t".join(row) + CRLF for row in rows).encode(encoding)


def test_semeval_latin1_in_out_in(db):
    first = make_project(name="SemEval in")
    report = imported(first, semeval_bytes(SEMEVAL, "latin-1"), "semeval2016-task6-trainingdata.txt", "semeval2016")
    assert report["notes"]["encoding"] == "windows-1252"
    assert report["notes"]["duplicate_rows"]["count"] == 1
    out = exported(first, "semeval2016")
    assert read(out, delimiter="\t") == SEMEVAL[:4] + SEMEVAL[5:]

    second = make_project(name="SemEval again")
    again = imported(second, out, "semeval.txt", "semeval2016")
    assert again["notes"]["encoding"] == "utf-8" and again["rejected"] == 0
    assert exported(second, "semeval2016") == out


# --- Emergent -------------------------------------------------------------------------------------
EMERGENT = [
    ["", "claimHeadline", "articleHeadline", "articleHeadlineStance", "articleId", "claimId"],
    ["0", "ISIS leader al-Baghdadi was wounded", "ISIS leader injured,\r\nofficials say", "for", "8f34efb0",
     "a48c4360"],
    ["1", "ISIS leader al-Baghdadi was wounded", "No proof al-Baghdadi was hurt\u2028at all", "against",
     "a9fdb550", "a48c4360"],
    ["2", "Café owner banned selfies", "Café owner: “no selfies”", "observing", "b1c2d3e4", "c0ffee00"],
]  # fmt: skip
PUBLISHED_COLUMNS = EMERGENT[0][1:]


def by_name(rows: list[list[str]]) -> list[dict]:
    header = rows[0]
    return [{name: row[header.index(name)] for name in PUBLISHED_COLUMNS} for row in rows[1:]]


def test_emergent_in_out_in(db):
    first = make_project(name="Emergent in")
    imported(first, table(EMERGENT), "url-versions-2015-06-14-clean.csv", "emergent")
    out = exported(first, "emergent")
    rows = read(out)
    assert rows[0][: len(EMERGENT[0])] == EMERGENT[0]
    # The same rows in the same order; a headline's CRLF comes back as LF, as every article text
    # is stored (docs/offsets.md).
    expected = by_name(EMERGENT)
    expected[0]["articleHeadline"] = "ISIS leader injured,\nofficials say"
    assert by_name(rows) == expected
    assert [row[0] for row in rows[1:]] == ["0", "1", "2"]

    second = make_project(name="Emergent again")
    imported(second, out, "emergent.csv", "emergent")
    assert exported(second, "emergent") == out
