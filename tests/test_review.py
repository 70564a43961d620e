"""Review and adjudication through the API: the queue, lining up, copying into gold, reviewed, sent back."""

import pytest
from django.core.management import call_command

from claims.models import ArticleStance, Assignment, ClaimMention, Project, Role
from claims.services.assignments import assignment_submit
from claims.services.labels import article_stance_set
from claims.services.review import COPY_DUPLICATE
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


@pytest.fixture
def room(db):
    """Bob and Carol submitted work on one article, disagreeing on one mention's stance; Rita reviews."""
    mia, bob, carol, rita = (make_user(name) for name in ("mia", "bob", "carol", "rita"))
    project = make_project(manager=mia, name="Newsroom")
    add_member(project, bob, Role.ANNOTATOR)
    add_member(project, carol, Role.ANNOTATOR)
    add_member(project, rita, Role.REVIEWER)
    article = make_article(project)
    claim = make_claim(project)
    minister = make_speaker(project, "The Minister")
    works = {}
    for user, stance in ((bob, "refute"), (carol, "support")):
        work = make_assignment(article, user)
        make_mention(work, "We will not back down", speaker=minister, claim=claim, stance=stance)
        make_mention(work, "Officials met on Tuesday")
        article_stance_set(assignment=work, claim=claim, stance="neutral")
        works[user.username] = assignment_submit(assignment=work)
    calm = make_article(project, external_id="calm")
    for user in (bob, carol):
        work = make_assignment(calm, user)
        make_mention(work, "Officials met on Tuesday")
        assignment_submit(assignment=work)
    return {"project": project, "article": article, "calm": calm, "claim": claim, "works": works,
            "users": {"mia": mia, "bob": bob, "carol": carol, "rita": rita}}  # fmt: skip


def test_queue_puts_the_disagreeing_article_first(room):
    rita = client_for(room["users"]["rita"])
    queue = rita.get(f"/api/projects/{room['project'].pk}/review-queue/").json()
    assert [item["article"]["id"] for item in queue] == [room["article"].pk, room["calm"].pk]
    first, second = queue
    assert (first["units"], first["disagreeing"], first["reviewed"]) == (2, 1, False)
    assert first["disagreement"] == pytest.approx(0.5) and second["disagreement"] == 0
    disagreeing = rita.get(f"/api/projects/{room['project'].pk}/review-queue/", {"status": "disagreeing"}).json()
    assert [item["article"]["id"] for item in disagreeing] == [room["article"].pk]
    assert rita.get(f"/api/projects/{room['project'].pk}/review-queue/", {"status": "bogus"}).status_code == 400


def test_queue_ranks_only_complete_articles_and_lists_the_rest_apart(room):
    late = make_user("late")
    add_member(room["project"], late, Role.ANNOTATOR)
    make_assignment(room["calm"], late)  # a third annotator still at work on the calm article
    half = make_article(room["project"], external_id="half")
    work = make_assignment(half, room["users"]["bob"])
    make_mention(work, "Officials met on Tuesday")
    assignment_submit(assignment=work)  # 1 of 2: its disagreement, 0, says nothing yet
    queue = client_for(room["users"]["rita"]).get(f"/api/projects/{room['project'].pk}/review-queue/").json()
    assert [(item["article"]["id"], item["submitted"], item["expected"], item["complete"]) for item in queue] == [
        (room["article"].pk, 2, 2, True),
        (room["calm"].pk, 2, 3, False),
        (half.pk, 1, 2, False),
    ]


def test_the_queue_page_shows_k_of_n_and_keeps_incomplete_articles_apart(room, client):
    half = make_article(room["project"], external_id="half", title="Half done")
    assignment_submit(assignment=make_assignment(half, room["users"]["bob"]))
    client.force_login(room["users"]["rita"])
    html = client.get(f"/projects/{room['project'].pk}/review/").content.decode()
    ready, waiting = html.split('id="incomplete-title"')
    assert "2 of 2" in ready and "Half done" not in ready
    assert "Half done" in waiting and "1 of 2" in waiting


def test_a_sent_back_annotator_keeps_their_column_marked_with_the_comment(room):
    rita = client_for(room["users"]["rita"])
    work = room["works"]["bob"]
    rita.patch(f"/api/assignments/{work.pk}/", {"status": "in_progress", "review_comment": "Mark the cue."},
               format="json", HTTP_IF_MATCH=f'"{work.version}"')  # fmt: skip
    review = rita.get(f"/api/articles/{room['article'].pk}/review/").json()
    bob = next(a for a in review["assignments"] if a["annotator"] == "bob")
    assert bob["status"] == "in_progress" and bob["sent_back_at"] and bob["review_comment"] == "Mark the cue."
    quote = max(review["units"], key=lambda unit: unit["start"])
    assert set(quote["mentions"]) == {"bob", "carol"} and quote["differs"] == ["stance"]
    assert {row["claim"]["id"]: row["by"] for row in review["stances"]}[room["claim"].pk] == {
        "bob": "neutral", "carol": "neutral",
    }  # fmt: skip


def test_article_review_lines_up_mentions_and_names_differences(room):
    review = client_for(room["users"]["rita"]).get(f"/api/articles/{room['article'].pk}/review/").json()
    assert [a["annotator"] for a in review["assignments"]] == ["bob", "carol"]
    quote, officials = sorted(review["units"], key=lambda unit: unit["start"], reverse=True)
    assert quote["differs"] == ["stance"] and quote["agreed"] is False
    assert quote["mentions"]["bob"]["stance"] == "refute" and quote["mentions"]["carol"]["stance"] == "support"
    assert officials["agreed"] is True and review["gold"] is None
    assert review["stances"][0]["by"] == {"bob": "neutral", "carol": "neutral"}


def test_full_review_copy_edit_mark_reviewed(room):
    rita = client_for(room["users"]["rita"])
    gold = rita.post(f"/api/articles/{room['article'].pk}/gold/")
    assert gold.status_code == 201 and gold.json()["is_gold"] is True
    assert rita.post(f"/api/articles/{room['article'].pk}/gold/").status_code == 200  # the same gold again
    gold_id = gold.json()["id"]
    bob_quote = ClaimMention.objects.get(assignment=room["works"]["bob"], text="We will not back down")
    copied = rita.post(f"/api/assignments/{gold_id}/copy/", {"mention_id": bob_quote.pk}, format="json")
    assert copied.status_code == 201
    assert copied.json()["stance"] == "refute" and copied.json()["speaker"]["name"] == "The Minister"
    again = rita.post(f"/api/assignments/{gold_id}/copy/", {"mention_id": bob_quote.pk}, format="json")
    assert again.status_code == 400 and again.json() == {"mention_id": [COPY_DUPLICATE]}

    # Edit the copy: the reviewer decides the stance was support after all.
    edit = rita.patch(
        f"/api/mentions/{copied.json()['id']}/", {"stance": "support"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert edit.status_code == 200
    stance = ArticleStance.objects.get(assignment=room["works"]["carol"])
    assert (
        rita.post(f"/api/assignments/{gold_id}/copy/", {"article_stance_id": stance.pk}, format="json").status_code
        == 201
    )

    version = Assignment.objects.get(pk=gold_id).version
    done = rita.patch(f"/api/assignments/{gold_id}/", {"status": "submitted"}, format="json",
                      HTTP_IF_MATCH=f'"{version}"')  # fmt: skip
    assert done.status_code == 200 and done.json()["status"] == "submitted"
    gold_work = Assignment.objects.get(pk=gold_id)
    assert [(m.text, m.stance) for m in gold_work.mentions.all()] == [("We will not back down", "support")]
    assert gold_work.article_stances.get().stance == "neutral"
    queue = rita.get(f"/api/projects/{room['project'].pk}/review-queue/", {"status": "unreviewed"}).json()
    assert room["article"].pk not in [item["article"]["id"] for item in queue]


def test_gold_takes_one_of_two_mentions_that_differ_only_in_stance(room):
    # Bob and Carol marked the quote with the same speaker and claim but opposite stances: gold holds
    # one mention of it (copy one, then edit its stance), not both.
    rita = client_for(room["users"]["rita"])
    gold_id = rita.post(f"/api/articles/{room['article'].pk}/gold/").json()["id"]
    quotes = ClaimMention.objects.filter(assignment__article=room["article"], text="We will not back down")
    bob_quote, carol_quote = quotes.order_by("assignment__annotator__username")
    url = f"/api/assignments/{gold_id}/copy/"
    assert rita.post(url, {"mention_id": bob_quote.pk}, format="json").status_code == 201
    refused = rita.post(url, {"mention_id": carol_quote.pk}, format="json")
    assert refused.status_code == 400 and refused.json() == {"mention_id": [COPY_DUPLICATE]}
    assert [m.stance for m in ClaimMention.objects.filter(assignment_id=gold_id)] == ["refute"]


def test_copy_only_from_the_same_article_into_gold(room):
    rita = client_for(room["users"]["rita"])
    gold_id = rita.post(f"/api/articles/{room['article'].pk}/gold/").json()["id"]
    elsewhere = ClaimMention.objects.get(assignment__article=room["calm"], assignment__annotator__username="bob")
    before = fingerprint()
    response = rita.post(f"/api/assignments/{gold_id}/copy/", {"mention_id": elsewhere.pk}, format="json")
    assert response.status_code == 400 and "mention_id" in response.json()
    into_own = rita.post(
        f"/api/assignments/{room['works']['bob'].pk}/copy/", {"mention_id": elsewhere.pk}, format="json"
    )
    assert into_own.status_code == 400
    both = rita.post(f"/api/assignments/{gold_id}/copy/", {"mention_id": 1, "article_stance_id": 1}, format="json")
    assert both.status_code == 400
    assert fingerprint() == before


def test_send_back_reopens_the_work_with_a_comment_the_annotator_sees(room, client):
    rita = client_for(room["users"]["rita"])
    work = room["works"]["bob"]
    response = rita.patch(f"/api/assignments/{work.pk}/", {"status": "in_progress", "review_comment": "Mark the cue."},
                          format="json", HTTP_IF_MATCH=f'"{work.version}"')  # fmt: skip
    assert response.status_code == 200 and response.json()["review_comment"] == "Mark the cue."
    client.force_login(room["users"]["bob"])
    page = client.get(f"/assignments/{work.pk}/").content.decode()
    assert "Sent back by a reviewer:" in page and "Mark the cue." in page
    # Bob can label again, and Carol's work is unaffected.
    bob = client_for(room["users"]["bob"])
    assert bob.post(f"/api/assignments/{work.pk}/mentions/", {"start": 0, "end": 9, "text": "Officials"},
                    format="json").status_code == 201  # fmt: skip
    assert Assignment.objects.get(pk=room["works"]["carol"].pk).status == "submitted"


@pytest.mark.parametrize("persona", ["bob", "carol"])
def test_annotators_cannot_review(room, client, persona):
    user = room["users"][persona]
    api = client_for(user)
    before = fingerprint()
    assert api.get(f"/api/projects/{room['project'].pk}/review-queue/").status_code == 403
    assert api.get(f"/api/articles/{room['article'].pk}/review/").status_code == 403
    assert api.post(f"/api/articles/{room['article'].pk}/gold/").status_code == 403
    assert api.get(f"/api/projects/{room['project'].pk}/agreement/").status_code == 403
    assert fingerprint() == before
    client.force_login(user)
    assert client.get(f"/projects/{room['project'].pk}/review/").status_code == 403
    assert client.get(f"/review/articles/{room['article'].pk}/").status_code == 403


def test_outsiders_get_404(room):
    zed = client_for(make_user("zed"))
    assert zed.get(f"/api/projects/{room['project'].pk}/review-queue/").status_code == 404
    assert zed.get(f"/api/articles/{room['article'].pk}/review/").status_code == 404
    assert zed.get(f"/api/projects/{room['project'].pk}/agreement/").status_code == 404


def test_reviewer_pages_answer(room, client):
    client.force_login(room["users"]["rita"])
    queue = client.get(f"/projects/{room['project'].pk}/review/")
    assert queue.status_code == 200 and f"/review/articles/{room['article'].pk}/" in queue.content.decode()
    assert client.get(f"/review/articles/{room['article'].pk}/").status_code == 200


def test_agreement_endpoint_with_filters(room):
    mia = client_for(room["users"]["mia"])
    url = f"/api/projects/{room['project'].pk}/agreement/"
    figures = mia.get(url).json()
    assert figures["annotators"] == ["bob", "carol"] and figures["n_articles"] == 2
    assert figures["mention_spans"]["mean"]["f1_exact"] == 1.0
    assert figures["mention_stance"]["percent_agreement"] == pytest.approx(2 / 3)
    only_bob = mia.get(url, {"annotator": "bob"}).json()
    assert only_bob["annotators"] == ["bob"] and only_bob["mention_spans"]["pairs"] == []
    assert mia.get(url, {"annotator": "nobody"}).status_code == 400
    assert mia.get(url, {"submitted_from": "not a date"}).status_code == 400
    future = mia.get(url, {"submitted_from": "2999-01-01T00:00:00Z"}).json()
    assert future["n_articles"] == 0


@pytest.mark.django_db
def test_demo_project_agreement_is_computed():
    call_command("load_seeds")
    project = Project.objects.get(slug="demo")
    mia = make_user("mia")
    add_member(project, mia, Role.MANAGER)
    figures = client_for(mia).get(f"/api/projects/{project.pk}/agreement/").json()
    assert figures["annotators"] == ["ana", "ben"] and figures["n_articles"] == 1
    assert 0 < figures["mention_spans"]["mean"]["f1_overlap"] < 1


def test_agreement_page_shows_every_layer_with_filters(room, client):
    client.force_login(room["users"]["rita"])
    url = f"/projects/{room['project'].pk}/agreement/"
    page = client.get(url).content.decode()
    assert "Krippendorff&#x27;s alpha per layer" in page and "Speaker&#x27;s stance" in page
    assert "bob / carol" in page and "Cohen" in page
    only_bob = client.get(url, {"annotator": "bob"}).content.decode()
    assert "No two annotators submitted the same article." in only_bob
    client.force_login(room["users"]["bob"])
    assert client.get(url).status_code == 403
