"""Moving a mention's spans through the API, as the annotate page's span handles do: one PATCH of start, end and
text (or of source or cue) with If-Match keeps every other field; an edge that would split a character (a half
surrogate pair, or UTF-16 offsets) is refused and changes nothing."""

import json

import pytest

from claims.offsets import SPAN_TEXT_MISMATCH
from claims.untrusted_json import JSON_LONE_SURROGATE
from tests.api import client_for, fingerprint
from tests.builders import (
    add_member,
    make_article,
    make_assignment,
    make_claim,
    make_mention,
    make_project,
    make_speaker,
    make_user,
    span,
)

BODY = "The envoys 🇹🇷🇺🇸 said: “Peace 👨\u200d👩\u200d👧 now, Jose\u0301,” and left."


@pytest.fixture
def mention(db):
    project = make_project(manager=make_user("mia"), annotators_per_article=1)
    bob = make_user("bob")
    add_member(project, bob)
    work = make_assignment(make_article(project, body=BODY), bob)
    return make_mention(
        work, "Peace 👨\u200d👩\u200d👧 now", speaker=make_speaker(project, "The envoys"),
        source=span(BODY, "The envoys"), cue=span(BODY, "said"), quote_type="mixed",
        claim=make_claim(project, "Peace now"), stance="support",
    )  # fmt: skip


@pytest.fixture
def bob(mention):
    return client_for(mention.assignment.annotator)


def test_a_span_moves_and_every_other_field_is_kept(mention, bob):
    url = f"/api/mentions/{mention.pk}/"
    content = span(BODY, "Peace 👨\u200d👩\u200d👧 now, Jose\u0301")
    response = bob.patch(url, content, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200, response.content
    response = bob.patch(url, {"source": span(BODY, "The envoys 🇹🇷")}, format="json", HTTP_IF_MATCH='"2"')
    assert response.status_code == 200, response.content
    moved = response.json()
    assert {key: moved[key] for key in ("start", "end", "text")} == content
    assert moved["source"] == span(BODY, "The envoys 🇹🇷")
    assert moved["cue"] == span(BODY, "said")
    assert (moved["speaker"]["name"], moved["claim"]["text"]) == ("The envoys", "Peace now")
    assert (moved["quote_type"], moved["stance"], moved["version"]) == ("mixed", "support", 3)


def test_an_edge_inside_a_surrogate_pair_is_refused(mention, bob):
    url = f"/api/mentions/{mention.pk}/"
    before = fingerprint()
    # Half of the regional indicator 🇹 (a lone high surrogate): what a page cutting UTF-16 units would send.
    start = BODY.index("🇹")
    half = json.dumps({"start": start, "end": start + 1, "text": "\ud83c"})  # sent as the escape \ud83c
    response = bob.generic("PATCH", url, half, "application/json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    assert response.json() == {"text": [f"text: {JSON_LONE_SURROGATE}"]}
    # UTF-16 offsets of "Peace": four past its code points (the two flags: four code points, eight units).
    at = len(BODY[: BODY.index("Peace")].encode("utf-16-le")) // 2
    response = bob.patch(url, {"start": at, "end": at + 5, "text": "Peace"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    actual = BODY[at : at + 5]
    assert response.json()["text"] == [SPAN_TEXT_MISMATCH.format(start=at, end=at + 5, actual=actual)]
    assert fingerprint() == before
