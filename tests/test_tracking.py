"""Claims and speakers across articles: search and similarity, merge (with history), split, the timeline."""

import datetime as dt
from types import SimpleNamespace

import pytest

from claims.models import ArticleStance, Claim, ClaimMention, Role, Speaker, SpeakerAlias
from claims.reads.search import claims_matching, claims_similar, speakers_matching
from claims.reads.tracking import NO_STANCE, TimelineArticle, claim_speakers, claim_stances_by_month
from claims.services import speakers as speakers_svc
from claims.services import tracked_claims as claims_svc
from claims.services.errors import RuleViolation
from claims.services.labels import article_stance_set
from tests.api import client_for
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
from tests.history import history_of


@pytest.fixture
def newsroom(db):
    mia, bob = make_user("mia"), make_user("bob")
    project = make_project(manager=mia)
    add_member(project, bob, Role.ANNOTATOR)
    return project, mia, bob


def test_a_paraphrase_ranks_above_unrelated_claims(newsroom):
    project, *_ = newsroom
    make_claim(project, "Turkey will go ahead with the S-400 purchase")
    make_claim(project, "The central bank will raise interest rates")
    make_claim(project, "The election was free and fair")
    ranked = list(claims_similar(project=project, text="Turkey goes ahead with buying the S-400"))
    assert ranked[0].text == "Turkey will go ahead with the S-400 purchase"
    assert all(c.score <= ranked[0].score for c in ranked)
    assert "The election was free and fair" not in [c.text for c in ranked]


def test_word_search_is_stemmed_and_forgives_a_typo(newsroom):
    project, *_ = newsroom
    make_claim(project, "Sanctions will follow the purchase")
    make_claim(project, "The deal is done")
    assert [c.text for c in claims_matching(project=project, words="purchased")] == [
        "Sanctions will follow the purchase"
    ]
    assert [c.text for c in claims_matching(project=project, words="sanctons")] == [
        "Sanctions will follow the purchase"
    ]


def test_word_search_lists_only_claims_that_hold_the_words(newsroom):
    """The claim picker's typed search: a claim without the words is not on the list at all."""
    project, *_ = newsroom
    make_claim(project, "The plan is reckless")
    make_claim(project, "Zebras migrate north in spring")
    make_claim(project, "Budget line 7 was cut")
    assert [c.text for c in claims_matching(project=project, words="plan reckless")] == ["The plan is reckless"]
    assert [c.text for c in claims_matching(project=project, words="zebra")] == ["Zebras migrate north in spring"]


def test_speaker_type_ahead_ignores_accents_case_and_finds_aliases(newsroom):
    project, *_ = newsroom
    make_speaker(project, "Recep Tayyip Erdoğan", aliases=["President Erdogan"])
    make_speaker(project, "Kathryn Wheelbarger", aliases=["a top Pentagon official"])
    make_speaker(project, "José Martínez")
    assert [s.name for s in speakers_matching(project=project, name="erdogan")] == ["Recep Tayyip Erdoğan"]
    assert [s.name for s in speakers_matching(project=project, name="ERDOĞAN")] == ["Recep Tayyip Erdoğan"]
    assert [s.name for s in speakers_matching(project=project, name="pentagon")] == ["Kathryn Wheelbarger"]
    assert [s.name for s in speakers_matching(project=project, name="jose martinez")] == ["José Martínez"]
    assert [s.name for s in speakers_matching(project=project, name="Erdgan")] == ["Recep Tayyip Erdoğan"]


def test_speaker_search_reads_only_the_projects_own_aliases(newsroom, other_project):
    """Another project's catalogue (here 3,000 aliases an annotator made there) costs this one nothing."""
    from django.db import connection

    project, *_ = newsroom
    make_speaker(project, "Recep Tayyip Erdoğan", aliases=["President Erdogan"])
    for i in range(20):
        make_speaker(project, f"Minister {i}", aliases=[f"Official {i}"])
    crowd = [make_speaker(other_project, f"Speaker {i}") for i in range(30)]
    SpeakerAlias.objects.bulk_create(
        SpeakerAlias(speaker=speaker, name=f"Alias {i} of {speaker.name}") for speaker in crowd for i in range(100)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_speakeralias")
        cursor.execute("ANALYZE claims_speaker")

    def alias_rows_read() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) FROM pg_stat_xact_user_tables"
                           " WHERE relname = 'claims_speakeralias'")  # fmt: skip
            return cursor.fetchone()[0]

    before = alias_rows_read()
    assert [s.name for s in speakers_matching(project=project, name="erdogan")] == ["Recep Tayyip Erdoğan"]
    assert alias_rows_read() - before < 100  # 42 now; it was 3,042: every alias of every project


def test_speaker_search_over_the_api_is_ranked(newsroom):
    project, mia, _ = newsroom
    make_speaker(project, "Mike Pence", aliases=["Vice President Pence"])
    make_speaker(project, "Pence Foundation", kind="organisation")
    results = client_for(mia).get(f"/api/projects/{project.pk}/speakers/", {"search": "mike pence"}).json()["results"]
    assert results[0]["name"] == "Mike Pence" and results[0]["score"] >= results[-1]["score"]


@pytest.fixture
def two_claims(newsroom):
    project, mia, bob = newsroom
    keep = make_claim(project, "Turkey will buy the S-400")
    dupe = make_claim(project, "Ankara will purchase the S-400")
    article = make_article(project)
    work = make_assignment(article, bob)
    kept_mention = make_mention(work, "We will not back down", claim=keep, stance="support")
    moved_mention = make_mention(work, "Officials met on Tuesday", claim=dupe, stance="refute")
    article_stance_set(assignment=work, claim=keep, stance="neutral")
    article_stance_set(assignment=work, claim=dupe, stance="support")  # both claims in one assignment
    other_work = make_assignment(make_article(project), make_user("carol"))
    lone_stance, _ = article_stance_set(assignment=other_work, claim=dupe, stance="query")
    return {"project": project, "mia": mia, "keep": keep, "dupe": dupe, "work": work,
            "kept_mention": kept_mention, "moved_mention": moved_mention, "lone_stance": lone_stance}  # fmt: skip


def test_merge_moves_every_label_and_keeps_history(two_claims):
    t = two_claims
    claims_svc.claim_merge(source=t["dupe"], target=t["keep"])
    moved = ClaimMention.objects.get(pk=t["moved_mention"].pk)
    assert (moved.claim_id, moved.stance, moved.version) == (t["keep"].pk, "refute", 2)
    assert ArticleStance.objects.filter(claim=t["dupe"]).count() == 0
    # Where one assignment had a stance toward both, the kept claim's stance stays.
    assert ArticleStance.objects.get(assignment=t["work"], claim=t["keep"]).stance == "neutral"
    assert ArticleStance.objects.get(pk=t["lone_stance"].pk).claim_id == t["keep"].pk
    assert Claim.objects.get(pk=t["dupe"].pk).merged_into_id == t["keep"].pk
    change = history_of(ClaimMention, t["moved_mention"].pk)[-1]
    assert (change.before["claim_id"], change.after["claim_id"]) == (t["dupe"].pk, t["keep"].pk)


def test_merged_claim_answers_with_where_it_went(two_claims):
    t = two_claims
    api = client_for(t["mia"])
    response = api.post(f"/api/claims/{t['dupe'].pk}/merge/", {"into": t["keep"].pk}, format="json")
    assert response.status_code == 200 and response.json()["id"] == t["keep"].pk
    old = api.get(f"/api/claims/{t['dupe'].pk}/")
    assert old.status_code == 301 and old["Location"] == f"/api/claims/{t['keep'].pk}/"
    assert old.json()["merged_into"] == t["keep"].pk
    listed = [c["id"] for c in api.get(f"/api/projects/{t['project'].pk}/claims/").json()["results"]]
    assert t["dupe"].pk not in listed
    # Asking for the old wording finds the claim it became.
    again = api.post(
        f"/api/projects/{t['project'].pk}/claims/", {"text": "Ankara will purchase the S-400"}, format="json"
    )
    assert again.status_code == 400 and f"merged into claim {t['keep'].pk}" in again.json()["text"][0]


def test_merge_refuses_itself_merged_claims_and_other_projects(two_claims, db):
    t = two_claims
    with pytest.raises(RuleViolation):
        claims_svc.claim_merge(source=t["keep"], target=t["keep"])
    foreign = make_claim(make_project(name="Other"), "Elsewhere")
    with pytest.raises(RuleViolation):
        claims_svc.claim_merge(source=t["dupe"], target=foreign)
    claims_svc.claim_merge(source=t["dupe"], target=t["keep"])
    with pytest.raises(RuleViolation):
        claims_svc.claim_merge(source=t["dupe"], target=t["keep"])


def test_split_moves_the_chosen_labels_to_a_new_claim(two_claims):
    t = two_claims
    api = client_for(t["mia"])
    response = api.post(
        f"/api/claims/{t['keep'].pk}/split/",
        {"text": "Turkey will not withdraw", "mention_ids": [t["kept_mention"].pk]}, format="json",
    )  # fmt: skip
    assert response.status_code == 201
    new = Claim.objects.get(pk=response.json()["id"])
    assert ClaimMention.objects.get(pk=t["kept_mention"].pk).claim == new
    stranger = api.post(f"/api/claims/{t['keep'].pk}/split/",
                        {"text": "Another", "mention_ids": [t["moved_mention"].pk]}, format="json")  # fmt: skip
    assert stranger.status_code == 400 and not Claim.objects.filter(text="Another").exists()


def test_annotators_cannot_merge_or_split(two_claims):
    t = two_claims
    annie = make_user("annie")
    add_member(t["project"], annie, Role.ANNOTATOR)
    api = client_for(annie)
    assert api.post(f"/api/claims/{t['dupe'].pk}/merge/", {"into": t["keep"].pk}, format="json").status_code == 403
    split = {"text": "x", "mention_ids": [t["kept_mention"].pk]}
    assert api.post(f"/api/claims/{t['keep'].pk}/split/", split, format="json").status_code == 403


def test_speaker_merge_moves_mentions_and_names_become_aliases(newsroom):
    project, mia, bob = newsroom
    keep = make_speaker(project, "Recep Tayyip Erdoğan", aliases=["Erdoğan"])
    dupe = make_speaker(project, "President Erdogan", aliases=["Tayyip"])
    mention = make_mention(make_assignment(make_article(project), bob), speaker=dupe)
    response = client_for(mia).post(f"/api/speakers/{dupe.pk}/merge/", {"into": keep.pk}, format="json")
    assert response.status_code == 200
    assert sorted(response.json()["aliases"]) == ["Erdoğan", "President Erdogan", "Tayyip"]
    assert ClaimMention.objects.get(pk=mention.pk).speaker == keep
    assert client_for(mia).get(f"/api/speakers/{dupe.pk}/").status_code == 301
    assert speakers_svc.speaker_get_or_create(project=project, name="President Erdogan")[0] == keep
    assert history_of(Speaker, dupe.pk)[-1].after["merged_into_id"] == keep.pk


def test_timeline_is_by_publication_date(newsroom):
    project, mia, bob = newsroom
    claim = make_claim(project)
    later = make_article(project, published_at="2019-04-03")
    earlier = make_article(project, published_at="2019-03-12")
    for article in (later, earlier):
        make_mention(make_assignment(article, bob), claim=claim, stance="support")
    entries = client_for(mia).get(f"/api/claims/{claim.pk}/timeline/").json()["results"]
    assert [e["article"]["id"] for e in entries] == [earlier.pk, later.pk]


def test_a_stance_label_called_none_is_counted_apart_from_statements_without_a_stance():
    def statement(speaker_id, stance):
        return SimpleNamespace(assignment=SimpleNamespace(article_id=1), speaker_id=speaker_id, speaker=None,
                               stance=stance)  # fmt: skip

    when = dt.datetime(2019, 3, 12, tzinfo=dt.UTC)
    mentions = [statement(None, "none"), statement(7, None)]
    timeline = [TimelineArticle(article_id=1, title="t", source="", url="", when=when, dated=True, mentions=mentions)]
    assert claim_stances_by_month(timeline)[0].counts == {"none": 1, NO_STANCE: 1}
    counts = sorted(tuple(row.counts.items()) for row in claim_speakers(timeline))
    assert counts == [((NO_STANCE, 1),), (("none", 1),)]
