"""Exports: every format against a small labelled project, read back the way each format's own
scorer or reader reads it, with `body[start:end] == text` checked for every exported span; the
jsonl round trip; options (scope, annotator, since, split); mappings; headers; streaming and
bounded memory; permissions; constant queries; the management command."""

import csv
import datetime as dt
import hashlib
import io
import json
import re
import time
import tracemalloc
import zipfile
from types import SimpleNamespace

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.exports import brat as brat_format
from claims.exports import csv as csv_format
from claims.exports import jsonl as jsonl_format
from claims.exports import parallel
from claims.exports.query import with_changed_articles
from claims.exports.streaming import ExportStats
from claims.models import Article, StanceLabel
from claims.services import exports as svc
from claims.services.assignments import assignment_create, assignment_submit
from claims.services.imports import articles_file_import
from claims.services.labels import article_stance_set, mention_delete, mention_update
from claims.services.projects import project_update
from tests.api import client_for
from tests.builders import (
    BODY,
    make_article,
    make_assignment,
    make_claim,
    make_many_annotated_articles,
    make_mention,
    make_project,
    make_speaker,
    make_user,
    span,
)

COLD = '=HYPERLINK("http://example.org")\n-10 degrees tonight, said the forecast.'


@pytest.fixture
def world(project, alice, bob, carol, rita):
    """Article A: gold (Rita, submitted), Bob's submitted work, Carol's open work. Article B (whose
    text and external_id begin with formula characters): gold only. Article C: unannotated."""
    a = make_article(project, external_id="a")
    b = make_article(project, external_id="-b", body=COLD, title="+Cold")
    spare = make_article(project, external_id="c")
    minister = make_speaker(project, "The Minister")
    jose = make_speaker(project, "José Martínez")
    reckless = make_claim(project, "The plan is reckless")
    cold = make_claim(project, "It will be cold")

    gold = assignment_create(article=a, annotator=rita, is_gold=True)
    make_mention(gold, "We will not back down", speaker=minister, source=span(BODY, "the minister"),
                 cue=span(BODY, "said"), quote_type="direct", claim=reckless, stance="refute")  # fmt: skip
    make_mention(gold, "the minister said.\nCritics", quote_type="indirect")
    make_mention(gold, "called the plan reckless", speaker=jose, source=span(BODY, "José Martínez"),
                 cue=span(BODY, "according to"), quote_type="indirect", claim=reckless, stance="support")  # fmt: skip
    article_stance_set(assignment=gold, claim=reckless, stance="neutral")
    assignment_submit(assignment=gold)

    bob_work = make_assignment(a, bob)
    make_mention(bob_work, "Officials met on Tuesday 🚀", claim=reckless, stance="query")
    article_stance_set(assignment=bob_work, claim=reckless, stance="support")
    assignment_submit(assignment=bob_work)

    carol_work = make_assignment(a, carol)
    make_mention(carol_work, "the minister")

    gold_b = assignment_create(article=b, annotator=rita, is_gold=True)
    make_mention(gold_b, "-10 degrees tonight", cue=span(COLD, "said"), claim=cold, stance="support")
    article_stance_set(assignment=gold_b, claim=cold, stance="refute")
    assignment_submit(assignment=gold_b)
    return SimpleNamespace(project=project, a=a, b=b, spare=spare, bodies={a.pk: a.body, b.pk: b.body,
                           spare.pk: spare.body}, reckless=reckless, cold=cold, carol_work=carol_work)  # fmt: skip


def export(user, project, **params):
    """The response, its body read. The export view runs outside the request transaction; a refused
    request marks the transaction it runs in for rollback, which in a test is the test's own: the
    savepoint keeps that to the request."""
    with transaction.atomic():
        response = client_for(user).get(f"/api/projects/{project.pk}/export/", params)
        response.body = b"".join(response.streaming_content) if response.streaming else response.content
    return response


def content(response) -> bytes:
    assert response.status_code == 200, response.body
    assert response.streaming
    return response.body


def assert_span(body: str, item: dict | None) -> None:
    if item is not None:
        assert body[item["start"] : item["end"]] == item["text"]


# --- jsonl ----------------------------------------------------------------------------------------
def jsonl_lines(data: bytes) -> list[dict]:
    text = data.decode()
    assert text.endswith("\n") or text == ""
    return [json.loads(line) for line in text.split("\n")[:-1]]


def test_jsonl_is_the_native_format_with_every_span_checked(world, rita):
    lines = jsonl_lines(content(export(rita, world.project, format="jsonl")))
    assert [line["article"]["external_id"] for line in lines] == ["-b", "a"]
    first = lines[1]
    assert list(first) == ["article", "annotations"]
    assert list(first["article"]) == ["id", "external_id", "title", "body", "body_sha256", "source", "url", "author",
                                      "published_at", "language", "metadata"]  # fmt: skip
    assert first["article"]["body_sha256"] == hashlib.sha256(BODY.encode()).hexdigest()
    (gold,) = first["annotations"]
    assert (gold["annotator"], gold["gold"], gold["status"]) == ("rita", True, "submitted")
    mention = gold["mentions"][0]
    assert list(mention) == ["id", "start", "end", "text", "speaker", "source", "cue", "quote_type", "claim", "stance"]
    assert mention["speaker"] == {"id": mention["speaker"]["id"], "name": "The Minister", "kind": "person"}
    assert gold["article_stances"] == [
        {"claim": {"id": world.reckless.pk, "text": "The plan is reckless"}, "stance": "neutral"}
    ]
    for line in lines:
        body = line["article"]["body"]
        for annotation in line["annotations"]:
            for item in annotation["mentions"]:
                for each in (item, item["source"], item["cue"]):
                    assert_span(body, each)


def test_scopes(world, rita):
    def annotations(**params):
        return {
            line["article"]["external_id"]: [(a["annotator"], a["status"]) for a in line["annotations"]]
            for line in jsonl_lines(content(export(rita, world.project, format="jsonl", **params)))
        }

    assert annotations(scope="gold") == {"-b": [("rita", "submitted")], "a": [("rita", "submitted")]}
    assert annotations(scope="submitted")["a"] == [("rita", "submitted"), ("bob", "submitted")]
    assert annotations(scope="all") == {
        "-b": [("rita", "submitted")], "a": [("rita", "submitted"), ("bob", "submitted"), ("carol", "in_progress")],
        "c": [],
    }  # fmt: skip
    assert annotations(scope="all", annotator=["carol", "bob"]) == {
        "a": [("bob", "submitted"), ("carol", "in_progress")]
    }


def test_unknown_options_are_400s(world, rita):
    response = export(rita, world.project, format="docx", scope="some", annotator="nobody", split="50,10",
                      split_by="claim", part="val", colour="red")  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {"colour": ["Unknown parameter."]}
    response = export(rita, world.project, format="docx", scope="some", annotator="nobody", split="50,10", part="val")
    assert response.json() == {
        "format": [svc.FORMAT_UNKNOWN], "scope": [svc.SCOPE_UNKNOWN],
        "annotator": [svc.ANNOTATOR_UNKNOWN.format(names="nobody")], "split": [svc.SPLIT_INVALID],
        "part": [svc.PART_UNKNOWN],
    }  # fmt: skip
    response = export(rita, world.project, format="jsonl", split_by="claim", split="80,20", since="yesterday")
    assert response.json() == {
        "since": [svc.SINCE_INVALID], "split_by": [svc.SPLIT_BY_CLAIM_NEEDS_ROWS.format(format="jsonl")]
    }  # fmt: skip


def strip_ids(value):
    if isinstance(value, dict):
        return {key: strip_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [strip_ids(item) for item in value]
    return value


def test_jsonl_round_trip_into_an_empty_project_gives_the_same_lines_apart_from_ids(world, rita):
    first = content(export(rita, world.project, format="jsonl", scope="all"))
    copy = make_project(manager=rita, name="Copy")
    report = articles_file_import(project=copy, file=io.BytesIO(first), filename="export.jsonl")
    assert (len(report.accepted), report.rejected) == (3, [])
    second = content(export(rita, copy, format="jsonl", scope="all"))
    assert [strip_ids(line) for line in jsonl_lines(second)] == [strip_ids(line) for line in jsonl_lines(first)]
    assert second != first  # the ids did change: the comparison above is not vacuous


# --- csv ------------------------------------------------------------------------------------------
def unquote(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def test_csv_one_row_per_mention_with_formula_cells_quoted(world, rita):
    text = content(export(rita, world.project, format="csv", scope="all")).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 6
    cold = next(row for row in rows if row["article_id"] == str(world.b.pk))
    assert (cold["external_id"], cold["content_text"]) == ("'-b", "'-10 degrees tonight")
    assert unquote(cold["content_text"]) == "-10 degrees tonight"
    for row in rows:
        body = world.bodies[int(row["article_id"])]
        for prefix in ("content", "source", "cue"):
            if row[f"{prefix}_start"]:
                start, end = int(row[f"{prefix}_start"]), int(row[f"{prefix}_end"])
                assert body[start:end] == unquote(row[f"{prefix}_text"])
        assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row.values())
    assert csv_format.escape("=1") == "'=1" and csv_format.escape("'x") == "''x" and csv_format.escape("x") == "x"


# --- FNC-1 ----------------------------------------------------------------------------------------
def fnc1_read(archive: zipfile.ZipFile, name: str) -> tuple[list[str], list[dict]]:
    """As the FNC-1 scorer reads its files: csv.DictReader, header checked exactly."""
    reader = csv.DictReader(io.StringIO(archive.read(name).decode("utf-8")))
    return reader.fieldnames, list(reader)


def test_fnc1_zip_reads_like_the_scorer_expects(world, rita):
    archive = zipfile.ZipFile(io.BytesIO(content(export(rita, world.project, format="fnc1"))))
    assert sorted(archive.namelist()) == ["bodies.csv", "stances.csv"]
    body_fields, bodies = fnc1_read(archive, "bodies.csv")
    stance_fields, stances = fnc1_read(archive, "stances.csv")
    assert body_fields == ["Body ID", "articleBody"] and stance_fields == ["Headline", "Body ID", "Stance"]
    assert {int(row["Body ID"]): row["articleBody"] for row in bodies} == {world.a.pk: BODY, world.b.pk: COLD}
    assert stances == [
        {"Headline": "The plan is reckless", "Body ID": str(world.a.pk), "Stance": "discuss"},
        {"Headline": "It will be cold", "Body ID": str(world.b.pk), "Stance": "disagree"},
    ]


def test_fnc1_body_ids_are_the_external_ids_that_are_whole_numbers(project, rita):
    bodies = {"2008": "First body.", "1550": "Second body.", "575": "Third body."}
    articles = {key: make_article(project, external_id=key, body=body) for key, body in bodies.items()}
    claims = [make_claim(project, text) for text in ("Zebra headline", "Apple headline")]
    # Stored in this order, which is not the order of ids, texts or articles: the export keeps it.
    pairs = [("1550", 0), ("2008", 1), ("1550", 1), ("575", 0)]
    gold = {key: assignment_create(article=article, annotator=rita, is_gold=True) for key, article in articles.items()}
    for key, claim in pairs:
        article_stance_set(assignment=gold[key], claim=claims[claim], stance="support")
    for assignment in gold.values():
        assignment_submit(assignment=assignment)
    archive = zipfile.ZipFile(io.BytesIO(content(export(rita, project, format="fnc1"))))
    assert {row["Body ID"]: row["articleBody"] for row in fnc1_read(archive, "bodies.csv")[1]} == bodies
    stances = fnc1_read(archive, "stances.csv")[1]
    assert [(row["Body ID"], row["Headline"]) for row in stances] == [(key, claims[c].text) for key, c in pairs]
    # An article whose external_id is not a whole number as FNC-1 writes one: its own id.
    note = make_article(project, external_id="007")
    gold_note = assignment_create(article=note, annotator=rita, is_gold=True)
    article_stance_set(assignment=gold_note, claim=claims[0], stance="support")
    assignment_submit(assignment=gold_note)
    archive = zipfile.ZipFile(io.BytesIO(content(export(rita, project, format="fnc1"))))
    ids = [row["Body ID"] for row in fnc1_read(archive, "bodies.csv")[1]]
    assert ids == ["2008", "1550", "575", str(note.pk)]
    # Should that id be another article's external_id, no Body ID could tell them apart: ids for all.
    clash = make_article(project, external_id=str(note.pk))
    archive = zipfile.ZipFile(io.BytesIO(content(export(rita, project, format="fnc1"))))
    ids = {row["Body ID"] for row in fnc1_read(archive, "bodies.csv")[1]}
    assert ids == {str(article.pk) for article in [*articles.values(), note]} and str(clash.pk) not in ids


def test_fnc1_split_names_files_like_fnc1(world, rita):
    archive = zipfile.ZipFile(io.BytesIO(content(export(rita, world.project, format="fnc1", split="50,0,50"))))
    names = archive.namelist()
    assert set(names) == {f"{part}_{kind}.csv" for part in ("train", "dev", "test") for kind in ("bodies", "stances")}
    rows = sum(len(fnc1_read(archive, f"{part}_stances.csv")[1]) for part in ("train", "dev", "test"))
    assert rows == 2


# --- Emergent -------------------------------------------------------------------------------------
def test_emergent_csv_has_the_published_layout(world, rita):
    reader = csv.DictReader(io.StringIO(content(export(rita, world.project, format="emergent")).decode()))
    # As url-versions-2015-06-14-clean.csv: an unnamed index first, the published columns in its order.
    assert reader.fieldnames == ["", "claimHeadline", "articleHeadline", "articleHeadlineStance", "articleId",
                                 "claimId", "articleBody", "articleUrl", "source"]  # fmt: skip
    rows = list(reader)
    assert [(row[""], row["claimHeadline"], row["articleHeadlineStance"], row["articleId"]) for row in rows] == [
        ("0", "The plan is reckless", "observing", "a"), ("1", "It will be cold", "against", "-b")
    ]  # fmt: skip
    assert [row["claimId"] for row in rows] == [str(world.reckless.pk), str(world.cold.pk)]
    assert rows[1]["articleBody"] == COLD


# --- SemEval-2016 ---------------------------------------------------------------------------------
def semeval_read(data: bytes) -> list[list[str]]:
    """As eval.pl reads it: lines, the header line skipped, each split on tabs into exactly 4 fields."""
    lines = data.decode().split("\n")
    assert lines[0] == "ID\tTarget\tTweet\tStance" and lines[-1] == ""
    rows = [line.split("\t") for line in lines[1:-1]]
    assert all(len(row) == 4 for row in rows)
    assert all(row[3] in ("FAVOR", "AGAINST", "NONE", "UNKNOWN") for row in rows)
    return rows


def test_semeval_tsv_reads_like_eval_pl(world, rita):
    rows = semeval_read(content(export(rita, world.project, format="semeval2016", scope="submitted")))
    # The article stances first, as a SemEval import stores tweets (ID: the external_id, tweet: the body)…
    assert rows[:3] == [
        ["a", "The plan is reckless", BODY.replace("\n", " "), "NONE"],
        ["a", "The plan is reckless", BODY.replace("\n", " "), "FAVOR"],
        ["-b", "It will be cold", COLD.replace("\n", " "), "AGAINST"],
    ]
    # …then the mentions with a claim and a stance (ID: the mention's id).
    assert [(row[1], row[3]) for row in rows[3:]] == [
        ("It will be cold", "FAVOR"), ("The plan is reckless", "AGAINST"), ("The plan is reckless", "FAVOR"),
        ("The plan is reckless", "NONE"),
    ]  # fmt: skip
    from claims.models import ClaimMention

    for mention_id, _, tweet, _ in rows[3:]:
        mention = ClaimMention.objects.select_related("assignment__article").get(pk=mention_id)
        body = mention.assignment.article.body
        assert body[mention.start : mention.end].replace("\t", " ").replace("\n", " ") == tweet


def test_semeval_split_is_a_zip_of_parts_unless_one_part_is_asked_for(world, rita):
    response = export(rita, world.project, format="semeval2016", split="80,10,10")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(content(response)))
    assert archive.namelist() == ["train.txt", "dev.txt", "test.txt"]
    assert sum(len(semeval_read(archive.read(name))) for name in archive.namelist()) == 3 + 2
    one = export(rita, world.project, format="semeval2016", split="80,10,10", part="train")
    assert one["Content-Type"].startswith("text/tab-separated-values")
    semeval_read(content(one))


# --- Citron ---------------------------------------------------------------------------------------
def test_citron_documents(world, rita):
    archive = zipfile.ZipFile(io.BytesIO(content(export(rita, world.project, format="citron", scope="submitted"))))
    assert archive.namelist() == ["gold/-b.json", "gold/a.json", "annotators/bob/a.json"]
    documents = {name: json.loads(archive.read(name)) for name in archive.namelist()}
    gold = documents["gold/a.json"]
    assert gold["text"] == BODY
    assert [quote["contents"][0]["text"] for quote in gold["quotes"]] == ["We will not back down",
                                                                          "called the plan reckless"]  # fmt: skip
    assert [m["contents"][0]["text"] for m in gold["mentions_without_cue"]] == ["the minister said.\nCritics"]
    for document in documents.values():
        for quote in document["quotes"] + document["mentions_without_cue"]:
            for item in [quote["cue"], *quote["sources"], *quote["contents"]]:
                assert_span(document["text"], item)
            if quote in document["quotes"]:
                assert set(quote["cue"]) == {"start", "end", "text"}


# --- brat -----------------------------------------------------------------------------------------
BRAT_ID = re.compile(r"^([A-Za-z]+|#[A-Za-z]*)([0-9]+)$")


def brat_read(ann: str, txt: str) -> dict:
    """The .ann line grammar as brat's annotation.py parses it, with its text-bound checks."""
    found: dict = {}
    assert ann.endswith("\n") or ann == ""
    lines = ann.splitlines(keepends=True)  # brat reads .ann files with codecs, whose lines are these
    assert all(line.endswith("\n") and "\n" not in line[:-1] for line in lines), "a line break inside a line"
    for line in (line[:-1] for line in lines):
        identifier, rest = line.split("\t", 1)
        assert BRAT_ID.match(identifier) and identifier not in found
        data, _, tail = rest.partition("\t")
        kind = identifier[0]
        if kind == "T":
            label, offsets = data.split(" ", 1)
            spans = [tuple(int(x) for x in piece.split(" ")) for piece in offsets.split(";")]
            seen = []
            for start, end in spans:
                assert 0 <= start < end <= len(txt)
                assert not any(end >= other_start and start < other_end for other_start, other_end in seen)
                seen.append((start, end))
            assert tail == " ".join(txt[start:end] for start, end in spans)
            found[identifier] = (label, spans, tail)
        elif kind == "R":
            label, first, second = data.split(" ")
            assert first.startswith("Arg1:") and second.startswith("Arg2:") and first[5:] != second[5:]
            assert first[5:] in found and second[5:] in found
            found[identifier] = (label, first[5:], second[5:])
        elif kind == "A":
            label, target, value = data.split(" ")
            assert target in found
            found[identifier] = (label, target, value)
        elif kind == "#":
            label, target = data.split()
            assert label == "AnnotatorNotes" and target in found
            found[identifier] = (label, target, tail)
        else:
            raise AssertionError(f"unexpected line {line!r}")
    return found


def test_brat_standoff(world, rita):
    archive = zipfile.ZipFile(io.BytesIO(content(export(rita, world.project, format="brat", scope="all"))))
    names = archive.namelist()
    assert names[0] == "annotation.conf"
    assert "Stance\tArg:Content, Value:support|refute|neutral|query" in archive.read("annotation.conf").decode()
    assert {"gold/a.txt", "gold/a.ann", "annotators/bob/a.ann", "annotators/carol/a.ann"} <= set(names)
    for name in names:
        if name.endswith(".ann"):
            txt = archive.read(name[:-4] + ".txt").decode()
            assert txt in (BODY, COLD)
            brat_read(archive.read(name).decode(), txt)
    gold = brat_read(archive.read("gold/a.ann").decode(), BODY)
    crossing = next(value for value in gold.values() if value[0] == "Content" and len(value[1]) == 2)
    assert crossing[2] == "the minister said. Critics"
    assert ("SourceOf", "T2", "T1") in gold.values() and ("Stance", "T1", "refute") in gold.values()
    assert brat_format.fragments("a\n\nb", 0, 4) == [(0, 1), (3, 4)]


@pytest.mark.parametrize("brk", ["\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"])
def test_brat_cuts_spans_at_every_line_break_brat_reads(project, rita, brk):
    body = f"Before. “We will{brk}not back down,” he said{brk}{brk}today."
    article = make_article(project, external_id="breaks", body=body)
    gold = assignment_create(article=article, annotator=rita, is_gold=True)
    make_mention(gold, f"We will{brk}not back down", cue=span(body, f"said{brk}{brk}today"), quote_type="direct")
    assignment_submit(assignment=gold)
    archive = zipfile.ZipFile(io.BytesIO(content(export(rita, project, format="brat"))))
    ann = brat_read(archive.read("gold/breaks.ann").decode(), archive.read("gold/breaks.txt").decode())
    texts = {value[0]: (value[1], value[2]) for value in ann.values() if value[0] in ("Content", "Cue")}
    start = body.index("We")
    assert texts["Content"] == ([(start, start + 7), (start + 8, start + 21)], "We will not back down")
    assert texts["Cue"][1] == "said today"


# --- options --------------------------------------------------------------------------------------
def test_split_is_a_stable_hash_of_the_external_id(world, rita):
    def part_of(key: str) -> str:
        bucket = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % 100
        return "train" if bucket < 60 else "dev" if bucket < 80 else "test"

    lines = jsonl_lines(content(export(rita, world.project, format="jsonl", scope="all", split="60,20,20")))
    assert {line["article"]["external_id"]: line["split"] for line in lines} == {
        key: part_of(key) for key in ("a", "-b", "c")
    }
    for part in ("train", "dev", "test"):
        only = jsonl_lines(content(export(rita, world.project, format="jsonl", scope="all", split="60,20,20",
                                          part=part)))  # fmt: skip
        assert {line["split"] for line in only} <= {part}
        assert len(only) == sum(part_of(key) == part for key in ("a", "-b", "c"))


def test_split_by_claim_marks_csv_rows(world, rita):
    text = content(export(rita, world.project, format="csv", scope="submitted", split="50,50",
                          split_by="claim")).decode()  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(text)))
    by_claim: dict = {}
    for row in rows:
        by_claim.setdefault(row["claim"], set()).add(row["split"])
    assert all(len(parts) == 1 for parts in by_claim.values())


def test_since_sees_changed_labels(world, rita):
    before = timezone.now()
    assert jsonl_lines(content(export(rita, world.project, format="jsonl", since=before.isoformat()))) == []
    mention_update(mention=world.carol_work.mentions.get(), quote_type="mixed")
    changed = jsonl_lines(content(export(rita, world.project, format="jsonl", scope="all", since=before.isoformat())))
    assert [line["article"]["external_id"] for line in changed] == ["a"]


def test_since_before_everything_is_the_whole_export_in_every_format(world, rita):
    for format in ("jsonl", "csv", "citron", "semeval2016"):
        whole = content(export(rita, world.project, format=format, scope="all"))
        since_ever = content(export(rita, world.project, format=format, scope="all", since="2000-01-01"))
        assert since_ever == whole and len(whole.splitlines()) > 1, format


@pytest.mark.django_db(transaction=True)
def test_since_sees_deleted_labels(world, rita):
    # Committed transactions: deletions are dated by their transaction (in a test's own
    # transaction everything would date from the test's start).
    later = timezone.now()
    mention_delete(mention=world.carol_work.mentions.get())
    deleted = jsonl_lines(content(export(rita, world.project, format="jsonl", scope="all", since=later.isoformat())))
    assert [line["article"]["external_id"] for line in deleted] == ["a"]


def test_custom_labels_need_a_mapping_and_omit_leaves_rows_out(world, rita, alice):
    labels = [{"value": "support", "fnc1": "agree", "emergent": "for", "semeval": "FAVOR"},
              {"value": "refute", "fnc1": "disagree", "emergent": "against", "semeval": "AGAINST"},
              {"value": "neutral", "fnc1": "omit", "emergent": "", "semeval": "NONE"},
              {"value": "query", "fnc1": "discuss", "semeval": "NONE"}]  # fmt: skip
    project_update(project=world.project, stance_labels=labels)
    response = export(rita, world.project, format="emergent")
    assert response.status_code == 400
    assert response.json() == {"format": [svc.MAPPING_MISSING.format(format="emergent", labels="neutral, query")]}
    archive = zipfile.ZipFile(io.BytesIO(content(export(rita, world.project, format="fnc1"))))
    assert export(rita, world.project, format="fnc1").status_code == 200
    _, stances = fnc1_read(archive, "stances.csv")
    assert [row["Stance"] for row in stances] == ["disagree"]  # the gold 'neutral' of article a is omitted
    assert StanceLabel.objects.get(project=world.project, value="query").emergent == ""


# --- HTTP ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fmt", "content_type", "extension"),
    [("jsonl", "application/x-ndjson; charset=utf-8", "jsonl"), ("csv", "text/csv; charset=utf-8", "csv"),
     ("fnc1", "application/zip", "zip"), ("emergent", "text/csv; charset=utf-8", "csv"),
     ("semeval2016", "text/tab-separated-values; charset=utf-8", "txt"), ("citron", "application/zip", "zip"),
     ("brat", "application/zip", "zip")],
)  # fmt: skip
def test_exports_are_attachments_never_pages(world, rita, fmt, content_type, extension):
    response = export(rita, world.project, format=fmt)
    content(response)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="newsroom-{fmt}-gold.{extension}"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_export_permissions(world, alice, bob, rita, charlie):
    assert export(None, world.project).status_code == 401
    assert export(charlie, world.project).status_code == 404
    assert export(bob, world.project).status_code == 403
    assert export(rita, world.project).status_code == 200
    assert export(alice, world.project).status_code == 200


def test_export_queries_do_not_grow_with_the_project(db):
    def queries(articles: int) -> int:
        manager = make_user(f"manager{articles}")
        project = make_project(manager=manager, name=f"Size {articles}")
        make_many_annotated_articles(project, manager, articles=articles, mentions=3)
        counts = []
        for fmt in ("jsonl", "fnc1", "brat"):
            with CaptureQueriesContext(connection) as captured:
                content(export(manager, project, format=fmt, split="80,10,10"))
            counts.append(len(captured))
        return counts

    assert queries(1) == queries(120)


def test_streaming_keeps_memory_bounded(db):
    manager = make_user("manager")
    project = make_project(manager=manager, name="Big")
    make_many_annotated_articles(project, manager, articles=3000, mentions=5)
    response = client_for(manager).get(f"/api/projects/{project.pk}/export/", {"format": "jsonl"})
    total = 0
    tracemalloc.start()
    try:
        for chunk in response.streaming_content:
            total += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total > 3_000_000
    assert peak < 1_500_000, f"peak {peak} bytes while streaming {total} bytes"


# --- the management command -----------------------------------------------------------------------
def test_export_dataset_command(world, tmp_path):
    output = tmp_path / "gold.jsonl"
    call_command("export_dataset", "--project", world.project.slug, "--format", "jsonl", "--output", str(output))
    assert [line["article"]["external_id"] for line in jsonl_lines(output.read_bytes())] == ["-b", "a"]
    call_command("export_dataset", "--project", world.project.slug, "--format", "brat", "--scope", "all",
                 "--annotator", "bob", "--output", str(tmp_path / "bob.zip"))  # fmt: skip
    names = zipfile.ZipFile(tmp_path / "bob.zip").namelist()
    assert names == ["annotation.conf", "annotators/bob/a.txt", "annotators/bob/a.ann"]
    assert Article.objects.count() == 3


# --- jsonl built by several connections in one snapshot -------------------------------------------
def jsonl_export(query, *, connections: int = 1, **options) -> tuple[bytes, int]:
    """The jsonl export of `query` in a snapshot of its own, built by `connections` connections, and
    its record count. `options`: parallel.copy_in_buckets's bucket and spool sizes."""
    stats = ExportStats()
    with svc.export_snapshot() as cursor, svc.snapshot_readers(cursor, count=connections - 1) as readers:
        assert len(readers) == connections - 1
        query = with_changed_articles(cursor, query)
        data = b"".join(jsonl_format.stream(cursor=cursor, query=query, stats=stats, readers=readers, **options))
    return data, stats.records


@pytest.mark.django_db(transaction=True)
def test_jsonl_built_by_several_connections_is_the_same_bytes(world, rita):
    since = timezone.now()
    make_many_annotated_articles(world.project, rita, articles=30, mentions=3)
    nothing = {"scope": "gold", "annotators": ["carol"]}  # Carol has no gold work: an empty export
    for options in ({"scope": "all"}, {"scope": "gold"}, {"scope": "submitted", "annotators": ["bob"]},
                    {"scope": "all", "split": "50,30,20", "part": "dev"}, {"since": since}, nothing):  # fmt: skip
        query = svc.export_query(project=world.project, format="jsonl", **options)
        one, records = jsonl_export(query)
        assert records == len(one.splitlines()), options
        assert (records == 0) == (options is nothing), options
        # Buckets of one article over two connections through a ring smaller than one line; buckets of two
        # over three connections; one bucket holding the whole export.
        assert jsonl_export(query, connections=2, bucket_rows=1, spool_bytes=700) == (one, records), options
        assert jsonl_export(query, connections=3, bucket_rows=2) == (one, records), options
        assert jsonl_export(query, connections=2, bucket_rows=1000) == (one, records), options


@pytest.mark.django_db(transaction=True)
def test_jsonl_over_http_is_built_by_two_connections(world, rita, monkeypatch):
    make_many_annotated_articles(world.project, rita, articles=30, mentions=3)
    monkeypatch.setattr(parallel, "BUCKET_ROWS", 4)
    used = []
    monkeypatch.setattr(jsonl_format, "copy_in_buckets", lambda **kw: used.append(kw) or parallel.copy_in_buckets(**kw))
    response = client_for(rita).get(f"/api/projects/{world.project.pk}/export/", {"format": "jsonl", "scope": "all"})
    data = b"".join(response.streaming_content)
    assert [len(call["connections"]) for call in used] == [parallel.CONNECTIONS] == [2]
    assert data == jsonl_export(svc.export_query(project=world.project, format="jsonl", scope="all"))[0]


@pytest.mark.django_db(transaction=True)
def test_every_connection_of_an_export_reads_its_snapshot(world, rita, monkeypatch):
    """A change committed after the export took its snapshot, before the other connection joined it, is in
    no line of the export."""
    make_many_annotated_articles(world.project, rita, articles=10, mentions=2)
    query = svc.export_query(project=world.project, format="jsonl", scope="all")
    before, _ = jsonl_export(query)
    join_snapshot = svc.join_snapshot

    def commit_a_change_then_join(reader, snapshot, settings):
        writer = connections.create_connection("default")
        try:
            with writer.cursor() as cursor:
                cursor.execute("UPDATE claims_article SET title = 'Changed meanwhile' WHERE project_id = %s",
                               [world.project.pk])  # fmt: skip
        finally:
            writer.close()
        join_snapshot(reader, snapshot, settings)

    monkeypatch.setattr(svc, "join_snapshot", commit_a_change_then_join)
    during, _ = jsonl_export(query, connections=2, bucket_rows=1)
    monkeypatch.undo()
    assert during == before
    assert b"Changed meanwhile" in jsonl_export(query)[0]  # the change was committed: the check above can fail


@pytest.mark.django_db(transaction=True)
def test_an_export_goes_on_with_fewer_connections_when_the_database_refuses_one(world, monkeypatch, caplog):
    query = svc.export_query(project=world.project, format="jsonl", scope="all")
    expected, _ = jsonl_export(query)

    def refuse(*args):
        raise psycopg.OperationalError("sorry, too many clients already")

    monkeypatch.setattr(svc, "join_snapshot", refuse)
    assert b"".join(svc.export_stream(query=query)) == expected
    assert "export built by 1 connection(s), another one failed: sorry, too many clients" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_the_second_connection_writes_dates_in_the_exporting_session_time_zone(world):
    make_article(world.project, external_id="dated", published_at=dt.datetime(2019, 3, 12, 9, 30, tzinfo=dt.UTC))
    query = svc.export_query(project=world.project, format="jsonl", scope="all")

    def export(connections: int) -> bytes:
        with svc.export_snapshot() as cursor:
            cursor.execute("SET LOCAL TimeZone = 'Asia/Kolkata'")
            with svc.snapshot_readers(cursor, count=connections - 1) as readers:
                assert len(readers) == connections - 1
                lines = jsonl_format.stream(cursor=cursor, query=query, stats=ExportStats(), readers=readers,
                                            bucket_rows=1)  # fmt: skip
                return b"".join(lines)

    one = export(1)
    assert b'"published_at":"2019-03-12T15:00:00+05:30"' in one  # written in the session's time zone
    assert export(2) == one  # "dated" is bucket 3 of 4: the second connection's


def test_an_export_in_a_transaction_that_wrote_stays_on_one_connection(world):
    # The test's transaction wrote the world and reads at READ COMMITTED: other connections would not see it.
    with svc.export_snapshot() as cursor, svc.snapshot_readers(cursor, count=1) as readers:
        assert readers == []


@pytest.mark.django_db(transaction=True)
def test_a_parallel_export_keeps_memory_bounded_by_its_spools(monkeypatch):
    manager = make_user("manager")
    project = make_project(manager=manager, name="Big")
    make_many_annotated_articles(project, manager, articles=3000, mentions=5)
    monkeypatch.setattr(parallel, "BUCKET_ROWS", 20)  # buckets of about 25 KB
    monkeypatch.setattr(parallel, "SPOOL_BYTES", 256 * 1024)
    query = svc.export_query(project=project, format="jsonl")
    total = 0
    tracemalloc.start()
    try:
        for chunk in svc.export_stream(query=query):
            total += len(chunk)
            time.sleep(0.005)  # a slow client: the connections get ahead and fill their spools
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total > 3_000_000
    assert peak < 1_500_000, f"peak {peak} bytes while streaming {total} bytes"


@pytest.mark.django_db(transaction=True)
def test_a_parallel_export_closed_early_stops_every_connection(world, rita, monkeypatch):
    make_many_annotated_articles(world.project, rita, articles=200, mentions=3)
    monkeypatch.setattr(parallel, "BUCKET_ROWS", 1)
    monkeypatch.setattr(parallel, "SPOOL_BYTES", 4096)  # the connections soon wait for the caller

    observer = connections.create_connection("default")  # the export's own connection is busy while it runs

    def backends() -> int:
        with observer.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
            return cursor.fetchone()[0]

    try:
        query = svc.export_query(project=world.project, format="jsonl", scope="all")
        idle = backends()
        chunks = svc.export_stream(query=query)
        assert next(chunks).startswith(b'{"article"')
        assert backends() == idle + 1
        chunks.close()
        for _ in range(50):  # a closed connection's backend leaves pg_stat_activity a moment later
            if backends() == idle:
                break
            time.sleep(0.05)
        assert backends() == idle
    finally:
        observer.close()
    assert not connection.in_atomic_block
    assert b"".join(svc.export_stream(query=query)).count(b"\n") == 203  # the connection works on
