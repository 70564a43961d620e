"""Hostile input, one case each: what a broken exporter or an attacker sends, and what it must get.

Each case is a fixture built in code (small generated files where the finding was a large one),
and each asserts three things: a 4xx whose message names the problem (in an import, that line
rejected with its reason and the other lines imported), nothing written where the whole request
is refused, and bounded work, measured against a normal input of the same size or counted, never
against the clock alone.

What schema fuzzing found (NUL characters, page_size, dates PostgreSQL cannot take, numbers sent
for text) is pinned in tests/test_api_fuzz_findings.py; its NUL import files are reused here to
check that the rest of such a file is still imported.
"""

import base64
import contextlib
import io
import json
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims import untrusted_json
from claims.api.pagination import CURSOR_INVALID
from claims.imports import csv as csv_import
from claims.imports import text as text_import
from claims.models import Article, Job
from claims.services import articles as article_services
from claims.services.articles import ARTICLE_NUL, article_create
from claims.services.errors import RuleViolation
from claims.services.imports import articles_file_import
from claims.untrusted_json import (
    JSON_INTEGER_OUT_OF_RANGE,
    JSON_LONE_SURROGATE,
    JSON_NOT_FINITE,
    JSON_TOO_DEEP,
    JSONValueRefused,
)
from tests.api import build_world, client_for, fingerprint
from tests.builders import errors_of, make_mention, make_project, zip_bytes
from tests.jobs import run_jobs
from tests.test_api_fuzz_findings import NUL_IMPORT_FILES


def upload(user, project, data: bytes, name: str):
    """An import over the API, as a manager's script sends it."""
    file = SimpleUploadedFile(name, data)
    return client_for(user).post(f"/api/projects/{project.pk}/import/", {"file": file}, format="multipart")


def import_bytes(project, data: bytes, filename: str):
    return articles_file_import(project=project, file=io.BytesIO(data), filename=filename)


def fastest(call, repeat: int = 3) -> float:
    """The least time of a few runs: the one least disturbed by whatever else the machine does."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


# --- CSV: a header of a million columns took more than 600 s (a list searched once per column) ----
def csv_with_columns(count: int) -> bytes:
    names = ["external_id", "body", *(f"c{i}" for i in range(count - 2))]
    return (",".join(names) + "\n" + ",".join(["x1", "Body.", *["v"] * (count - 2)]) + "\n").encode()


def test_a_csv_with_more_columns_than_the_limit_is_refused_naming_it(project, alice):
    before = fingerprint()
    response = upload(alice, project, csv_with_columns(csv_import.MAX_COLUMNS + 1), "wide.csv")
    message = csv_import.CSV_TOO_MANY_COLUMNS.format(count=csv_import.MAX_COLUMNS + 1, limit=csv_import.MAX_COLUMNS)
    assert (response.status_code, response.json()) == (400, {"file": [message]})
    assert fingerprint() == before


def test_a_csv_with_as_many_columns_as_the_limit_is_imported(project, alice):
    report = import_report(upload(alice, project, csv_with_columns(csv_import.MAX_COLUMNS), "wide.csv"))
    assert report["accepted"] == 1
    assert len(Article.objects.get(external_id="x1").metadata) == csv_import.MAX_COLUMNS - 2


def test_a_wide_header_costs_no_more_than_as_many_bytes_of_rows(db):
    wide = csv_with_columns(40_000)
    rows = b"external_id,body\n" + b"".join(b"e%d,Body %d.\n" % (i, i) for i in range(len(wide) // 14))
    rows = rows[: rows.rindex(b"\n", 0, len(wide)) + 1]  # whole rows, about as many bytes as the wide file

    def refuse_wide():
        with pytest.raises(RuleViolation):
            list(csv_import.read(io.BytesIO(wide)))

    def read_rows():
        assert all(record.article for record in csv_import.read(io.BytesIO(rows)))

    # Reading the rows makes a record per row; refusing the header only parses it. A lookup in the
    # list of earlier columns made the header cost 100 times the rows (7 s).
    assert fastest(refuse_wide) < 2 * fastest(read_rows)


# --- zip: a 68 KB archive declaring 20 MiB of text was read whole into one batch -----------------
def story(number: int, size: int) -> bytes:
    sentence = b"The minister said the plan would not change, officials said on Tuesday. "
    return b"Story %d\n\n" % number + (sentence * (size // len(sentence) + 1))[:size]


def peak_memory_of(call) -> int:
    """The most memory Python held at once while `call` ran, above what it held before."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_zip_may_unpack_to_no_more_than_a_plain_file_may_hold(settings):
    assert settings.IMPORT_ZIP_MAX_UNCOMPRESSED_BYTES <= settings.IMPORT_MAX_BYTES


def test_a_zip_is_imported_entry_by_entry_not_held_whole(project, settings):
    entry = article_services._BATCH_CHARS // 2  # two entries fill a batch
    settings.ARTICLE_MAX_CHARS = entry + 100

    def import_entries(count: int, prefix: str) -> int:
        data = zip_bytes({f"{prefix}{i}.txt": story(i, entry) for i in range(count)})
        return peak_memory_of(lambda: import_bytes(project, data, "stories.zip"))

    few, many = import_entries(2, "a"), import_entries(8, "b")
    assert Article.objects.count() == 10
    # Held whole, eight entries take four times the memory of two; read one by one, about the same.
    assert many < 1.5 * few, (few, many)


def test_an_entry_longer_than_an_article_may_be_is_rejected_unread(project, settings):
    settings.ARTICLE_MAX_CHARS = 10_000
    data = zip_bytes({"fine.txt": story(1, 5_000), "huge.txt": story(2, 20_000_000), "long.txt": story(3, 10_001)})
    report = {}
    peak = peak_memory_of(lambda: report.update(result=import_bytes(project, data, "stories.zip")))
    result = report["result"]
    assert [entry["file"] for entry in result.accepted] == ["fine.txt"]
    too_long = article_services.ARTICLE_BODY_TOO_LONG.format(limit=10_000)
    huge_size = len(story(2, 20_000_000))
    assert [(entry["file"], entry["errors"]) for entry in result.rejected] == [
        ("huge.txt", {"file": [text_import.FILE_TOO_LARGE.format(size=huge_size, limit=10_000)]}),
        ("long.txt", {"body": [too_long]}),
    ]
    # 20 MB decompressed would show here; what was read is the two small entries.
    assert peak < 2_000_000, peak


# --- JSON that Python reads and PostgreSQL (or Python itself) does not ----------------------------
# Each value as JSON text; the rule it breaks; where inside the value the message points (None:
# nowhere, json.loads gave up before it could say, past the interpreter's stack).
HOSTILE_VALUES = [
    pytest.param('"a\\ud800b"', JSON_LONE_SURROGATE, (), id="lone surrogate"),
    pytest.param('"\\udfff"', JSON_LONE_SURROGATE, (), id="lone low surrogate"),
    pytest.param('{"\\ud800": 1}', JSON_LONE_SURROGATE, ("\ud800",), id="lone surrogate in a key"),
    pytest.param("NaN", JSON_NOT_FINITE, (), id="NaN"),
    pytest.param("-Infinity", JSON_NOT_FINITE, (), id="-Infinity"),
    pytest.param("1e400", JSON_NOT_FINITE, (), id="1e400"),
    pytest.param("1" * 5000, JSON_INTEGER_OUT_OF_RANGE, (), id="5,000-digit integer"),
    pytest.param(str(2**63), JSON_INTEGER_OUT_OF_RANGE, (), id="past bigint"),
    pytest.param("[" * 100 + "]" * 100, JSON_TOO_DEEP, (), id="100 deep"),
    pytest.param("[" * 3000 + "]" * 3000, JSON_TOO_DEEP, None, id="3,000 deep"),
]


def errors_at(message: str, inside: tuple | None, *path, key: str = "detail") -> dict:
    """The answer's errors for a value at `path`: under the top-level field, the message prefixed
    with where (a value nested too deep is named by the field that holds it); without a place,
    under `key`."""
    if inside is None:
        return {key: message if key == "detail" else [message]}
    place = path[:1] if message == JSON_TOO_DEEP else (*path, *inside)
    return {str(path[0]): [str(JSONValueRefused(message, place))]}


def raw_post(client, url: str, body: str):
    return client.generic("POST", url, body.encode("utf-8"), "application/json")


@pytest.mark.parametrize(("value", "message", "inside"), HOSTILE_VALUES)
def test_an_article_with_hostile_metadata_is_a_400_naming_the_field(project, alice, value, message, inside):
    body = f'{{"external_id": "bad", "body": "Body.", "metadata": {{"k": {value}}}}}'
    before = fingerprint()
    response = raw_post(client_for(alice), f"/api/projects/{project.pk}/articles/", body)
    assert (response.status_code, response.json()) == (400, errors_at(message, inside, "metadata", "k"))
    assert fingerprint() == before


@pytest.mark.parametrize(("value", "message", "inside"), HOSTILE_VALUES)
def test_a_hostile_value_in_a_list_of_articles_names_the_article(project, alice, value, message, inside):
    body = f'[{{"external_id": "fine", "body": "Fine."}}, {{"external_id": "bad", "body": {value}}}]'
    before = fingerprint()
    response = raw_post(client_for(alice), f"/api/projects/{project.pk}/articles/", body)
    assert (response.status_code, response.json()) == (400, errors_at(message, inside, 1, "body"))
    assert fingerprint() == before


@pytest.mark.parametrize(("value", "message", "inside"), HOSTILE_VALUES)
def test_a_hostile_value_is_refused_before_sign_in(db, client, value, message, inside):
    """The token route reads the body before it knows who asks: anyone can send this."""
    response = client.post("/api/auth/token/", f'{{"username": {value}, "password": "x"}}', "application/json")
    assert (response.status_code, response.json()) == (400, errors_at(message, inside, "username"))


def test_two_thousand_open_brackets_to_the_token_route_are_a_400(db, client):
    response = client.post("/api/auth/token/", "[" * 2000, "application/json")
    assert (response.status_code, response.json()) == (400, {"detail": JSON_TOO_DEEP})


def test_reading_ordinary_json_costs_about_what_json_loads_costs():
    body = "The minister said the plan would not change, officials said on Tuesday. " * 70
    lines = [
        json.dumps({"external_id": f"e{i}", "body": f"{body}{i}", "metadata": {"section": "World", "n": i}}).encode()
        for i in range(2000)
    ]

    def read(decode):
        return lambda: [decode(line) for line in lines]

    # The scans that find nothing to look at must cost little next to the parse itself (a regular
    # expression over every byte for each of them made reading a jsonl import nine times slower).
    assert fastest(read(untrusted_json.decode), repeat=5) < 3 * fastest(read(json.loads), repeat=5)


def test_checking_hostile_json_costs_a_few_times_reading_normal_json():
    size = 1_000_000
    normal = json.dumps([{"k": i, "t": "some text", "f": 1.5} for i in range(size // 34)])
    refused = {
        "deep": "[" * size,
        "long integer": "1" * size,
        "surrogates": '["' + "\\ud800" * (size // 6) + '"]',
        "NaNs": "[" + ",".join(["NaN"] * (size // 4)) + "]",
        "1e400s": "[" + ",".join(["1e400"] * (size // 6)) + "]",
        "a surrogate at the end": normal[:-1] + ',"\\ud800"]',
    }
    accepted = {"nested 60 deep": "[" + ",".join(["[" * 60 + "]" * 60] * (size // 121)) + "]"}

    def check(text: str):
        with contextlib.suppress(JSONValueRefused):
            untrusted_json.decode(text)
            assert text in accepted.values()

    def parse(text: str):
        with contextlib.suppress(ValueError, RecursionError):  # json.loads refuses some, in its own way
            json.loads(text)

    reading_normal = fastest(lambda: parse(normal))
    costs = {
        name: fastest(lambda text=text: check(text)) / max(reading_normal, fastest(lambda text=text: parse(text)))
        for name, text in (refused | accepted).items()
    }
    # Each check is a scan of the text or a walk of the value: linear, a few times what json.loads
    # costs on the same text (or on normal JSON of its size, where json.loads gives up at once).
    assert {name: cost for name, cost in costs.items() if cost >= 10} == {}


# --- the same values in an import: that line rejected with its reason, the others imported --------
def import_report(response) -> dict:
    """The report of the import an upload queued (202), once a worker has run it."""
    assert response.status_code == 202, response.content
    run_jobs()
    job = Job.objects.get(pk=response.json()["id"])
    assert job.status == "succeeded", job.errors
    return job.result


def imported(response, *external_ids) -> list[dict]:
    """The rejected lines of an import that took exactly `external_ids`."""
    report = import_report(response)
    assert [line["external_id"] for line in report["accepted_lines"]] == list(external_ids)
    assert sorted(Article.objects.values_list("external_id", flat=True)) == sorted(external_ids)
    return report["rejected_lines"]


@pytest.mark.parametrize(("value", "message", "inside"), HOSTILE_VALUES)
def test_a_jsonl_line_with_a_hostile_value_is_rejected_and_the_rest_imported(project, alice, value, message, inside):
    lines = [
        b'{"external_id": "first", "body": "First."}',
        f'{{"external_id": "bad", "body": "Body.", "metadata": {{"k": {value}}}}}'.encode(),
        b'{"article": {"external_id": "third", "body": "Third."}, "annotations": []}',
    ]
    response = upload(alice, project, b"\n".join(lines) + b"\n", "articles.jsonl")
    errors = errors_at(message, inside, "metadata", "k", key="non_field_errors")
    assert imported(response, "first", "third") == [{"line": 2, "errors": errors}]


@pytest.mark.parametrize(("value", "message", "inside"), HOSTILE_VALUES)
def test_a_native_line_with_a_hostile_annotation_is_rejected_and_the_rest_imported(
    project, alice, value, message, inside
):
    mention = f'{{"start": 0, "end": 5, "text": "First", "speaker": {{"name": {value}}}}}'
    lines = [
        f'{{"article": {{"external_id": "bad", "body": "First."}}, "annotations": [{{"annotator": "bob", '
        f'"mentions": [{mention}]}}]}}'.encode(),
        b'{"external_id": "second", "body": "Second."}',
    ]
    response = upload(alice, project, b"\n".join(lines) + b"\n", "articles.jsonl")
    path = ("annotations", 0, "mentions", 0, "speaker", "name")
    errors = errors_at(message, inside, *path, key="non_field_errors")
    assert imported(response, "second") == [{"line": 1, "errors": errors}]


@pytest.mark.parametrize(("value", "message", "inside"), HOSTILE_VALUES)
def test_a_csv_metadata_cell_with_a_hostile_value_is_rejected_and_the_rest_imported(
    project, alice, value, message, inside
):
    cell = '"' + f'{{"k": {value}}}'.replace('"', '""') + '"'
    data = f"external_id,body,metadata\r\nfirst,First.,{{}}\r\nbad,Body.,{cell}\r\nthird,Third.,\r\n".encode()
    response = upload(alice, project, data, "articles.csv")
    # A cell's value sits under metadata: even one too deep to read is named by it.
    errors = errors_at(message, () if inside is None else inside, "metadata", "k")
    assert imported(response, "first", "third") == [{"line": 3, "errors": errors}]


@pytest.mark.parametrize(("name", "content"), NUL_IMPORT_FILES)
def test_a_line_with_nul_is_rejected_and_the_rest_of_its_file_imported(project, alice, name, content):
    fine = b"fine,Fine.\n" if name.endswith(".csv") else b'{"external_id": "fine", "body": "Fine."}\n'
    rejected = imported(upload(alice, project, content + fine, name), "fine")
    assert [line["line"] for line in rejected] == [2 if name.endswith(".csv") else 1]
    assert ARTICLE_NUL in [message for messages in rejected[0]["errors"].values() for message in messages]


# --- and from Python (a script, the admin, a builder): the article service refuses them too -------
@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        pytest.param({"metadata": {"k": float("nan")}}, {"metadata": [f"metadata.k: {JSON_NOT_FINITE}"]}, id="NaN"),
        pytest.param(
            {"metadata": {"k": [10**30]}},
            {"metadata": [f"metadata.k[0]: {JSON_INTEGER_OUT_OF_RANGE}"]},
            id="an integer past bigint",
        ),
        pytest.param(
            {"metadata": {"\ud800": 1}},
            {"metadata": [f"metadata.\\ud800: {JSON_LONE_SURROGATE}"]},
            id="a lone surrogate in a key",
        ),
        pytest.param({"title": "a\udfffb"}, {"title": [JSON_LONE_SURROGATE]}, id="a lone surrogate in the title"),
        pytest.param({"body": "\ud800"}, {"body": [JSON_LONE_SURROGATE]}, id="a lone surrogate in the body"),
    ],
)
def test_the_article_service_refuses_what_postgresql_cannot_store(project, fields, errors):
    before = fingerprint()
    assert errors_of(article_create, project=project, **{"external_id": "x", "body": "Body.", **fields}) == errors
    assert fingerprint() == before


# --- forged page cursors: a position that is not of the ordering's type reached the database -----
@pytest.mark.parametrize(
    ("route", "position", "ordering"),
    [
        ("/api/projects/", "p=abc", None),
        ("/api/projects/", "r=1&p=abc", None),
        ("/api/projects/", "p=99999999999999999999999", None),
        ("/api/projects/", "p=1\x00", None),
        ("/api/claims/{claim}/timeline/", "p=notadate", None),
        ("/api/claims/{claim}/timeline/", "p=2019-02-30", None),
        ("/api/projects/{project}/releases/", "p=x", None),
        ("/api/projects/{project}/articles/", "p=1.5", None),
        ("/api/projects/{project}/articles/", "p=a\x00", "external_id"),
        ("/api/projects/{project}/articles/", "p=yesterday", "-updated_at"),
    ],
)
def test_a_forged_cursor_is_a_404_that_says_so(db, route, position, ordering):
    world = build_world()
    url = route.format(claim=world.claim.pk, project=world.project.pk)
    query = {"cursor": base64.b64encode(position.encode()).decode()} | ({"ordering": ordering} if ordering else {})
    response = client_for(world.users["alice"]).get(url, query)
    assert (response.status_code, response.json()) == (404, {"detail": CURSOR_INVALID})


def test_a_cursor_the_api_gave_still_turns_the_page(db):
    world = build_world()
    make_project(manager=world.users["alice"])
    make_mention(world.carol_work, claim=world.claim)
    alice = client_for(world.users["alice"])
    for url in ("/api/projects/", f"/api/claims/{world.claim.pk}/timeline/"):
        first = alice.get(url, {"page_size": 1}).json()
        assert first["next"], url
        assert alice.get(first["next"]).status_code == 200
