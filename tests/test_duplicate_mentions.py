"""One mention per span, speaker and claim in an assignment, and a cap on mentions per assignment.

The same span posted 4,000 times by one annotator made the review queue, the agreement figures
and the article's review page take seconds each. Every edge that creates or changes a mention
(the API, the jsonl import, accepting a draft, copying into gold) now answers a duplicate with a
400 naming the rule, and the database holds one row.
"""

import io
import json

import pytest
from django.urls import reverse

from claims.models import Article, ClaimMention, Role, Suggestion, SuggestionDecision
from claims.services.errors import RuleViolation
from claims.services.imports import articles_file_import
from claims.services.labels import MENTION_DUPLICATE, MENTION_LIMIT, mention_create, mention_delete
from claims.services.suggestions import SUGGESTION_DUPLICATES_MENTION, article_preannotate, suggestion_accept
from tests.api import client_for, fingerprint
from tests.builders import (
    BODY,
    add_member,
    errors_of,
    make_article,
    make_assignment,
    make_claim,
    make_mention,
    make_project,
    make_speaker,
    make_user,
    span,
)
from tests.test_api_concurrency import in_parallel

QUOTE = span(BODY, "We will not back down")


@pytest.fixture
def work(article, bob):
    return make_assignment(article, bob)


def test_posting_the_same_span_twice_stores_one_mention_and_answers_400(work, bob):
    api = client_for(bob)
    url = f"/api/assignments/{work.pk}/mentions/"
    assert api.post(url, QUOTE, format="json").status_code == 201
    again = api.post(url, QUOTE, format="json")
    assert again.status_code == 400
    assert again.json() == {"non_field_errors": [MENTION_DUPLICATE]}
    assert ClaimMention.objects.filter(assignment=work).count() == 1


def test_a_duplicate_with_the_same_speaker_and_claim_is_refused_however_other_fields_differ(work, project):
    minister, claim = make_speaker(project), make_claim(project)
    make_mention(work, speaker=minister, claim=claim, stance="refute", quote_type="direct")
    errors = errors_of(mention_create, assignment=work, **QUOTE, speaker=minister, claim=claim, stance="support",
                       quote_type="indirect", cue=span(BODY, "said"))  # fmt: skip
    assert errors == {"non_field_errors": [MENTION_DUPLICATE]}
    assert ClaimMention.objects.filter(assignment=work).count() == 1


def test_the_same_span_with_another_speaker_or_claim_is_another_mention(work, project):
    minister, claim = make_speaker(project), make_claim(project)
    make_mention(work)
    make_mention(work, speaker=minister)
    make_mention(work, claim=claim)
    make_mention(work, speaker=minister, claim=claim)
    assert ClaimMention.objects.filter(assignment=work).count() == 4


def test_another_annotator_may_mark_the_same_span(article, work, carol):
    make_mention(work)
    make_mention(make_assignment(article, carol))
    assert ClaimMention.objects.filter(assignment__article=article).count() == 2


def test_a_change_that_would_make_two_mentions_identical_is_refused(work, bob, project):
    minister = make_speaker(project)
    make_mention(work, speaker=minister)
    other = make_mention(work)
    before = fingerprint()
    response = client_for(bob).patch(
        f"/api/mentions/{other.pk}/", {"speaker_id": minister.pk}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [MENTION_DUPLICATE]}
    assert fingerprint() == before


def test_an_imported_annotation_holding_a_mention_twice_is_rejected_whole(project):
    mention = {"start": 4, "end": 12, "text": "minister", "speaker": {"name": "The Minister"}}
    line = {
        "article": {"external_id": "twice", "body": "The minister said it would rain."},
        "annotations": [{"annotator": "bob", "mentions": [mention, dict(mention, quote_type="indirect")]}],
    }
    report = articles_file_import(project=project, file=io.BytesIO(json.dumps(line).encode()), filename="a.jsonl")
    assert report.rejected == [
        {"line": 1, "errors": {"annotations[0].mentions[1].non_field_errors": [MENTION_DUPLICATE]}}
    ]
    assert not Article.objects.filter(external_id="twice").exists()
    assert not ClaimMention.objects.exists()


def test_accepting_a_draft_of_a_span_already_marked_is_refused(db):
    mia, bob = make_user("mia"), make_user("bob")
    project = make_project(manager=mia)
    add_member(project, bob, Role.ANNOTATOR)
    vogt = make_speaker(project, "Lena Vogt", aliases=["Vogt"], role="Interior Minister")
    article = make_article(project, body="“We will not back down,” Interior Minister Lena Vogt said on Monday.\n")
    article_preannotate(article=article)
    draft = Suggestion.objects.get(article=article, text="We will not back down")
    work = make_assignment(article, bob)
    make_mention(work, "We will not back down", speaker=vogt)
    response = client_for(bob).post(f"/api/assignments/{work.pk}/suggestions/{draft.pk}/accept/")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [SUGGESTION_DUPLICATES_MENTION]}
    with pytest.raises(RuleViolation):
        suggestion_accept(suggestion=draft, assignment=work)
    assert ClaimMention.objects.filter(assignment=work).count() == 1
    assert not SuggestionDecision.objects.exists()


def test_the_admin_refuses_a_copy_with_a_form_error(work, client):
    mention = make_mention(work)
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    form = {
        "assignment": work.pk, "start": mention.start, "end": mention.end, "text": mention.text,
        "quote_type": "indirect", "speaker": "", "claim": "", "stance": "",
        "source_start": "", "source_end": "", "source_text": "", "cue_start": "", "cue_end": "", "cue_text": "",
    }  # fmt: skip
    response = client.post(reverse("admin:claims_claimmention_add"), form)
    assert response.status_code == 200 and "already exists" in response.content.decode()
    assert ClaimMention.objects.filter(assignment=work).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_requests_posting_the_same_span_at_once_store_one_mention():
    bob = make_user("bob")
    project = make_project(manager=make_user("mia"))
    add_member(project, bob, Role.ANNOTATOR)
    work = make_assignment(make_article(project), bob)
    url = f"/api/assignments/{work.pk}/mentions/"
    responses = in_parallel([lambda: client_for(bob).post(url, QUOTE, format="json") for _ in range(4)])
    assert sorted(response.status_code for response in responses) == [201, 400, 400, 400]
    assert ClaimMention.objects.filter(assignment=work).count() == 1


# --- the cap ---------------------------------------------------------------------------------------------------------
def test_an_assignment_holds_at_most_the_configured_number_of_mentions(work, bob, settings):
    settings.MAX_MENTIONS_PER_ASSIGNMENT = 3
    for text in ("Officials met on Tuesday", "We will not back down", "the minister said"):
        make_mention(work, text)
    response = client_for(bob).post(f"/api/assignments/{work.pk}/mentions/", span(BODY, "Critics"), format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [MENTION_LIMIT.format(limit=3)]}
    assert ClaimMention.objects.filter(assignment=work).count() == 3
    # Room again once one is deleted.
    mention_delete(mention=ClaimMention.objects.filter(assignment=work).first())
    assert make_mention(work, "Critics").pk


def test_the_cap_is_per_assignment(article, work, carol, settings):
    settings.MAX_MENTIONS_PER_ASSIGNMENT = 1
    make_mention(work)
    assert make_mention(make_assignment(article, carol)).pk


def test_an_import_past_the_cap_is_rejected(project, settings):
    settings.MAX_MENTIONS_PER_ASSIGNMENT = 1
    body = "The minister said it would rain."
    mentions = [{"start": 4, "end": 12, "text": "minister"}, {"start": 0, "end": 3, "text": "The"}]
    annotation = {"annotator": "bob", "mentions": mentions}
    line = {"article": {"external_id": "many", "body": body}, "annotations": [annotation]}
    report = articles_file_import(project=project, file=io.BytesIO(json.dumps(line).encode()), filename="a.jsonl")
    assert report.rejected == [
        {"line": 1, "errors": {"annotations[0].mentions[1].non_field_errors": [MENTION_LIMIT.format(limit=1)]}}
    ]
    assert not ClaimMention.objects.exists()
