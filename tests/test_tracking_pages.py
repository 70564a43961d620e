"""The claim and speaker pages: what they show to whom, and curating through them."""

import pytest

from claims.models import Claim, ClaimMention, Role, Speaker
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
def world(db):
    mia, rita, bob, carol = (make_user(n) for n in ("mia", "rita", "bob", "carol"))
    project = make_project(manager=mia)
    add_member(project, rita, Role.REVIEWER)
    add_member(project, bob, Role.ANNOTATOR)
    add_member(project, carol, Role.ANNOTATOR)
    claim = make_claim(project, "The plan is reckless")
    other = make_claim(project, "The plan is dangerous")
    minister = make_speaker(project, "José Martínez", aliases=["the minister"])
    critic = make_speaker(project, "Critics", kind="group")
    article = make_article(project, published_at="2019-03-12", title="Minister under fire")
    bob_mention = make_mention(make_assignment(article, bob), "We will not back down", speaker=minister,
                               claim=claim, stance="refute")  # fmt: skip
    carol_mention = make_mention(make_assignment(article, carol), "called the plan reckless", speaker=critic,
                                 claim=claim, stance="support")  # fmt: skip
    return {"project": project, "claim": claim, "other": other, "minister": minister, "critic": critic,
            "users": {u.username: u for u in (mia, rita, bob, carol)}, "bob_mention": bob_mention,
            "carol_mention": carol_mention}  # fmt: skip


def page(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def test_claim_page_shows_the_timeline_and_who_says_what(client, world):
    response = page(client, world["users"]["rita"], f"/claims/{world['claim'].pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Minister under fire" in html and "12 Mar 2019" in html
    assert "We will not back down" in html and "called the plan reckless" in html
    assert 'id="chart-claim-stances"' in html and "Split off" in html and "Merge this claim into" in html


def test_annotators_see_only_their_own_statements_and_cannot_curate(client, world):
    html = page(client, world["users"]["bob"], f"/claims/{world['claim'].pk}/").content.decode()
    assert "We will not back down" in html and "called the plan reckless" not in html
    assert "Merge this claim into" not in html
    response = client.post(f"/claims/{world['claim'].pk}/curate/", {"action": "rename", "text": "Hijacked"})
    assert response.status_code == 403 and Claim.objects.get(pk=world["claim"].pk).text == "The plan is reckless"


def test_outsiders_get_404(client, world):
    zed = make_user("zed")
    assert page(client, zed, f"/claims/{world['claim'].pk}/").status_code == 404
    assert page(client, zed, f"/speakers/{world['minister'].pk}/").status_code == 404
    assert page(client, zed, f"/projects/{world['project'].pk}/speakers/").status_code == 404


def test_reviewer_renames_merges_and_splits_on_the_page(client, world):
    client.force_login(world["users"]["rita"])
    claim, other = world["claim"], world["other"]
    client.post(f"/claims/{claim.pk}/curate/", {"action": "rename", "text": "The plan is very reckless"})
    assert Claim.objects.get(pk=claim.pk).text == "The plan is very reckless"
    response = client.post(f"/claims/{other.pk}/curate/", {"action": "merge", "into": claim.pk, "confirm": "yes"})
    assert response["Location"] == f"/claims/{claim.pk}/"
    assert client.get(f"/claims/{other.pk}/")["Location"] == f"/claims/{claim.pk}/"  # merged: where it went
    form = {"action": "split", "text": "The minister stays firm", "mention": [world["bob_mention"].pk]}
    split = client.post(f"/claims/{claim.pk}/curate/", form)
    new = Claim.objects.get(text="The minister stays firm")
    assert split["Location"] == f"/claims/{new.pk}/"
    assert ClaimMention.objects.get(pk=world["bob_mention"].pk).claim == new
    refused = client.post(f"/claims/{claim.pk}/curate/", {"action": "split", "text": "Nothing moves"}, follow=True)
    assert "Name the mentions" in refused.content.decode() and not Claim.objects.filter(text="Nothing moves").exists()


def test_claims_list_searches_by_words(client, world):
    html = page(
        client, world["users"]["bob"], f"/projects/{world['project'].pk}/claims/", q="recklessness"
    ).content.decode()
    assert "The plan is reckless" in html and "The plan is dangerous" not in html


def test_speakers_page_finds_names_without_accents_and_counts_stances(client, world):
    html = page(
        client, world["users"]["rita"], f"/projects/{world['project'].pk}/speakers/", q="jose martinez"
    ).content.decode()
    assert "José Martínez" in html and "Critics" not in html
    full = client.get(f"/projects/{world['project'].pk}/speakers/").content.decode()
    assert "Refute 1" in full and "Support 1" in full


def test_speaker_page_lists_stances_across_claims_and_merges(client, world):
    client.force_login(world["users"]["rita"])
    html = client.get(f"/speakers/{world['minister'].pk}/").content.decode()
    assert "The plan is reckless" in html and "the minister" in html
    client.post(f"/speakers/{world['critic'].pk}/curate/", {"into": world["minister"].pk, "confirm": "yes"})
    assert Speaker.objects.get(pk=world["critic"].pk).merged_into == world["minister"]
    assert ClaimMention.objects.get(pk=world["carol_mention"].pk).speaker == world["minister"]
    client.force_login(world["users"]["bob"])
    assert client.post(f"/speakers/{world['minister'].pk}/curate/", {"into": world["critic"].pk,
                                                                      "confirm": "yes"}).status_code == 403  # fmt: skip


def test_a_claim_merge_shows_what_will_move_and_waits_for_confirmation(client, world):
    from claims.services.labels import article_stance_set

    claim, other = world["claim"], world["other"]
    article_stance_set(assignment=world["bob_mention"].assignment, claim=claim, stance="neutral")
    article_stance_set(assignment=world["bob_mention"].assignment, claim=other, stance="support")
    client.force_login(world["users"]["rita"])
    unconfirmed = client.post(f"/claims/{claim.pk}/curate/", {"action": "merge", "into": other.pk})
    assert unconfirmed["Location"] == f"/claims/{claim.pk}/merge/?into={other.pk}"
    assert Claim.objects.get(pk=claim.pk).merged_into is None
    html = client.get(unconfirmed["Location"]).content.decode()
    assert "<strong>2</strong> mentions will point at the claim that stays" in html
    assert "<strong>0</strong> article stances will point at it" in html
    assert "<strong>1</strong> article stance will be dropped" in html and 'name="confirm" value="yes"' in html
    client.post(f"/claims/{claim.pk}/curate/", {"action": "merge", "into": other.pk, "confirm": "yes"})
    assert Claim.objects.get(pk=claim.pk).merged_into == other


def test_a_speaker_merge_names_the_aliases_it_adds(client, world):
    client.force_login(world["users"]["rita"])
    html = client.get(f"/speakers/{world['minister'].pk}/merge/", {"into": world["critic"].pk}).content.decode()
    assert "<strong>1</strong> mention will name Critics" in html
    assert "<strong>2</strong> aliases added to Critics: José Martínez, the minister" in html
    unconfirmed = client.post(f"/speakers/{world['minister'].pk}/curate/", {"into": world["critic"].pk})
    assert unconfirmed.status_code == 302 and Speaker.objects.get(pk=world["minister"].pk).merged_into is None


def test_the_merge_confirmation_refuses_what_the_merge_would(client, world):
    client.force_login(world["users"]["rita"])
    itself = client.get(f"/claims/{world['claim'].pk}/merge/", {"into": world["claim"].pk}, follow=True)
    assert "cannot be merged into itself" in itself.content.decode()
    nothing = client.get(f"/speakers/{world['minister'].pk}/merge/", {"into": "x"}, follow=True)
    assert "Choose what to merge into" in nothing.content.decode()
    client.force_login(world["users"]["bob"])
    assert client.get(f"/claims/{world['claim'].pk}/merge/", {"into": world["other"].pk}).status_code == 403
    client.force_login(make_user("zed"))
    assert client.get(f"/claims/{world['claim'].pk}/merge/", {"into": world["other"].pk}).status_code == 404


def test_the_api_previews_a_merge_without_changing_anything(world):
    from tests.api import client_for, fingerprint

    rita = client_for(world["users"]["rita"])
    before = fingerprint()
    claim = rita.get(f"/api/claims/{world['claim'].pk}/merge/", {"into": world["other"].pk})
    assert claim.json() == {"source": world["claim"].pk, "into": world["other"].pk, "mentions": 2,
                            "article_stances": 0, "article_stances_dropped": 0, "claims_redirected": 0}  # fmt: skip
    speaker = rita.get(f"/api/speakers/{world['critic'].pk}/merge/", {"into": world["minister"].pk}).json()
    assert (speaker["mentions"], speaker["aliases"]) == (1, ["Critics"])
    assert rita.get(f"/api/speakers/{world['critic'].pk}/merge/", {"into": world["critic"].pk}).status_code == 400
    assert rita.get(f"/api/claims/{world['claim'].pk}/merge/").status_code == 400
    assert client_for(world["users"]["bob"]).get(f"/api/claims/{world['claim'].pk}/merge/",
                                                 {"into": world["other"].pk}).status_code == 403  # fmt: skip
    assert fingerprint() == before
