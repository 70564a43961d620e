"""Projects, label sets and memberships (services.projects)."""

import pytest

from claims.models import Membership, Role, StanceLabel
from claims.services import projects as svc
from tests.builders import errors_of, make_assignment, make_claim, make_mention, make_project


def test_new_project_gets_the_default_label_set_and_its_creator_manages_it(alice):
    project = svc.project_create(name="Elections 2026", created_by=alice)
    assert project.slug == "elections-2026"
    assert list(project.stance_labels.values_list("value", flat=True)) == [
        "support",
        "refute",
        "neutral",
        "query",
        "unrelated",
    ]
    unrelated = project.stance_labels.get(value="unrelated")
    assert (unrelated.for_mentions, unrelated.for_articles, unrelated.fnc1) == (False, True, "unrelated")
    assert Membership.objects.get(project=project, user=alice).role == Role.MANAGER


def test_slug_is_made_unique(alice):
    first = svc.project_create(name="Same", created_by=alice)
    second = svc.project_create(name="Same", created_by=alice)
    assert (first.slug, second.slug) == ("same", "same-2")


def test_project_needs_a_name(db):
    assert errors_of(svc.project_create, name="  ") == {"name": [svc.PROJECT_NAME_REQUIRED]}


def test_slug_must_be_valid(db):
    assert errors_of(svc.project_create, name="P", slug="Not A Slug")["slug"] == [svc.PROJECT_SLUG_INVALID]


def test_slug_must_be_free(project):
    assert errors_of(svc.project_create, name="P", slug=project.slug)["slug"] == [svc.PROJECT_SLUG_TAKEN]


@pytest.mark.parametrize("overlap", [0, 51, "2", 2.5])
def test_overlap_is_a_whole_number_from_1_to_50(db, overlap):
    errors = errors_of(svc.project_create, name="P", annotators_per_article=overlap)
    assert errors == {"annotators_per_article": [svc.PROJECT_OVERLAP_RANGE]}


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ([], svc.LABELS_EMPTY),
        ("support", svc.LABEL_NOT_OBJECT),
        ([{"name": "no value"}], svc.LABEL_NOT_OBJECT),
        ([{"value": "has space"}], svc.LABEL_VALUE_INVALID.format(value="has space")),
        ([{"value": "a"}, {"value": "a"}], svc.LABEL_DUPLICATE.format(value="a")),
        ([{"value": "a", "shortcut": "ab"}], svc.LABEL_SHORTCUT_INVALID.format(shortcut="ab", value="a")),
        (
            [{"value": "a", "shortcut": "x"}, {"value": "b", "shortcut": "x"}],
            svc.LABEL_SHORTCUT_DUPLICATE.format(shortcut="x"),
        ),
        ([{"value": "a", "colour": "green"}], svc.LABEL_COLOUR_INVALID.format(colour="green", value="a")),
        (
            [{"value": "a", "fnc1": "yes"}],
            svc.LABEL_MAPPING_INVALID.format(
                value="a", format="fnc1", allowed="agree, disagree, discuss, unrelated, omit"
            ),
        ),
        ([{"value": "a", "for_mentions": False, "for_articles": False}], svc.LABEL_NO_USE.format(value="a")),
        ([{"value": "a", "for_articles": False}], svc.LABELS_EMPTY),
        ([{"value": "a", "name": "n" * 101}], svc.LABEL_NAME_INVALID.format(value="a")),
    ],
)
def test_label_set_rules(db, labels, message):
    assert message in errors_of(svc.project_create, name="P", stance_labels=labels)["stance_labels"]


def test_custom_label_set_is_stored_in_order(alice):
    project = svc.project_create(
        name="P", created_by=alice,
        stance_labels=[{"value": "pro", "shortcut": "p", "semeval": "FAVOR"}, {"value": "contra", "colour": "#112233"}],
    )  # fmt: skip
    labels = list(project.stance_labels.order_by("position"))
    assert [(label.value, label.name, label.shortcut, label.semeval) for label in labels] == [
        ("pro", "Pro", "p", "FAVOR"),
        ("contra", "Contra", "", ""),
    ]


def test_label_in_use_cannot_be_removed(project, article, bob):
    claim = make_claim(project)
    make_mention(make_assignment(article, bob), claim=claim, stance="query")
    kept = [label for label in project.stance_labels.values() if label["value"] != "query"]
    errors = errors_of(svc.project_update, project=project, stance_labels=kept)
    assert errors == {"stance_labels": [svc.LABEL_IN_USE.format(value="query")]}
    assert project.stance_labels.filter(value="query").exists()


def test_label_set_can_be_reordered_and_shortcuts_swapped(project):
    labels = list(project.stance_labels.values("value", "shortcut", "for_mentions", "for_articles"))
    labels[0]["shortcut"], labels[1]["shortcut"] = labels[1]["shortcut"], labels[0]["shortcut"]
    svc.project_update(project=project, stance_labels=list(reversed(labels)))
    assert project.stance_labels.get(value="support").shortcut == "2"
    assert StanceLabel.objects.filter(project=project).order_by("position").first().value == "unrelated"


def test_project_settings_change(project):
    svc.project_update(project=project, name="Renamed", annotators_per_article=3, guidelines="# Rules")
    project.refresh_from_db()
    assert (project.name, project.annotators_per_article, project.guidelines) == ("Renamed", 3, "# Rules")


def test_unknown_project_fields_are_refused(project):
    assert errors_of(svc.project_update, project=project, created_by=None) == {
        "created_by": ["This field cannot be changed."]
    }


def test_membership_role_must_be_known(project, charlie):
    assert errors_of(svc.membership_set, project=project, user=charlie, role="owner") == {
        "role": [svc.MEMBER_ROLE_UNKNOWN]
    }


def test_membership_role_changes_and_removal(project, bob):
    svc.membership_set(project=project, user=bob, role=Role.REVIEWER)
    assert Membership.objects.get(project=project, user=bob).role == Role.REVIEWER
    svc.membership_remove(project=project, user=bob)
    assert not Membership.objects.filter(project=project, user=bob).exists()


def test_project_without_creator_has_no_members(db):
    assert make_project().memberships.count() == 0


def test_the_last_manager_cannot_leave_or_step_down(project, alice, bob):
    assert errors_of(svc.membership_remove, project=project, user=alice) == {"role": [svc.LAST_MANAGER]}
    assert errors_of(svc.membership_set, project=project, user=alice, role=Role.REVIEWER) == {
        "role": [svc.LAST_MANAGER]
    }
    svc.membership_set(project=project, user=bob, role=Role.MANAGER)
    svc.membership_remove(project=project, user=alice)
    assert not Membership.objects.filter(project=project, user=alice).exists()
