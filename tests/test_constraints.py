"""PostgreSQL itself refuses rows that break the model's invariants, whatever wrote them."""

import importlib

import pytest
from django.db import IntegrityError, connection, transaction

from claims.models import (
    Article,
    ArticleStance,
    Assignment,
    Claim,
    ClaimMention,
    Membership,
    Project,
    Speaker,
    SpeakerAlias,
    StanceLabel,
    Suggestion,
    SuggestionDecision,
)
from tests.builders import BODY, make_assignment, make_claim, make_mention, make_speaker, span


def constraint_of(error: IntegrityError) -> str | None:
    cause = error.__cause__
    return getattr(getattr(cause, "diag", None), "constraint_name", None)


def assert_rejected(constraint: str, make) -> None:
    with pytest.raises(IntegrityError) as info, transaction.atomic():
        make()
        # Deferred checks (label protection) run at commit; make them run now.
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert constraint_of(info.value) == constraint, info.value


@pytest.fixture
def work(project, article, bob):
    assignment = make_assignment(article, bob)
    return {
        "project": project,
        "article": article,
        "assignment": assignment,
        "speaker": make_speaker(project),
        "claim": make_claim(project),
    }


def mention_row(work, **overrides):
    fields = {"assignment": work["assignment"], **span(BODY, "We will not back down"), "quote_type": "direct"}
    fields.update(overrides)
    return ClaimMention.objects.create(**fields)


# --- projects, labels, memberships ---------------------------------------------------------------
def test_project_overlap_must_be_1_to_50(db):
    assert_rejected(
        "project_annotators_per_article_1_to_50",
        lambda: Project.objects.create(name="P", slug="p", annotators_per_article=0),
    )


def test_project_needs_a_name(db):
    assert_rejected("project_name_not_empty", lambda: Project.objects.create(name="", slug="p"))


def test_project_slug_is_unique(project):
    assert_rejected("claims_project_slug_key", lambda: Project.objects.create(name="X", slug=project.slug))


@pytest.mark.parametrize(
    ("constraint", "fields"),
    [
        ("stancelabel_unique_value_per_project", {"value": "support"}),
        ("stancelabel_unique_shortcut_per_project", {"value": "new", "shortcut": "1"}),
        ("stancelabel_colour_hex", {"value": "new", "colour": "red"}),
        ("stancelabel_has_a_use", {"value": "new", "for_mentions": False, "for_articles": False}),
        ("stancelabel_fnc1_known", {"value": "new", "fnc1": "agrees"}),
        ("stancelabel_emergent_known", {"value": "new", "emergent": "pro"}),
        ("stancelabel_semeval_known", {"value": "new", "semeval": "favor"}),
    ],
)
def test_stance_label_rows_are_checked(project, constraint, fields):
    assert_rejected(constraint, lambda: StanceLabel.objects.create(project=project, name="x", **fields))


def test_stance_label_in_use_cannot_be_deleted(work):
    make_mention(work["assignment"], claim=work["claim"], stance="refute")
    assert_rejected(
        "stancelabel_in_use_protected",
        lambda: StanceLabel.objects.filter(project=work["project"], value="refute").delete(),
    )


def test_stance_label_in_use_cannot_be_narrowed(work):
    make_mention(work["assignment"], claim=work["claim"], stance="refute")
    assert_rejected(
        "stancelabel_in_use_protected",
        lambda: StanceLabel.objects.filter(project=work["project"], value="refute").update(for_mentions=False),
    )


def test_unused_stance_label_can_be_deleted(work):
    StanceLabel.objects.filter(project=work["project"], value="query").delete()
    connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert not StanceLabel.objects.filter(project=work["project"], value="query").exists()


def test_deleting_a_labelled_project_passes_the_label_guard(work):
    make_mention(work["assignment"], claim=work["claim"], stance="refute")
    work["project"].delete()
    connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert not ClaimMention.objects.exists()


def test_membership_is_unique_per_user_and_project(project, bob):
    assert_rejected(
        "membership_unique_user_per_project",
        lambda: Membership.objects.create(project=project, user=bob, role="reviewer"),
    )


def test_membership_role_is_known(project, charlie):
    assert_rejected(
        "membership_role_known", lambda: Membership.objects.create(project=project, user=charlie, role="owner")
    )


# --- articles ------------------------------------------------------------------------------------
def article_row(project, **overrides):
    fields = {"project": project, "external_id": "x1", "body": "Some text.", "body_sha256": "0" * 64} | overrides
    return Article.objects.create(**fields)


def test_external_id_is_unique_per_project(article):
    assert_rejected(
        "article_unique_external_id_per_project", lambda: article_row(article.project, external_id=article.external_id)
    )


def test_same_external_id_is_fine_in_another_project(article, other_project):
    assert article_row(other_project, external_id=article.external_id).pk


def test_external_id_is_not_empty(project):
    assert_rejected("article_external_id_not_empty", lambda: article_row(project, external_id=""))


def test_body_is_not_empty(project):
    assert_rejected("article_body_not_empty", lambda: article_row(project, body=""))


def test_body_has_no_carriage_returns(project):
    assert_rejected("article_body_newlines_normalised", lambda: article_row(project, body="a\r\nb"))


def test_database_computes_the_body_checksum(project):
    article = article_row(project, body="Tést 🚀")
    article.refresh_from_db()
    import hashlib

    assert article.body_sha256 == hashlib.sha256("Tést 🚀".encode()).hexdigest()


def test_body_is_immutable_once_a_mention_exists(work):
    make_mention(work["assignment"])
    assert_rejected(
        "article_body_immutable_once_annotated",
        lambda: Article.objects.filter(pk=work["article"].pk).update(body="Rewritten."),
    )


def test_body_is_immutable_once_an_article_stance_exists(work):
    ArticleStance.objects.create(assignment=work["assignment"], claim=work["claim"], stance="neutral")
    assert_rejected(
        "article_body_immutable_once_annotated",
        lambda: Article.objects.filter(pk=work["article"].pk).update(body="Rewritten."),
    )


def test_unannotated_body_can_still_change(work):
    Article.objects.filter(pk=work["article"].pk).update(body="Rewritten.")
    work["article"].refresh_from_db()
    assert work["article"].body == "Rewritten."


def test_title_of_annotated_article_can_change(work):
    make_mention(work["assignment"])
    Article.objects.filter(pk=work["article"].pk).update(title="Better title")
    assert Article.objects.get(pk=work["article"].pk).title == "Better title"


# --- speakers and claims ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("constraint", "fields"),
    [
        ("speaker_name_trimmed", {"name": " Padded "}),
        ("speaker_name_trimmed", {"name": ""}),
        ("speaker_kind_known", {"name": "X", "kind": "robot"}),
        ("speaker_qid_format", {"name": "X", "wikidata_qid": "12345"}),
    ],
)
def test_speaker_rows_are_checked(project, constraint, fields):
    assert_rejected(constraint, lambda: Speaker.objects.create(project=project, **fields))


def test_speaker_name_is_unique_per_project(project):
    make_speaker(project, "Mike Pence")
    assert_rejected(
        "speaker_unique_name_per_project", lambda: Speaker.objects.create(project=project, name="Mike Pence")
    )


def test_alias_is_unique_per_speaker_and_trimmed(project):
    speaker = make_speaker(project, "Mike Pence", aliases=["Pence"])
    assert_rejected(
        "speakeralias_unique_per_speaker", lambda: SpeakerAlias.objects.create(speaker=speaker, name="Pence")
    )
    assert_rejected("speakeralias_name_trimmed", lambda: SpeakerAlias.objects.create(speaker=speaker, name=" VP"))


def test_claim_text_is_unique_per_project_and_trimmed(project):
    make_claim(project, "Turkey will buy the S-400")
    assert_rejected(
        "claim_unique_text_per_project", lambda: Claim.objects.create(project=project, text="Turkey will buy the S-400")
    )
    assert_rejected("claim_text_trimmed", lambda: Claim.objects.create(project=project, text=" padded"))


# --- assignments ---------------------------------------------------------------------------------
def test_one_assignment_per_annotator_and_article(work, bob):
    assert_rejected(
        "assignment_unique_annotator_per_article",
        lambda: Assignment.objects.create(article=work["article"], annotator=bob),
    )


def test_at_most_one_gold_assignment_per_article(work, rita, alice):
    Assignment.objects.create(article=work["article"], annotator=rita, is_gold=True)
    assert_rejected(
        "assignment_one_gold_per_article",
        lambda: Assignment.objects.create(article=work["article"], annotator=alice, is_gold=True),
    )


def test_reviewer_may_hold_gold_beside_own_assignment(work, bob):
    assert Assignment.objects.create(article=work["article"], annotator=bob, is_gold=True).pk


@pytest.mark.parametrize(
    ("constraint", "fields"),
    [
        ("assignment_status_known", {"status": "done"}),
        ("assignment_version_positive", {"version": 0}),
        ("assignment_submitted_has_time", {"status": "submitted"}),
    ],
)
def test_assignment_rows_are_checked(work, alice, constraint, fields):
    assert_rejected(constraint, lambda: Assignment.objects.create(article=work["article"], annotator=alice, **fields))


# --- mentions ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("constraint", "overrides"),
    [
        ("claims_claimmention_start_check", {"start": -1, "end": 2, "text": "xyz"}),
        ("mention_offsets_ordered", {"start": 5, "end": 5, "text": ""}),
        ("mention_text_length", {"start": 0, "end": 3, "text": "Offi"}),
        ("mention_text_matches_body", {"start": 0, "end": 4, "text": "Offx"}),
        ("mention_source_all_or_none", {"source_start": 0, "source_end": 4}),
        ("mention_source_offsets_ordered", {"source_start": 4, "source_end": 0, "source_text": ""}),
        ("mention_source_text_length", {"source_start": 0, "source_end": 4, "source_text": "Off"}),
        ("mention_source_matches_body", {"source_start": 0, "source_end": 4, "source_text": "Offx"}),
        ("mention_cue_all_or_none", {"cue_text": "said"}),
        ("mention_cue_offsets_ordered", {"cue_start": 4, "cue_end": 3, "cue_text": "x"}),
        ("mention_cue_text_length", {"cue_start": 0, "cue_end": 4, "cue_text": "Officials"}),
        ("mention_cue_matches_body", {"cue_start": 0, "cue_end": 4, "cue_text": "said"}),
        ("mention_quote_type_known", {"quote_type": "paraphrase"}),
        ("mention_version_positive", {"version": 0}),
    ],
)
def test_mention_rows_are_checked(work, constraint, overrides):
    assert_rejected(constraint, lambda: mention_row(work, **overrides))


def test_mention_past_the_end_of_the_body_is_rejected(work):
    end = len(BODY)
    assert_rejected("mention_text_matches_body", lambda: mention_row(work, start=end - 1, end=end + 1, text=". "))


def test_mention_stance_needs_a_claim(work):
    assert_rejected("mention_stance_needs_claim", lambda: mention_row(work, stance="support"))


def test_mention_stance_must_be_in_the_label_set(work):
    assert_rejected("mention_stance_in_label_set", lambda: mention_row(work, claim=work["claim"], stance="agree"))


def test_mention_stance_must_be_usable_for_mentions(work):
    # 'unrelated' exists in the default set, but only for article stances.
    assert_rejected("mention_stance_in_label_set", lambda: mention_row(work, claim=work["claim"], stance="unrelated"))


def test_mention_speaker_must_share_the_project(work, other_project):
    stranger = make_speaker(other_project, "Stranger")
    assert_rejected("mention_speaker_same_project", lambda: mention_row(work, speaker=stranger))


def test_mention_claim_must_share_the_project(work, other_project):
    foreign = make_claim(other_project, "Foreign claim")
    assert_rejected("mention_claim_same_project", lambda: mention_row(work, claim=foreign))


def test_mention_update_is_checked_too(work):
    mention = make_mention(work["assignment"])
    assert_rejected(
        "mention_text_matches_body",
        lambda: ClaimMention.objects.filter(pk=mention.pk).update(text="We will not back dowN"),
    )


@pytest.mark.parametrize("with_speaker_and_claim", [False, True])
def test_one_mention_per_span_speaker_and_claim_in_an_assignment(work, with_speaker_and_claim):
    # NULLS NOT DISTINCT: two mentions without a speaker (the outlet's claim) are the same mention too.
    fields = {"speaker": work["speaker"], "claim": work["claim"]} if with_speaker_and_claim else {}
    mention_row(work, **fields)
    assert_rejected("mention_one_per_span_speaker_claim", lambda: mention_row(work, quote_type="indirect", **fields))


def test_the_same_span_with_another_speaker_is_another_mention(work):
    mention_row(work)
    assert mention_row(work, speaker=work["speaker"]).pk


_MIGRATION = importlib.import_module("claims.migrations.0008_one_mention_per_span")


def test_migration_0006_keeps_the_earliest_mention_of_each_duplicate_group(work, article, carol):
    """The migration's clean-up on rows stored before the constraint (dropped here, inside the test's
    transaction, so the old data can be made): the earliest id of each group stays, and a decision
    on a draft that pointed at a removed copy points at the one kept."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE claims_claimmention DROP CONSTRAINT mention_one_per_span_speaker_claim")
    kept = mention_row(work)
    copies = [mention_row(work, quote_type="indirect"), mention_row(work)]
    with_speaker = [mention_row(work, speaker=work["speaker"]) for _ in range(2)]
    carols = mention_row(work, assignment=make_assignment(article, carol))
    draft = Suggestion.objects.create(article=article, **span(BODY, "We will not back down"), quote_type="direct",
                                      confidence=0.9)  # fmt: skip
    decision = SuggestionDecision.objects.create(suggestion=draft, assignment=work["assignment"],
                                                 decision="accepted", mention=copies[1])  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(_MIGRATION.DEDUPLICATE)
        cursor.execute(
            "ALTER TABLE claims_claimmention ADD CONSTRAINT mention_one_per_span_speaker_claim "
            'UNIQUE NULLS NOT DISTINCT (assignment_id, start, "end", speaker_id, claim_id)'
        )
    remaining = set(ClaimMention.objects.values_list("pk", flat=True))
    assert remaining == {kept.pk, with_speaker[0].pk, carols.pk}
    decision.refresh_from_db()
    assert decision.mention_id == kept.pk


def test_code_points_agree_between_python_and_postgres(work):
    # 🚀 is one code point (two UTF-16 units): offsets after it must still match.
    quoted = span(BODY, "the minister said")
    assert mention_row(work, **quoted).pk


# --- article stances -----------------------------------------------------------------------------
def test_article_stance_is_unique_per_claim(work):
    ArticleStance.objects.create(assignment=work["assignment"], claim=work["claim"], stance="neutral")
    assert_rejected(
        "articlestance_unique_claim_per_assignment",
        lambda: ArticleStance.objects.create(assignment=work["assignment"], claim=work["claim"], stance="support"),
    )


def test_article_stance_label_must_be_in_the_set(work):
    assert_rejected(
        "articlestance_stance_in_label_set",
        lambda: ArticleStance.objects.create(assignment=work["assignment"], claim=work["claim"], stance="agree"),
    )


def test_article_stance_claim_must_share_the_project(work, other_project):
    foreign = make_claim(other_project, "Foreign claim")
    assert_rejected(
        "articlestance_claim_same_project",
        lambda: ArticleStance.objects.create(assignment=work["assignment"], claim=foreign, stance="neutral"),
    )


def test_article_stance_is_not_empty(work):
    assert_rejected(
        "articlestance_stance_not_empty",
        lambda: ArticleStance.objects.create(assignment=work["assignment"], claim=work["claim"], stance=""),
    )
