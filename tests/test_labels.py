"""Claim mentions and article stances (services.labels): every rule, and versions."""

import pytest

from claims import offsets
from claims.models import ArticleStance, ClaimMention
from claims.services import labels as svc
from claims.services.errors import StaleVersion
from tests.builders import BODY, errors_of, make_assignment, make_claim, make_mention, make_speaker, span


@pytest.fixture
def work(article, bob):
    return make_assignment(article, bob)


@pytest.fixture
def minister(project):
    return make_speaker(project, "The Minister", aliases=["the minister"])


@pytest.fixture
def reckless(project):
    return make_claim(project, "The plan is reckless")


def test_full_attribution_is_stored(work, minister, reckless):
    mention = svc.mention_create(
        assignment=work, **span(BODY, "We will not back down"), speaker=minister,
        source=span(BODY, "the minister"), cue=span(BODY, "said"), quote_type="direct",
        claim=reckless, stance="refute",
    )  # fmt: skip
    stored = ClaimMention.objects.get(pk=mention.pk)
    assert (stored.text, stored.source_text, stored.cue_text, stored.stance) == (
        "We will not back down",
        "the minister",
        "said",
        "refute",
    )
    assert BODY[stored.cue_start : stored.cue_end] == "said"


def test_outlet_claim_has_no_speaker(work):
    mention = make_mention(work, "Officials met on Tuesday")
    assert mention.speaker is None


def test_span_offsets_after_an_emoji_are_code_points(work):
    mention = make_mention(work, "the minister said")
    assert BODY[mention.start : mention.end] == "the minister said"
    assert mention.start == BODY.index("the minister said")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"text": "we will not back down"},
            "text",
            offsets.SPAN_TEXT_MISMATCH.format(start=29, end=50, actual="We will not back down"),
        ),
        ({"start": 50, "end": 29}, "text", offsets.SPAN_REVERSED),
        ({"end": len(BODY) + 5}, "text", offsets.SPAN_OUTSIDE_BODY.format(end=len(BODY) + 5, length=len(BODY))),
        ({"source": "the minister"}, "source", svc.SPAN_NOT_OBJECT),
        (
            {"source": {"start": 0, "end": 4, "text": "Offx"}},
            "source",
            offsets.SPAN_TEXT_MISMATCH.format(start=0, end=4, actual="Offi"),
        ),
        ({"cue": {"start": -1, "end": 4, "text": "said"}}, "cue", offsets.SPAN_NEGATIVE),
        ({"quote_type": "paraphrase"}, "quote_type", svc.QUOTE_TYPE_UNKNOWN),
        ({"stance": "support"}, "stance", svc.STANCE_NEEDS_CLAIM),
    ],
)
def test_mention_rules(work, changes, field, message):
    fields = span(BODY, "We will not back down") | changes
    assert errors_of(svc.mention_create, assignment=work, **fields)[field] == [message]
    assert not ClaimMention.objects.exists()


def test_stance_must_be_a_mention_label_of_the_project(work, reckless):
    allowed = "support, refute, neutral, query"
    for value in ("agree", "unrelated"):
        errors = errors_of(
            svc.mention_create, assignment=work, **span(BODY, "We will not back down"), claim=reckless, stance=value
        )
        assert errors == {"stance": [svc.STANCE_UNKNOWN.format(value=value, holder="mentions", allowed=allowed)]}


def test_speaker_and_claim_must_be_of_the_same_project(work, other_project):
    errors = errors_of(
        svc.mention_create, assignment=work, **span(BODY, "We will not back down"),
        speaker=make_speaker(other_project, "Stranger"), claim=make_claim(other_project, "Foreign"),
    )  # fmt: skip
    assert errors == {"speaker_id": [svc.SPEAKER_OTHER_PROJECT], "claim_id": [svc.CLAIM_OTHER_PROJECT]}


def test_update_validates_the_result_and_bumps_the_version(work, minister, reckless):
    mention = make_mention(work)
    updated = svc.mention_update(
        mention=mention, expected_version=1, speaker=minister, claim=reckless, stance="support"
    )
    assert (updated.version, updated.speaker, updated.stance) == (2, minister, "support")
    errors = errors_of(svc.mention_update, mention=updated, claim=None)
    assert errors == {"stance": [svc.STANCE_NEEDS_CLAIM]}
    assert ClaimMention.objects.get(pk=mention.pk).claim == reckless


def test_update_moves_the_span_only_with_its_text(work):
    mention = make_mention(work)
    assert errors_of(svc.mention_update, mention=mention, start=0, end=4) == {"text": [svc.OFFSETS_WITHOUT_TEXT]}
    moved = svc.mention_update(mention=mention, **span(BODY, "Officials met"))
    assert moved.text == "Officials met"


def test_update_refuses_unknown_fields(work):
    errors = errors_of(svc.mention_update, mention=make_mention(work), assignment=None)
    assert errors == {"assignment": [svc.FIELD_NOT_CHANGEABLE]}


def test_stale_version_changes_nothing(work):
    mention = make_mention(work)
    svc.mention_update(mention=mention, expected_version=1, quote_type="mixed")
    with pytest.raises(StaleVersion) as info:
        svc.mention_update(mention=mention, expected_version=1, quote_type="indirect")
    assert info.value.current_version == 2
    assert ClaimMention.objects.get(pk=mention.pk).quote_type == "mixed"
    with pytest.raises(StaleVersion):
        svc.mention_delete(mention=mention, expected_version=1)
    assert ClaimMention.objects.filter(pk=mention.pk).exists()


def test_delete(work):
    mention = make_mention(work)
    svc.mention_delete(mention=mention, expected_version=1)
    assert not ClaimMention.objects.exists()


def test_article_stance_is_set_then_changed(work, reckless):
    stance, created = svc.article_stance_set(assignment=work, claim=reckless, stance="neutral")
    assert created
    again, created = svc.article_stance_set(assignment=work, claim=reckless, stance="refute")
    assert (again.pk, created, again.stance, again.version) == (stance.pk, False, "refute", 2)


def test_article_stance_may_be_unrelated_but_not_unknown(work, reckless):
    assert svc.article_stance_set(assignment=work, claim=reckless, stance="unrelated")[0].stance == "unrelated"
    allowed = "support, refute, neutral, query, unrelated"
    errors = errors_of(svc.article_stance_set, assignment=work, claim=reckless, stance="agree")
    assert errors == {"stance": [svc.STANCE_UNKNOWN.format(value="agree", holder="articles", allowed=allowed)]}
    assert errors_of(svc.article_stance_set, assignment=work, claim=reckless, stance=None) == {
        "stance": [svc.STANCE_REQUIRED]
    }


def test_article_stance_needs_a_claim_of_the_project(work, other_project):
    assert errors_of(svc.article_stance_set, assignment=work, claim=None, stance="neutral") == {
        "claim_id": [svc.ARTICLE_STANCE_CLAIM_REQUIRED]
    }
    foreign = make_claim(other_project, "Foreign")
    assert errors_of(svc.article_stance_set, assignment=work, claim=foreign, stance="neutral") == {
        "claim_id": [svc.CLAIM_OTHER_PROJECT]
    }


def test_article_stance_update_and_delete_check_versions(work, reckless):
    stance, _ = svc.article_stance_set(assignment=work, claim=reckless, stance="neutral")
    with pytest.raises(StaleVersion):
        svc.article_stance_update(article_stance=stance, expected_version=9, stance="support")
    updated = svc.article_stance_update(article_stance=stance, expected_version=1, stance="support")
    assert updated.version == 2
    svc.article_stance_delete(article_stance=updated, expected_version=2)
    assert not ArticleStance.objects.exists()
