"""Bad input gets a 4xx with field-level messages and changes nothing; never a 500."""

import json

import pytest
from django.test import override_settings

from claims import offsets
from claims.models import Assignment, ClaimMention
from claims.services.labels import STANCE_UNKNOWN
from tests.api import build_world, client_for, fingerprint
from tests.builders import make_article, make_assignment

EMOJI_BODY = "🇹🇷 Flag first 👨‍👩‍👧 then: “We stand firm,” said the café’s owner (e\u0301)."


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def bob(world):
    return client_for(world.users["bob"])


def quote(body: str, text: str) -> dict:
    start = body.index(text)
    return {"start": start, "end": start + len(text), "text": text}


def utf16(body: str, text: str) -> dict:
    """The offsets a browser would report (UTF-16 units): wrong for this API."""
    start = len(body[: body.index(text)].encode("utf-16-le")) // 2
    return {"start": start, "end": start + len(text.encode("utf-16-le")) // 2, "text": text}


BODY = "Officials met on Tuesday 🚀. “We will not back down,” the minister said.\n"
GOOD = {"start": 0, "end": 9, "text": "Officials"}

MENTION_CASES = [
    ("start as a string", {**GOOD, "start": "0"}, "start"),
    ("start as a fraction", {**GOOD, "start": 0.5}, "start"),
    ("start as a boolean", {**GOOD, "start": False}, "start"),
    ("start missing", {"end": 9, "text": "Officials"}, "start"),
    ("negative offset", {**GOOD, "start": -1}, "start"),
    ("offset past 2^31", {"start": 2**31, "end": 2**31 + 3, "text": "abc"}, "start"),
    ("huge integer", {**GOOD, "end": 10**40}, "end"),
    ("reversed offsets", {"start": 9, "end": 0, "text": "Officials"}, "text"),
    ("empty span", {"start": 3, "end": 3, "text": ""}, "text"),
    ("span past the end of the body", {"start": 100, "end": 1000, "text": "x" * 900}, "text"),
    ("text that is not body[start:end]", {**GOOD, "text": "officials"}, "text"),
    ("text missing", {"start": 0, "end": 9}, "text"),
    ("unknown quote type", {**GOOD, "quote_type": "paraphrase"}, "quote_type"),
    ("stance outside the label set", {**GOOD, "claim_id": "CLAIM", "stance": "agree"}, "stance"),
    ("article-only stance on a mention", {**GOOD, "claim_id": "CLAIM", "stance": "unrelated"}, "stance"),
    ("stance without a claim", {**GOOD, "stance": "support"}, "stance"),
    ("unknown speaker (stance holder)", {**GOOD, "speaker_id": 987654}, "speaker_id"),
    ("speaker of another project", {**GOOD, "speaker_id": "OTHER_SPEAKER"}, "speaker_id"),
    ("claim of another project", {**GOOD, "claim_id": "OTHER_CLAIM"}, "claim_id"),
    ("speaker id as text", {**GOOD, "speaker_id": "1"}, "speaker_id"),
    ("source that is not a span", {**GOOD, "source": "the minister"}, "source"),
    ("source text mismatch", {**GOOD, "source": {"start": 0, "end": 3, "text": "Off!"}}, "source"),
    ("cue with reversed offsets", {**GOOD, "cue": {"start": 5, "end": 1, "text": "xxxx"}}, "cue"),
    ("a field nobody can set", {**GOOD, "annotator": "carol"}, "annotator"),
    ("a misspelt field", {**GOOD, "qoute_type": "direct"}, "qoute_type"),
]


@pytest.mark.parametrize(("name", "payload", "field"), MENTION_CASES, ids=[c[0] for c in MENTION_CASES])
def test_bad_mention_is_refused_with_a_field_message(world, bob, name, payload, field):
    replacements = {
        "CLAIM": world.claim.pk,
        "OTHER_SPEAKER": world.other_speaker.pk,
        "OTHER_CLAIM": world.other_claim.pk,
    }
    payload = {k: replacements.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
    before = fingerprint()
    response = bob.post(f"/api/assignments/{world.bob_work.pk}/mentions/", payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert fingerprint() == before


def test_messages_say_what_is_wrong(world, bob):
    url = f"/api/assignments/{world.bob_work.pk}/mentions/"
    response = bob.post(url, {**GOOD, "text": "officials"}, format="json")
    assert response.json() == {"text": [offsets.SPAN_TEXT_MISMATCH.format(start=0, end=9, actual="Officials")]}
    response = bob.post(url, {**GOOD, "claim_id": world.claim.pk, "stance": "agree"}, format="json")
    assert response.json() == {
        "stance": [STANCE_UNKNOWN.format(value="agree", holder="mentions", allowed="support, refute, neutral, query")]
    }


def test_emoji_article_takes_code_point_offsets_and_refuses_utf16_ones(world, bob):
    article = make_article(world.project, body=EMOJI_BODY)
    work = make_assignment(article, world.users["bob"])
    url = f"/api/assignments/{work.pk}/mentions/"
    assert utf16(EMOJI_BODY, "We stand firm") != quote(EMOJI_BODY, "We stand firm")
    assert bob.post(url, utf16(EMOJI_BODY, "We stand firm"), format="json").status_code == 400
    response = bob.post(url, quote(EMOJI_BODY, "We stand firm"), format="json")
    assert response.status_code == 201
    stored = ClaimMention.objects.get(pk=response.json()["id"])
    assert EMOJI_BODY[stored.start : stored.end] == "We stand firm"
    combining = quote(EMOJI_BODY, "(e\u0301)")
    assert bob.post(url, combining, format="json").status_code == 201


@pytest.mark.parametrize(
    ("content_type", "data", "status"),
    [
        ("application/json", "{not json", 400),
        ("application/json", "[1, 2]", 400),
        ("application/json", "null", 400),
        ("text/plain", "start=0", 415),
        ("application/x-www-form-urlencoded", "start=0&end=9&text=Officials", 415),
        ("application/xml", "<mention/>", 415),
    ],
)
def test_malformed_bodies_and_wrong_content_types(world, bob, content_type, data, status):
    before = fingerprint()
    response = bob.generic("POST", f"/api/assignments/{world.bob_work.pk}/mentions/", data, content_type)
    assert response.status_code == status, response.content
    assert fingerprint() == before


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=2048)
def test_oversized_body_gets_413(world, bob):
    before = fingerprint()
    payload = json.dumps({**GOOD, "padding": "x" * 5000})
    response = bob.generic("POST", f"/api/assignments/{world.bob_work.pk}/mentions/", payload, "application/json")
    assert response.status_code == 413
    assert fingerprint() == before


@pytest.mark.parametrize(
    ("if_match", "status"),
    [(None, 428), ('"99"', 412), ("not-a-version", 400), ('"1"', 200), ("*", 200)],
)
def test_writes_need_a_current_if_match(world, bob, if_match, status):
    mention = world.bob_mention
    headers = {"HTTP_IF_MATCH": if_match} if if_match else {}
    before = fingerprint()
    response = bob.patch(f"/api/mentions/{mention.pk}/", {"quote_type": "mixed"}, format="json", **headers)
    assert response.status_code == status
    if status != 200:
        assert fingerprint() == before
    else:
        assert response["ETag"] == '"2"' and response.json()["version"] == 2


def test_stale_write_says_which_version_is_current(world, bob):
    url = f"/api/mentions/{world.bob_mention.pk}/"
    bob.patch(url, {"quote_type": "mixed"}, format="json", HTTP_IF_MATCH='"1"')
    response = bob.delete(url, HTTP_IF_MATCH='"1"')
    assert response.status_code == 412
    assert response.json()["current_version"] == 2 and response["ETag"] == '"2"'
    assert ClaimMention.objects.filter(pk=world.bob_mention.pk).exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "assigned"}, "status"),
        ({"status": "skipped"}, "skip_reason"),
        ({"status": "submitted", "annotator_id": 1}, "annotator_id"),
        ({}, "status"),
    ],
)
def test_bad_status_changes(world, bob, payload, field):
    before = fingerprint()
    version = Assignment.objects.get(pk=world.bob_work.pk).version
    response = bob.patch(f"/api/assignments/{world.bob_work.pk}/", payload, format="json", HTTP_IF_MATCH=f'"{version}"')
    assert response.status_code == 400 and field in response.json(), response.content
    assert fingerprint() == before


@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        ("/api/projects/", {"name": ""}, "name"),
        ("/api/projects/", {"name": "X", "annotators_per_article": 0}, "annotators_per_article"),
        ("/api/projects/", {"name": "X", "stance_labels": [{"value": "a b"}]}, "stance_labels"),
        ("/api/projects/", {"name": "X", "stance_labels": "support"}, "stance_labels"),
        ("ARTICLES", {"external_id": "x", "body": ""}, "body"),
        ("ARTICLES", {"external_id": "x", "body": "t", "url": "javascript:alert(1)"}, "url"),
        ("ARTICLES", {"external_id": "x", "body": "t", "published_at": "soon"}, "published_at"),
        ("ARTICLES", [{"external_id": "ok", "body": "fine"}, {"external_id": "bad"}], "1"),
        ("ARTICLES", "just a string", "non_field_errors"),
        ("SPEAKERS", {"name": "X", "kind": "robot"}, "kind"),
        ("SPEAKERS", {"name": "X", "aliases": "not a list"}, "aliases"),
        ("SPEAKERS", {"name": "X", "wikidata_qid": "12"}, "wikidata_qid"),
        ("SPEAKERS", {"name": "The Minister"}, "name"),
        ("CLAIMS", {"text": "   "}, "text"),
        ("CLAIMS", {"text": "the plan is RECKLESS"}, "text"),
        ("MEMBERS", {"username": "nobody", "role": "annotator"}, "username"),
        ("MEMBERS", {"username": "bob", "role": "owner"}, "role"),
        ("ARTICLE_STANCES", {"claim_id": "CLAIM", "stance": "agree"}, "stance"),
        ("ARTICLE_STANCES", {"claim_id": "OTHER_CLAIM", "stance": "neutral"}, "claim_id"),
    ],
)
def test_bad_input_on_other_routes(world, url, payload, field):
    routes = {
        "ARTICLES": f"/api/projects/{world.project.pk}/articles/",
        "SPEAKERS": f"/api/projects/{world.project.pk}/speakers/",
        "CLAIMS": f"/api/projects/{world.project.pk}/claims/",
        "MEMBERS": f"/api/projects/{world.project.pk}/members/",
        "ARTICLE_STANCES": f"/api/assignments/{world.bob_work.pk}/article-stances/",
    }
    if isinstance(payload, dict):
        ids = {"CLAIM": world.claim.pk, "OTHER_CLAIM": world.other_claim.pk}
        payload = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
    user = world.users["bob" if url == "ARTICLE_STANCES" else "alice"]
    before = fingerprint()
    response = client_for(user).post(routes.get(url, url), payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    assert fingerprint() == before


def test_an_existing_article_with_another_body_is_a_conflict_not_an_overwrite(world):
    alice = client_for(world.users["alice"])
    url = f"/api/projects/{world.project.pk}/articles/"
    assert alice.post(url, {"external_id": "dup", "body": "First."}, format="json").status_code == 201
    again = alice.post(url, {"external_id": "dup", "body": "First."}, format="json")
    assert again.status_code == 200
    before = fingerprint()
    response = alice.post(url, {"external_id": "dup", "body": "Second."}, format="json")
    assert response.status_code == 400 and "external_id" in response.json()
    assert fingerprint() == before


def test_unknown_ordering_is_refused(world):
    response = client_for(world.users["alice"]).get(
        f"/api/projects/{world.project.pk}/assignments/", {"ordering": "annotator__password"}
    )
    assert response.status_code == 400 and "ordering" in response.json()


def test_unknown_filters_never_reach_the_database(world):
    url = f"/api/projects/{world.project.pk}/assignments/"
    everything = client_for(world.users["alice"]).get(url).json()["results"]
    filtered = client_for(world.users["alice"]).get(url, {"annotator__password__startswith": "md5"}).json()
    assert filtered["results"] == everything
