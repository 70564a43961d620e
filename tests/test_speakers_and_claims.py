"""The speaker catalogue and tracked claims (services.speakers, services.tracked_claims)."""

import pytest

from claims.models import SpeakerKind
from claims.services import speakers as speakers_svc
from claims.services import tracked_claims as claims_svc
from tests.builders import errors_of


def test_speaker_with_aliases_role_and_qid(project):
    speaker = speakers_svc.speaker_create(
        project=project, name="  Mike   Pence ", kind=SpeakerKind.PERSON,
        aliases=["Pence", " Pence ", "Mike Pence", "Vice President Pence"], role="Vice President",
        wikidata_qid="Q24313",
    )  # fmt: skip
    assert speaker.name == "Mike Pence"
    assert sorted(speaker.aliases.values_list("name", flat=True)) == ["Pence", "Vice President Pence"]


def test_speaker_aliases_are_replaced_on_update(project):
    speaker = speakers_svc.speaker_create(project=project, name="Turkey", kind="government", aliases=["Ankara"])
    speakers_svc.speaker_update(speaker=speaker, aliases=["Turkish government"], role="State")
    assert list(speaker.aliases.values_list("name", flat=True)) == ["Turkish government"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": " "}, "name", speakers_svc.SPEAKER_NAME_REQUIRED),
        (
            {"name": "X", "kind": "robot"},
            "kind",
            speakers_svc.SPEAKER_KIND_UNKNOWN.format(kinds="person, organisation, government, group, unnamed"),
        ),
        ({"name": "X", "wikidata_qid": "24313"}, "wikidata_qid", speakers_svc.SPEAKER_QID_INVALID),
        ({"name": "X", "aliases": "Pence"}, "aliases", speakers_svc.SPEAKER_ALIASES_INVALID),
        ({"name": "X", "aliases": [1]}, "aliases", speakers_svc.SPEAKER_ALIASES_INVALID),
        ({"name": "X", "role": "r" * 301}, "role", speakers_svc.SPEAKER_ROLE_INVALID),
    ],
)
def test_speaker_rules(project, fields, field, message):
    assert errors_of(speakers_svc.speaker_create, project=project, **fields)[field] == [message]


def test_speaker_names_are_unique_ignoring_case(project, other_project):
    first = speakers_svc.speaker_create(project=project, name="Erdogan")
    assert errors_of(speakers_svc.speaker_create, project=project, name="ERDOGAN") == {
        "name": [speakers_svc.SPEAKER_NAME_TAKEN.format(id=first.pk)]
    }
    assert speakers_svc.speaker_create(project=other_project, name="Erdogan").pk


def test_claim_text_is_normalised_and_unique_ignoring_case(project):
    claim = claims_svc.claim_create(project=project, text="  Turkey will   buy the S-400 ")
    assert claim.text == "Turkey will buy the S-400"
    assert errors_of(claims_svc.claim_create, project=project, text="turkey will buy the s-400") == {
        "text": [claims_svc.CLAIM_TEXT_TAKEN.format(id=claim.pk)]
    }


@pytest.mark.parametrize("text", ["", "   ", None, "x" * 2001])
def test_claim_needs_text(project, text):
    assert errors_of(claims_svc.claim_create, project=project, text=text) == {"text": [claims_svc.CLAIM_TEXT_REQUIRED]}


def test_claim_notes_must_be_text(project):
    assert errors_of(claims_svc.claim_create, project=project, text="x", notes=None) == {
        "notes": [claims_svc.CLAIM_NOTES_INVALID]
    }


def test_claim_rename(project):
    claim = claims_svc.claim_create(project=project, text="Old wording")
    assert claims_svc.claim_update(claim=claim, text="New wording").text == "New wording"
