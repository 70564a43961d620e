"""Every change to a label is kept: who, when, before and after."""

import pghistory

from claims.models import ArticleStance, Assignment, ClaimMention
from claims.services.assignments import assignment_submit
from claims.services.labels import article_stance_set, mention_delete, mention_update
from tests.builders import make_assignment, make_claim, make_mention
from tests.history import history_of


def test_mention_changes_are_recorded_with_who_and_before_after(article, bob, rita, project):
    work = make_assignment(article, bob)
    claim = make_claim(project)
    with pghistory.context(user=bob.pk):
        mention = make_mention(work)
        mention_update(mention=mention, claim=claim, stance="refute")
    with pghistory.context(user=rita.pk):
        mention_delete(mention=ClaimMention.objects.get(pk=mention.pk))

    created, updated, deleted = history_of(ClaimMention, mention.pk)
    assert (created.action, created.user, created.before) == ("insert", "bob", None)
    assert created.after["text"] == "We will not back down" and created.after["stance"] is None
    assert (updated.action, updated.user) == ("update", "bob")
    assert updated.changed_fields == ["claim_id", "stance"]
    assert (updated.before["stance"], updated.after["stance"]) == (None, "refute")
    assert (deleted.action, deleted.user, deleted.after) == ("delete", "rita", None)
    assert deleted.before["stance"] == "refute"
    assert created.at <= updated.at <= deleted.at


def test_article_stance_and_status_changes_are_recorded(article, bob, project):
    work = make_assignment(article, bob)
    claim = make_claim(project)
    stance, _ = article_stance_set(assignment=work, claim=claim, stance="neutral")
    article_stance_set(assignment=work, claim=claim, stance="support")
    assignment_submit(assignment=work)
    assert [c.after["stance"] for c in history_of(ArticleStance, stance.pk)] == ["neutral", "support"]
    statuses = [c.after["status"] for c in history_of(Assignment, work.pk)]
    assert statuses[0] == "assigned" and statuses[-1] == "submitted"


def test_api_writes_record_the_caller_in_history(db):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from tests.api import build_world

    world = build_world()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.users['bob']).key}")
    response = client.patch(
        f"/api/mentions/{world.bob_mention.pk}/", {"quote_type": "indirect"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200
    change = history_of(ClaimMention, world.bob_mention.pk)[-1]
    assert (change.action, change.user, change.changed_fields) == ("update", "bob", ["quote_type"])
    assert change.context["url"] == f"/api/mentions/{world.bob_mention.pk}/"
