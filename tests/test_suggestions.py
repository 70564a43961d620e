"""Pre-annotation in the app: drafts are stored apart from labels, accepted or rejected per assignment,
and never count as labels (agreement, review) until accepted."""

import json

import pytest
from django.core.management import call_command

from claims.agreement import project_agreement
from claims.models import Article, ClaimMention, Project, Role, Speaker, Suggestion, SuggestionDecision
from claims.services.assignments import assignment_submit
from claims.services.errors import RuleViolation
from claims.services.labels import mention_update
from claims.services.suggestions import (
    SUGGESTION_DECIDED,
    SUGGESTION_DUPLICATES_MENTION,
    SUGGESTION_NOT_DECIDED,
    SUGGESTIONS_NOT_PENDING,
    article_preannotate,
    suggestion_accept,
    suggestion_reject,
)
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
)
from tests.jobs import finished

BODY = (
    "“We will not back down,” Interior Minister Lena Vogt said on Monday.\n\n"
    "According to the ministry, the plan will cost 40 million euros.\n"
)


@pytest.fixture
def desk(db):
    mia, bob, carol = make_user("mia"), make_user("bob"), make_user("carol")
    project = make_project(manager=mia, annotators_per_article=2)
    add_member(project, bob, Role.ANNOTATOR)
    add_member(project, carol, Role.ANNOTATOR)
    make_speaker(project, "Lena Vogt", aliases=["Vogt"], role="Interior Minister")
    article = make_article(project, body=BODY)
    article_preannotate(article=article)
    return project, article, mia, bob, carol


def test_drafts_are_stored_apart_from_labels(desk):
    project, article, *_ = desk
    drafts = list(Suggestion.objects.filter(article=article).order_by("start"))
    assert (drafts[0].text, drafts[0].quote_type) == ("We will not back down", "direct")
    quote = drafts[0]
    assert quote.speaker.name == "Lena Vogt" and quote.cue_text == "said"
    assert all(BODY[d.start : d.end] == d.text for d in drafts)
    assert not ClaimMention.objects.exists()


def test_preannotating_again_keeps_decided_drafts_and_adds_no_duplicates(desk):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    first = Suggestion.objects.filter(article=article).order_by("start").first()
    suggestion_reject(suggestion=first, assignment=work)
    count = Suggestion.objects.filter(article=article).count()
    article_preannotate(article=article)
    assert Suggestion.objects.filter(article=article).count() == count
    assert Suggestion.objects.filter(pk=first.pk).exists()


def test_accepting_creates_a_mention_in_the_annotators_own_work(desk):
    project, article, mia, bob, carol = desk
    bob_work, carol_work = make_assignment(article, bob), make_assignment(article, carol)
    quote = Suggestion.objects.get(article=article, text="We will not back down")
    mention = suggestion_accept(suggestion=quote, assignment=bob_work)
    assert (mention.assignment, mention.text, mention.speaker.name, mention.cue_text) == (
        bob_work,
        "We will not back down",
        "Lena Vogt",
        "said",
    )
    assert quote not in Suggestion.objects.pending_for(bob_work)
    assert quote in Suggestion.objects.pending_for(carol_work)  # each annotator decides for themselves
    with pytest.raises(RuleViolation) as refused:
        suggestion_accept(suggestion=quote, assignment=bob_work)
    assert refused.value.errors == {"suggestion": [SUGGESTION_DECIDED.format(decision="accepted")]}


def test_accepting_a_draft_with_a_new_speaker_creates_the_speaker(desk):
    project, article, mia, bob, carol = desk
    ministry = Suggestion.objects.filter(article=article, speaker__isnull=True).exclude(speaker_name="").first()
    assert ministry is not None and ministry.speaker_name
    mention = suggestion_accept(suggestion=ministry, assignment=make_assignment(article, bob))
    assert mention.speaker == Speaker.objects.get(project=project, name=ministry.speaker_name)


def test_suggestions_count_nowhere_until_accepted(desk):
    project, article, mia, bob, carol = desk
    for user in (bob, carol):
        assignment_submit(assignment=make_assignment(article, user))
    figures = project_agreement(project=project)
    assert figures["mention_spans"]["pairs"][0]["n_spans"] == [0, 0]
    assert Suggestion.objects.filter(article=article).exists()


def test_api_lists_accepts_and_rejects(desk):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    api = client_for(bob)
    pending = api.get(f"/api/assignments/{work.pk}/suggestions/").json()
    assert pending[0]["text"] == "We will not back down" and pending[0]["speaker"]["name"] == "Lena Vogt"
    accepted = api.post(f"/api/assignments/{work.pk}/suggestions/{pending[0]['id']}/accept/")
    assert accepted.status_code == 201 and accepted.json()["assignment"] == work.pk
    rejected = api.post(f"/api/assignments/{work.pk}/suggestions/{pending[1]['id']}/reject/")
    assert rejected.status_code == 204
    assert [s["id"] for s in api.get(f"/api/assignments/{work.pk}/suggestions/").json()] == [
        s["id"] for s in pending[2:]
    ]
    assert SuggestionDecision.objects.filter(assignment=work).count() == 2


def test_nobody_decides_in_someone_elses_work(desk):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    draft = Suggestion.objects.filter(article=article).first()
    outsider = client_for(make_user("zed"))
    before = fingerprint()
    assert client_for(carol).post(f"/api/assignments/{work.pk}/suggestions/{draft.pk}/accept/").status_code == 404
    assert client_for(mia).post(f"/api/assignments/{work.pk}/suggestions/{draft.pk}/accept/").status_code == 403
    assert outsider.post(f"/api/assignments/{work.pk}/suggestions/{draft.pk}/reject/").status_code == 404
    assert fingerprint() == before and not SuggestionDecision.objects.exists()


def _decision_url(work, suggestion) -> str:
    return f"/api/assignments/{work.pk}/suggestions/{suggestion.pk}/decision/"


def test_undoing_an_accept_deletes_its_mention_and_makes_the_suggestion_pending_again(desk):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    quote = Suggestion.objects.get(article=article, text="We will not back down")
    api = client_for(bob)
    accepted = api.post(f"/api/assignments/{work.pk}/suggestions/{quote.pk}/accept/")
    undone = api.delete(_decision_url(work, quote), HTTP_IF_MATCH=accepted["ETag"])
    assert undone.status_code == 204, undone.content
    assert not ClaimMention.objects.exists() and not SuggestionDecision.objects.exists()
    assert quote in Suggestion.objects.pending_for(work)
    # Pending again means it can be accepted again (the page's redo).
    assert api.post(f"/api/assignments/{work.pk}/suggestions/{quote.pk}/accept/").status_code == 201


def test_undoing_a_reject_makes_the_suggestion_pending_again(desk):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    quote = Suggestion.objects.get(article=article, text="We will not back down")
    suggestion_reject(suggestion=quote, assignment=work)
    assert client_for(bob).delete(_decision_url(work, quote), HTTP_IF_MATCH="*").status_code == 204
    assert quote in Suggestion.objects.pending_for(work) and not SuggestionDecision.objects.exists()


def test_an_undo_that_meets_a_newer_mention_changes_nothing(desk):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    quote = Suggestion.objects.get(article=article, text="We will not back down")
    mention = suggestion_accept(suggestion=quote, assignment=work)
    mention_update(mention=mention, quote_type="mixed")  # changed since the page read version 1
    before = (fingerprint(), SuggestionDecision.objects.count())
    stale = client_for(bob).delete(_decision_url(work, quote), HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412 and stale["ETag"] == '"2"'
    missing = client_for(bob).delete(_decision_url(work, quote))
    assert missing.status_code == 428
    assert (fingerprint(), SuggestionDecision.objects.count()) == before


def test_undoing_an_accept_whose_mention_is_gone_only_returns_the_suggestion(desk):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    quote = Suggestion.objects.get(article=article, text="We will not back down")
    mention = suggestion_accept(suggestion=quote, assignment=work)
    assert client_for(bob).delete(f"/api/mentions/{mention.pk}/", HTTP_IF_MATCH='"1"').status_code == 204
    assert client_for(bob).delete(_decision_url(work, quote), HTTP_IF_MATCH="*").status_code == 204
    assert quote in Suggestion.objects.pending_for(work)


def test_a_pending_suggestion_has_no_decision_to_undo(desk):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    quote = Suggestion.objects.get(article=article, text="We will not back down")
    response = client_for(bob).delete(_decision_url(work, quote), HTTP_IF_MATCH="*")
    assert response.status_code == 400
    assert response.json() == {"suggestion": [SUGGESTION_NOT_DECIDED]}


def test_only_the_assignments_annotator_undoes_its_decisions_and_only_while_it_is_open(desk):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    carol_work = make_assignment(article, carol)
    quote = Suggestion.objects.get(article=article, text="We will not back down")
    mention = suggestion_accept(suggestion=quote, assignment=work)
    suggestion_reject(suggestion=quote, assignment=carol_work)
    zed = make_user("zed")
    before = (fingerprint(), SuggestionDecision.objects.count())
    if_match = f'"{mention.version}"'
    assert client_for(carol).delete(_decision_url(work, quote), HTTP_IF_MATCH=if_match).status_code == 404
    assert client_for(mia).delete(_decision_url(work, quote), HTTP_IF_MATCH=if_match).status_code == 403
    assert client_for(zed).delete(_decision_url(work, quote), HTTP_IF_MATCH=if_match).status_code == 404
    assert client_for().delete(_decision_url(work, quote), HTTP_IF_MATCH=if_match).status_code == 401
    assert (fingerprint(), SuggestionDecision.objects.count()) == before
    # Another article's suggestion is not found through this assignment.
    other = make_article(project, body=BODY, external_id="other")
    article_preannotate(article=other)
    elsewhere = Suggestion.objects.filter(article=other).first()
    assert client_for(bob).delete(_decision_url(work, elsewhere), HTTP_IF_MATCH="*").status_code == 404
    assignment_submit(assignment=work)
    closed = client_for(bob).delete(_decision_url(work, quote), HTTP_IF_MATCH=if_match)
    assert closed.status_code == 400 and "assignment" in closed.json()
    assert ClaimMention.objects.filter(pk=mention.pk).exists() and SuggestionDecision.objects.count() == 2


def test_accepting_a_suggestion_already_marked_with_the_same_speaker_is_refused(desk):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    vogt = Speaker.objects.get(project=project, name="Lena Vogt")
    # Marked by hand already, and linked to a claim: a suggestion (never linked) would be the same attribution.
    make_mention(work, "We will not back down", speaker=vogt, claim=make_claim(project, "The plan stands"))
    quote = Suggestion.objects.get(article=article, text="We will not back down")
    before = (fingerprint(), SuggestionDecision.objects.count())
    refused = client_for(bob).post(f"/api/assignments/{work.pk}/suggestions/{quote.pk}/accept/")
    assert refused.status_code == 400
    assert refused.json() == {"non_field_errors": [SUGGESTION_DUPLICATES_MENTION]}
    assert (fingerprint(), SuggestionDecision.objects.count()) == before


def test_a_suggestion_with_a_new_speaker_is_refused_when_that_speaker_already_has_the_span(desk):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    ministry = Suggestion.objects.filter(article=article, speaker__isnull=True).exclude(speaker_name="").first()
    speaker = make_speaker(project, ministry.speaker_name)
    make_mention(work, ministry.text, speaker=speaker)
    with pytest.raises(RuleViolation) as refused:
        suggestion_accept(suggestion=ministry, assignment=work)
    assert refused.value.errors == {"non_field_errors": [SUGGESTION_DUPLICATES_MENTION]}
    # The same words by another speaker are another attribution: accepted.
    ministry.speaker_name = "Someone Else"
    assert suggestion_accept(suggestion=ministry, assignment=work).speaker.name == "Someone Else"


def test_on_demand_preannotation_is_for_managers(desk):
    project, article, mia, bob, carol = desk
    Suggestion.objects.all().delete()
    assert client_for(bob).post(f"/api/projects/{project.pk}/preannotate/").status_code == 403
    job = finished(client_for(mia), client_for(mia).post(f"/api/projects/{project.pk}/preannotate/"))
    assert job["kind"] == "preannotate" and job["result"]["articles"] == 1 and job["result"]["suggestions"] >= 2
    assert client_for(mia).post(f"/api/articles/{article.pk}/preannotate/").status_code == 200


@pytest.mark.django_db
def test_preannotate_command_and_demo_seed_drafts():
    call_command("load_seeds")
    demo = Article.objects.get(project__slug="demo")
    assert Suggestion.objects.filter(article=demo).count() >= 8  # the demo opens with drafted attributions
    Suggestion.objects.all().delete()
    call_command("preannotate", "--project", "demo")
    assert Suggestion.objects.filter(article=demo).exists()
    with pytest.raises(Exception, match="No project"):
        call_command("preannotate", "--project", "nope")
    assert Project.objects.count() == 1


def test_import_drafts_attributions_for_new_articles_and_exports_never_carry_them(desk):
    from io import BytesIO

    project, article, mia, bob, carol = desk
    upload = BytesIO(b'{"external_id": "n1", "body": "\\u201cIt will rain,\\u201d the forecaster said."}\n')
    upload.name = "new.jsonl"
    response = client_for(mia).post(f"/api/projects/{project.pk}/import/", {"file": upload}, format="multipart")
    assert finished(client_for(mia), response)["result"]["suggestions"] == 1
    assert Suggestion.objects.filter(article__external_id="n1").count() == 1
    export = client_for(mia).get(f"/api/projects/{project.pk}/export/", {"format": "jsonl", "scope": "all"})
    records = [json.loads(line) for line in b"".join(export.streaming_content).decode().splitlines()]
    assert {r["article"]["external_id"] for r in records} == {article.external_id, "n1"}
    assert all(r["annotations"] == [] for r in records)  # drafts are not labels


def test_projects_can_turn_drafting_on_import_off(desk):
    from io import BytesIO

    project, article, mia, bob, carol = desk
    project.preannotate_on_import = False
    project.save()
    upload = BytesIO(b'{"external_id": "n2", "body": "\\u201cIt will rain,\\u201d the forecaster said."}\n')
    upload.name = "new.jsonl"
    response = client_for(mia).post(f"/api/projects/{project.pk}/import/", {"file": upload}, format="multipart")
    assert finished(client_for(mia), response)["result"]["suggestions"] == 0
    assert not Suggestion.objects.filter(article__external_id="n2").exists()


# --- many at once: POST /api/assignments/{id}/suggestions/decisions/ ---------------------------------
def decisions_url(work) -> str:
    return f"/api/assignments/{work.pk}/suggestions/decisions/"


def decision_rows() -> list[tuple]:
    return sorted(SuggestionDecision.objects.values_list("suggestion_id", "assignment_id", "decision", "mention_id"))


def test_accepting_many_at_once_makes_a_mention_of_each_and_says_which(desk):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    drafts = list(Suggestion.objects.filter(article=article).order_by("start"))
    response = client_for(bob).post(
        decisions_url(work), {"ids": [d.pk for d in reversed(drafts)], "decision": "accepted"}, format="json"
    )
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert answer["decision"] == "accepted"
    assert [r["suggestion"] for r in answer["results"]] == [d.pk for d in drafts]  # text order
    made = {m.pk: m for m in ClaimMention.objects.filter(assignment=work)}
    assert len(made) == len(drafts)
    for result, draft in zip(answer["results"], drafts, strict=True):
        mention = made[result["mention"]["id"]]
        assert (mention.start, mention.end, mention.text, result["mention"]["version"]) == (
            draft.start, draft.end, draft.text, mention.version)  # fmt: skip
    assert not Suggestion.objects.pending_for(work).exists()
    assert Suggestion.objects.pending_for(make_assignment(article, carol)).count() == len(drafts)  # hers to decide


def test_rejecting_many_at_once_writes_only_decisions(desk):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    drafts = list(Suggestion.objects.filter(article=article).order_by("start"))
    response = client_for(bob).post(decisions_url(work), {"ids": [d.pk for d in drafts], "decision": "rejected"},
                                    format="json")  # fmt: skip
    assert response.status_code == 200
    assert response.json()["results"] == [{"suggestion": d.pk, "mention": None} for d in drafts]
    assert not ClaimMention.objects.exists()
    assert decision_rows() == sorted((d.pk, work.pk, "rejected", None) for d in drafts)


def test_another_projects_suggestion_refuses_the_whole_step(desk):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    elsewhere = make_project(manager=make_user("olga"), name="Elsewhere")
    add_member(elsewhere, bob, Role.ANNOTATOR)
    foreign = make_article(elsewhere, body=BODY)
    article_preannotate(article=foreign)
    theirs = Suggestion.objects.filter(article=foreign).first()
    ours = Suggestion.objects.filter(article=article).first()
    before = fingerprint()
    for decision in ("accepted", "rejected"):
        response = client_for(bob).post(decisions_url(work), {"ids": [ours.pk, theirs.pk], "decision": decision},
                                        format="json")  # fmt: skip
        assert response.status_code == 400
        assert response.json() == {"ids": [SUGGESTIONS_NOT_PENDING.format(ids=theirs.pk)]}
    assert fingerprint() == before and not SuggestionDecision.objects.exists()


def test_a_suggestion_decided_before_refuses_the_whole_step(desk):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    first, *rest = Suggestion.objects.filter(article=article).order_by("start")
    suggestion_reject(suggestion=first, assignment=work)
    response = client_for(bob).post(decisions_url(work), {"ids": [r.pk for r in rest] + [first.pk],
                                                           "decision": "accepted"}, format="json")  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {"ids": [SUGGESTIONS_NOT_PENDING.format(ids=first.pk)]}
    assert not ClaimMention.objects.exists() and decision_rows() == [(first.pk, work.pk, "rejected", None)]


def test_one_accept_the_rules_refuse_undoes_the_others(desk):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    first, second, *_ = Suggestion.objects.filter(article=article).order_by("start")
    # Bob already marked the second draft's span with its speaker: accepting it would duplicate the mention.
    speaker = second.speaker or make_speaker(project, second.speaker_name)
    existing = ClaimMention.objects.create(assignment=work, start=second.start, end=second.end, text=second.text,
                                           speaker=speaker, quote_type=second.quote_type)  # fmt: skip
    response = client_for(bob).post(decisions_url(work), {"ids": [first.pk, second.pk], "decision": "accepted"},
                                    format="json")  # fmt: skip
    assert response.status_code == 400
    assert response.json()["ids"][0].startswith(f"Suggestion {second.pk} (“{second.text}”) cannot be accepted:")
    assert list(ClaimMention.objects.all()) == [existing] and not SuggestionDecision.objects.exists()


def test_only_the_works_annotator_decides_many(desk):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    ids = list(Suggestion.objects.filter(article=article).values_list("pk", flat=True))
    body = {"ids": ids, "decision": "accepted"}
    zed = make_user("zed")
    before = fingerprint()
    assert client_for().post(decisions_url(work), body, format="json").status_code in (401, 403)
    assert client_for(zed).post(decisions_url(work), body, format="json").status_code == 404
    assert client_for(carol).post(decisions_url(work), body, format="json").status_code == 404
    assert client_for(mia).post(decisions_url(work), body, format="json").status_code == 403
    assert fingerprint() == before and not SuggestionDecision.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"ids": [], "decision": "accepted"},
        {"ids": ["1"], "decision": "accepted"},
        {"ids": [1.0], "decision": "rejected"},
        {"ids": [1], "decision": "maybe"},
        {"ids": [1]},
        {"ids": [1], "decision": "accepted", "speaker_id": 3},
        {"ids": list(range(1, 1003)), "decision": "rejected"},
    ],
)
def test_bad_bulk_input_is_a_400(desk, body):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    assert client_for(bob).post(decisions_url(work), body, format="json").status_code == 400
    assert not SuggestionDecision.objects.exists()


def test_a_speaker_many_drafts_propose_is_created_once(desk):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    drafts = list(Suggestion.objects.filter(article=article).order_by("start"))
    Suggestion.objects.filter(pk__in=[d.pk for d in drafts]).update(speaker=None, speaker_name="Ada Okafor")
    response = client_for(bob).post(decisions_url(work), {"ids": [d.pk for d in drafts], "decision": "accepted"},
                                    format="json")  # fmt: skip
    assert response.status_code == 200
    ada = Speaker.objects.get(project=project, name="Ada Okafor")
    assert {r["mention"]["speaker"]["id"] for r in response.json()["results"]} == {ada.pk}


def test_a_bulk_accept_past_the_cap_decides_nothing(desk, settings):
    project, article, mia, bob, carol = desk
    work = make_assignment(article, bob)
    drafts = list(Suggestion.objects.filter(article=article).order_by("start"))
    settings.MAX_MENTIONS_PER_ASSIGNMENT = len(drafts) - 1
    response = client_for(bob).post(decisions_url(work), {"ids": [d.pk for d in drafts], "decision": "accepted"},
                                    format="json")  # fmt: skip
    assert response.status_code == 400
    assert response.json()["ids"][0].startswith("These suggestions cannot be accepted: ")
    assert not ClaimMention.objects.exists() and not SuggestionDecision.objects.exists()
