"""What schema fuzzing (tests/test_fuzz_api.py) found, one request each: never a 500, errors as
JSON, and a value the schema calls invalid is a 400, not silently read as something else."""

import io
from urllib.parse import quote

import pytest
from django.db import transaction

from claims.api.catalogue import NUL_IN_TEXT
from claims.api.errors import NO_SUCH_ROUTE
from claims.api.exports import ONE_VALUE
from claims.api.fields import NOT_A_BOOLEAN, NOT_A_STRING
from claims.api.filters import EMPTY_FILTER
from claims.api.pagination import PAGE_SIZE_INVALID
from claims.services.articles import ARTICLE_NUL
from tests.api import build_world, client_for
from tests.jobs import finished


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def alice(world):
    return client_for(world.users["alice"])


def answer(client, method: str, url: str, data=None):
    """The status and the JSON body. A view outside the request transaction (export, releases)
    marks the test's transaction for rollback when it refuses; each call gets its own."""
    with transaction.atomic():
        response = getattr(client, method)(url, data, format="json")
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response["Content-Type"].startswith("application/json"), (response.status_code, body[:200])
    return response.status_code, response.json()


# --- an id that is not a number, or no route at all: the HTML 404 page of the site ---------------
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/article-stances/null,null/"),
        ("patch", "/api/mentions/abc/"),
        ("post", "/api/projects/%C3%94T%C3%9C%0AySv/claims/"),  # a newline in the path
        ("post", "/api/no-such-route/"),  # with no CSRF token: the 404 all the same, not a 403 page
        ("get", "/api/"),
    ],
)
def test_an_unknown_api_path_is_a_json_404(world, alice, method, path):
    assert answer(alice, method, path) == (404, {"detail": NO_SUCH_ROUTE})


def test_an_unknown_api_path_is_a_json_404_without_signing_in(db, client):
    response = client.post("/api/projects/1/nothing-here/")
    assert response.status_code == 404 and response.json() == {"detail": NO_SUCH_ROUTE}


# --- page_size that is not a whole number was ignored --------------------------------------------
@pytest.mark.parametrize("page_size", ["null", "0", "-3", "1.5", "[]", "1&page_size=2"])
def test_a_malformed_page_size_is_refused(world, alice, page_size):
    status, body = answer(alice, "get", f"/api/projects/?page_size={page_size}")
    assert status == 400 and body == {"page_size": [PAGE_SIZE_INVALID.format(limit=500)]}


def test_a_ranked_search_refuses_a_malformed_page_size_too(world, alice):
    for url in (f"/api/projects/{world.project.pk}/speakers/?search=minister&page_size=-7",
                f"/api/projects/{world.project.pk}/claims/?similar_to=reckless&page_size=x"):  # fmt: skip
        assert answer(alice, "get", url)[0] == 400


def test_a_large_page_size_still_gives_the_largest_page(world, alice):
    status, body = answer(alice, "get", f"/api/projects/{world.project.pk}/articles/?page_size=99999999999999")
    assert status == 200 and len(body["results"]) == 2


# --- an empty filter value was read as "no filter" -----------------------------------------------
@pytest.mark.parametrize(
    "query",
    ["articles/?published_after=", "articles/?updated_since=%20", "assignments/?is_gold=", "assignments/?status="],
)
def test_an_empty_filter_value_is_refused(world, alice, query):
    status, body = answer(alice, "get", f"/api/projects/{world.project.pk}/{query}")
    assert status == 400 and EMPTY_FILTER in next(iter(body.values()))


def test_an_empty_text_filter_still_means_no_filter(world, alice):
    status, body = answer(alice, "get", f"/api/projects/{world.project.pk}/articles/?source=")
    assert status == 200 and len(body["results"]) == 2


# --- date-times PostgreSQL cannot take: a UTC offset past ±15:59, or a year outside 1–9999 in UTC --
FAR_OFFSET = "0283-10-24T11:24:42-17:30"  # valid ISO 8601; PostgreSQL: "time zone displacement out of range"


def test_a_far_utc_offset_is_read_as_the_same_instant_in_utc(world, alice):
    project = world.project.pk
    for url in (
        f"/api/projects/{project}/agreement/?submitted_from={quote(FAR_OFFSET)}",
        f"/api/projects/{project}/agreement/?submitted_to={quote(FAR_OFFSET)}",
        f"/api/projects/{project}/articles/?published_after={quote(FAR_OFFSET)}",
        f"/api/projects/{project}/articles/?updated_since={quote('0345-03-15T11:56:44+23:59')}",
    ):
        assert answer(alice, "get", url)[0] == 200, url
    assert (
        answer(alice, "get", f"/api/projects/{project}/agreement/?submitted_from={quote(FAR_OFFSET)}")[1]["filters"][
            "submitted_from"
        ]
        == "0283-10-25T04:54:42+00:00"
    )


def test_an_article_dated_with_a_far_utc_offset_is_stored_in_utc(world, alice):
    status, body = answer(
        alice, "post", f"/api/projects/{world.project.pk}/articles/",
        {"external_id": "far", "body": "Text.", "published_at": FAR_OFFSET},
    )  # fmt: skip
    assert status == 201 and body["published_at"] == "0283-10-25T04:54:42Z"


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_a_date_outside_the_years_python_can_read_back_is_refused(world, alice, value):
    project = world.project.pk
    article = {"external_id": "x", "body": "B", "published_at": value}
    refusals = [
        answer(alice, "get", f"/api/projects/{project}/agreement/?submitted_from={quote(value)}"),
        answer(alice, "get", f"/api/projects/{project}/articles/?published_before={quote(value)}"),
        answer(alice, "get", f"/api/projects/{project}/export/?scope=all&since={quote(value)}"),
        answer(alice, "post", f"/api/projects/{project}/releases/", {"format": "jsonl", "since": value}),
        answer(alice, "post", f"/api/projects/{project}/articles/", article),
        # A list of articles used to store it, and then the project's articles could not be read.
        answer(alice, "post", f"/api/projects/{project}/articles/", [article]),
    ]
    for status, body in refusals:
        assert status == 400 and isinstance(body, dict), body
    assert answer(alice, "get", f"/api/projects/{project}/articles/")[0] == 200


def test_a_date_without_offset_is_read_as_utc(world, alice):
    status, body = answer(alice, "get", f"/api/projects/{world.project.pk}/agreement/?submitted_to=2020-01-01T00:00:00")
    assert status == 200 and body["filters"]["submitted_to"] == "2020-01-01T00:00:00+00:00"


# --- a NUL character reached PostgreSQL ----------------------------------------------------------
@pytest.mark.parametrize(
    "query",
    [
        "agreement/?annotator=bo%00b",
        "review-queue/?annotator=%00",
        "export/?annotator=%00",
        "speakers/?search=min%00ister",
        "claims/?similar_to=%00",
    ],
)
def test_a_nul_character_in_a_text_parameter_is_refused(world, alice, query):
    status, body = answer(alice, "get", f"/api/projects/{world.project.pk}/{query}")
    assert status == 400 and NUL_IN_TEXT in next(iter(body.values()))


def test_a_nul_character_in_a_username_is_no_member(world, alice):
    assert answer(alice, "get", f"/api/projects/{world.project.pk}/members/bo%00b/")[0] == 404


# --- export parameters: an empty or repeated choice was read as the default, or the last one -----
@pytest.mark.parametrize("query", ["format=&part=", "scope=", "format=csv&format=jsonl", "since=a&since=b"])
def test_an_export_choice_is_given_once_or_not_at_all(world, alice, query):
    status, body = answer(alice, "get", f"/api/projects/{world.project.pk}/export/?{query}")
    assert status == 400 and all(messages == [ONE_VALUE] for messages in body.values())


# --- text longer than its documented maxLength was accepted when whitespace made up the excess ----
def test_a_text_over_its_limit_is_refused_whatever_it_is_made_of(world, alice):
    name = "\u00a0" + "x" * 200  # 201 characters; 200 once trimmed
    status, body = answer(alice, "post", "/api/projects/", {"name": name})
    assert status == 400 and list(body) == ["name"]
    aliases = answer(
        alice, "post", f"/api/projects/{world.project.pk}/speakers/", {"name": "A", "aliases": [" " * 301]}
    )
    assert aliases[0] == 400 and list(aliases[1]) == ["aliases"]


# --- a number for a text, a string for a boolean: DRF converted them ------------------------------
@pytest.mark.parametrize(
    ("url", "data", "field", "message"),
    [
        ("/api/claims/{claim}/", {"text": 5.137029314299974e16, "notes": 205}, "text", NOT_A_STRING),
        ("/api/projects/{project}/", {"blind_annotation": "yes"}, "blind_annotation", NOT_A_BOOLEAN),
        ("/api/speakers/{speaker}/", {"aliases": ["Minister", 7]}, "aliases", NOT_A_STRING),
    ],
)
def test_a_json_value_of_another_type_is_refused_not_converted(world, alice, url, data, field, message):
    url = url.format(claim=world.claim.pk, project=world.project.pk, speaker=world.speaker.pk)
    status, body = answer(alice, "patch", url, data)
    assert status == 400 and body[field] == [message]


def test_a_span_text_must_be_text(world):
    bob = client_for(world.users["bob"])
    mention = {"start": 0, "end": 9, "text": "Officials", "cue": {"start": 0, "end": 9, "text": 123456789}}
    status, body = answer(bob, "post", f"/api/assignments/{world.bob_work.pk}/mentions/", mention)
    assert status == 400 and body["cue"] == {"text": [NOT_A_STRING]}


# --- NUL inside article metadata, or in an imported file, reached PostgreSQL ----------------------
def test_nul_in_article_metadata_is_refused(world, alice):
    edit = answer(alice, "patch", f"/api/articles/{world.spare_article.pk}/", {"metadata": {"a\x00": 1}})
    listed = answer(
        alice, "post", f"/api/projects/{world.project.pk}/articles/",
        [{"external_id": "m", "body": "Text.", "metadata": {"k": ["\x00"]}}],
    )  # fmt: skip
    assert edit == (400, {"metadata": [ARTICLE_NUL]})
    assert listed == (400, {"0": {"metadata": [ARTICLE_NUL]}})


# Reused by tests/test_hostile_input.py, which checks that the rest of such a file is imported.
NUL_IMPORT_FILES = [
    ("a.jsonl", b'{"external_id": "n1", "body": "a\\u0000b"}\n'),
    ("b.jsonl", b'{"external_id": "n2", "body": "ab", "metadata": {"k": "\\u0000"}}\n'),
    ("c.csv", b'external_id,body\nn3,"a\x00b"\n'),
    (
        "d.jsonl",
        b'{"article": {"external_id": "n4", "body": "Officials met."}, "annotations": [{"annotator": "zed",'
        b' "mentions": [{"start": 0, "end": 9, "text": "Officials", "speaker": {"name": "S\\u0000"}}]}]}\n',
    ),
]


@pytest.mark.parametrize(("name", "content"), NUL_IMPORT_FILES)
def test_an_imported_line_with_nul_is_rejected_not_a_500(world, alice, name, content):
    upload = io.BytesIO(content)
    upload.name = name
    with transaction.atomic():
        response = alice.post(f"/api/projects/{world.project.pk}/import/", {"file": upload}, format="multipart")
    report = finished(alice, response)["result"]
    assert (report["accepted"], report["rejected"]) == (0, 1)
    messages = [message for line in report["rejected_lines"] for field in line["errors"].values() for message in field]
    assert ARTICLE_NUL in messages


# --- an empty agreement date was read as "no date" -------------------------------------------------
def test_an_empty_agreement_date_is_refused(world, alice):
    status, body = answer(alice, "get", f"/api/projects/{world.project.pk}/agreement/?submitted_from=")
    assert status == 400 and list(body) == ["submitted_from"]
