"""Round trips through each published format: a small file written here in the format's own layout
(CRLF line ends, non-ASCII text, U+2028, duplicate rows, a Latin-1 SemEval file) goes in, comes out
through the export, and goes in again; what comes out equals what went in, as each format's reader
sees it. The formats' own reference tools were run by hand on these exports (docs/datasets.md)."""

import csv
import io
import json
import zipfile

import pytest

from claims.imports import citron as citron_import
from claims.services.document_import import DOCUMENT_ANNOTATED
from claims.services.exports import export_query, export_stream
from claims.services.imports import import_run
from tests.api import fingerprint
from tests.builders import make_project
from tests.builders import zip_bytes as zip_of

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


# --- brat and citron: from a labelled project, and from files written by hand ---------------------
NEWS = (
    "Officials met on Tuesday 🚀. “We will not back down,” the minister said\u2028in Ankara.\n"
    "Critics, according to José Martínez, called the plan reckless."
)


def labelled_project(name: str):
    from claims.services.assignments import assignment_create, assignment_submit
    from tests.builders import make_article, make_claim, make_mention, make_speaker, make_user, span

    project = make_project(name=name)
    article = make_article(project, external_id="news-1", body=NEWS)
    gold = assignment_create(article=article, annotator=make_user(f"rev-{name.split()[0].lower()}"), is_gold=True)
    minister, jose = make_speaker(project, "The Minister"), make_speaker(project, "José Martínez")
    reckless = make_claim(project, "The plan is reckless")
    make_mention(gold, "We will not back down", speaker=minister, source=span(NEWS, "the minister"),
                 cue=span(NEWS, "said\u2028in"), quote_type="direct", claim=reckless, stance="refute")  # fmt: skip
    make_mention(gold, "the minister said\u2028in Ankara.\nCritics", quote_type="indirect")
    make_mention(gold, "called the plan reckless", speaker=jose, source=span(NEWS, "José Martínez"),
                 cue=span(NEWS, "according to"), quote_type="indirect", claim=reckless, stance="support")  # fmt: skip
    assignment_submit(assignment=gold)
    return project


def archive_files(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("fmt", ["brat", "citron"])
def test_span_formats_out_in_out(db, fmt):
    first = labelled_project("Spans in")
    out = exported(first, fmt)
    second = make_project(name="Spans again")
    report = imported(second, out, f"{fmt}.zip", fmt)
    assert report["rejected"] == 0, report["rejected_lines"]
    again = exported(second, fmt)
    before, after = archive_files(out), archive_files(again)
    assert before.keys() == after.keys()
    for name in before:
        if fmt == "citron":  # the same quotes, spans and labels; ids are the database's
            strip = lambda d: {**d, "article": {**d["article"], "id": 0},  # noqa: E731
                               "quotes": [{**q, "id": 0, "speaker": {**q["speaker"], "id": 0} if q["speaker"] else None,
                                           "claim": {**q["claim"], "id": 0} if q["claim"] else None}
                                          for q in d["quotes"]],
                               "mentions_without_cue": [{**q, "id": 0} for q in d["mentions_without_cue"]]}  # fmt: skip
            assert strip(json.loads(after[name])) == strip(json.loads(before[name])), name
        else:  # brat: the same T / R / A / # lines, numbered the same way
            assert after[name] == before[name], name


BRAT_TXT = "Le ministre a déclaré : « Nous ne céderons pas »,\r\nselon Ankara.\u2028Fin 🚀 du texte.\r\n"
BRAT_ANN_LINES = [
    "T1\tQuote 24 48\t« Nous ne céderons pas »",
    "T2\tSpeaker 0 11\tLe ministre",
    "T3\tCue 14 21\tdéclaré",
    "E1\tCue:T3 Source:T2 Content:T1",
    "A1\tStance T1 refute",  # no claim named: the stance is left out, and said so
    "T4\tContent 51 64;65 68\tselon Ankara. Fin",  # across U+2028, as brat writes it
    "T5\tLocation 57 63\tAnkara",  # not mapped: skipped
    "T6\tContent 0 5\tWrong",  # the text does not match: rejected
    "R1\tSourceOf Arg1:T2 Arg2:T6",  # refers to a rejected span: rejected
    "A2\tNegated T1",  # not mapped: skipped
    "T7\tContent 43 49;51 56\tpas », selon",  # across the CRLF
]


def test_brat_written_by_hand_in_out_in(db):
    txt = BRAT_TXT
    # Offsets as brat counts them: into the .txt as read, CRLF two characters.
    assert txt[24:48] == "« Nous ne céderons pas »" and txt[51:64] + " " + txt[65:68] == "selon Ankara. Fin"
    ann = "\n".join(BRAT_ANN_LINES) + "\n"
    data = zip_of({"corpus/doc-1.txt": txt.encode(), "corpus/doc-1.ann": ann.encode(),
                   "annotation.conf": b"[entities]\nQuote\n"})  # fmt: skip
    first = make_project(name="brat in")
    report = imported(first, data, "corpus.zip", "brat")
    assert [(e["line"], e["file"]) for e in report["rejected_lines"]] == [(8, "corpus/doc-1.ann"),
                                                                         (9, "corpus/doc-1.ann")]  # fmt: skip
    assert [(e["line"], e["reason"][:14]) for e in report["skipped_lines"]] == [
        (5, "A stance is he"), (7, "'Location' is "), (10, "The attribute ")
    ]  # fmt: skip
    from claims.models import Article, ClaimMention

    article = Article.objects.get(project=first, external_id="doc-1")
    assert (article.title, article.body) == ("", txt.replace("\r\n", "\n"))  # the whole text, never a title
    mentions = ClaimMention.objects.filter(assignment__article=article).order_by("start")
    assert [(m.start, m.end, m.text, m.quote_type, m.stance) for m in mentions] == [
        (24, 48, "« Nous ne céderons pas »", "direct", None),
        (43, 55, "pas »,\nselon", "indirect", None),  # after the CRLF, offsets count one character less
        (50, 67, "selon Ankara.\u2028Fin", "indirect", None),
    ]
    first_mention = mentions[0]
    assert (first_mention.speaker.name, first_mention.source_text, first_mention.cue_text) == (
        "Le ministre",
        "Le ministre",
        "déclaré",
    )
    before = fingerprint()
    again = imported(first, data, "corpus.zip", "brat")  # the same files again change nothing
    assert fingerprint() == before and again["accepted"] == 0
    assert again["skipped_lines"][-1]["reason"] == DOCUMENT_ANNOTATED
    out = exported(first, "brat")
    second = make_project(name="brat again")
    imported(second, out, "brat.zip", "brat")
    assert archive_files(exported(second, "brat")) == archive_files(out)


def test_citron_document_as_documented(db):
    text = 'Once, "When I use a word," Humpty Dumpty said, "it means just what I choose it to mean."'
    quote = {"cue": {"start": 41, "end": 45, "text": "said"},
             "sources": [{"start": 27, "end": 40, "text": "Humpty Dumpty"}],
             "contents": [{"start": 6, "end": 26, "text": '"When I use a word,"'},
                          {"start": 47, "end": 88, "text": '"it means just what I choose it to mean."'}]}  # fmt: skip
    for span_ in (quote["cue"], *quote["sources"], *quote["contents"]):
        assert text[span_["start"] : span_["end"]] == span_["text"]
    project = make_project(name="citron in")
    document = json.dumps({"text": text, "quotes": [quote, {"contents": "not a list"}]}).encode()
    report = imported(project, document, "humpty.json", "citron")
    invalid = {"non_field_errors": [citron_import.CITRON_QUOTE_INVALID]}
    assert report["rejected_lines"] == [{"line": 2, "file": "humpty.json", "errors": invalid}]
    out = json.loads(archive_files(exported(project, "citron"))["gold/humpty.json"])
    # One quote per content span (a mention has one), each with the cue, the source and the speaker.
    assert [(q["contents"][0]["text"], q["cue"]["text"], q["speaker"]["name"]) for q in out["quotes"]] == [
        ('"When I use a word,"', "said", "Humpty Dumpty"),
        ('"it means just what I choose it to mean."', "said", "Humpty Dumpty"),
    ]
