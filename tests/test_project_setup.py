"""Running a project from the app: creating it, its labels and guidelines, archiving it, its team, and
accounts for new members with their one-time secret (pages and API)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from rest_framework.authtoken.models import Token

from claims.models import Article, Assignment, Membership, PasswordChangeRequired, Project, Role
from claims.services import projects as project_services
from claims.services.accounts import FIRST_PASSWORD_REQUIRED, account_create
from claims.services.assignments import assignment_submit
from tests.api import build_world, client_for, fingerprint
from tests.builders import add_member, make_article, make_assignment, make_user

SPAN = {"start": 0, "end": 9, "text": "Officials"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


# --- creating a project and setting it up --------------------------------------------------------------------


def test_a_manager_creates_a_project_with_its_settings_and_becomes_its_manager(db):
    world = build_world()
    response = signed_in(world.users["alice"]).post(
        "/projects/new/",
        {"name": " Elections 2026 ", "description": "Who claimed what about turnout.", "annotators_per_article": "3",
         "preannotate_on_import": "on"},
    )  # fmt: skip
    project = Project.objects.get(name="Elections 2026")
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/labels/"
    assert (project.description, project.annotators_per_article) == ("Who claimed what about turnout.", 3)
    assert (project.blind_annotation, project.preannotate_on_import) == (False, True)
    assert Membership.objects.get(project=project).user == world.users["alice"]
    assert project.stance_labels.count() == 5


def test_a_bad_new_project_is_refused_with_its_reasons_and_stores_nothing(db):
    world = build_world()
    before = Project.objects.count()
    response = signed_in(world.users["alice"]).post("/projects/new/", {"name": " ", "annotators_per_article": "0"})
    assert response.status_code == 400
    page = response.content.decode()
    assert project_services.PROJECT_NAME_REQUIRED in page and project_services.PROJECT_OVERLAP_RANGE in page
    assert Project.objects.count() == before


def test_labels_page_adds_renames_and_maps_labels(db):
    world = build_world()
    form = {"label-count": "2"}
    rows = [("support", "Support", "1", "#2e7d32", "agree", "for", "FAVOR"),
            ("refute", "Refute", "2", "#c62828", "disagree", "against", "AGAINST")]  # fmt: skip
    # neutral is used by Bob's article stance: keep it; the others not in use may go.
    rows.append(("neutral", "Neither way", "3", "#546e7a", "discuss", "observing", "NONE"))
    rows.append(("sarcasm", "Sarcastic", "s", "#6a1b9a", "omit", "", ""))
    form["label-count"] = str(len(rows) + 1)
    for i, (value, name, key, colour, fnc1, emergent, semeval) in enumerate(rows):
        fields = {"value": value, "name": name, "shortcut": key, "colour": colour, "fnc1": fnc1,
                  "emergent": emergent, "semeval": semeval, "for_mentions": "on", "for_articles": "on"}  # fmt: skip
        form |= {f"label-{i}-{field}": text for field, text in fields.items()}
    response = signed_in(world.users["alice"]).post(f"/projects/{world.project.pk}/labels/", form)
    assert response.status_code == 302
    labels = list(world.project.stance_labels.order_by("position").values_list("value", "name", "shortcut", "fnc1"))
    assert labels == [("support", "Support", "1", "agree"), ("refute", "Refute", "2", "disagree"),
                      ("neutral", "Neither way", "3", "discuss"), ("sarcasm", "Sarcastic", "s", "omit")]  # fmt: skip


def test_labels_page_refuses_to_orphan_a_label_in_use_and_changes_nothing(db):
    world = build_world()
    labels = list(world.project.stance_labels.order_by("position").values())
    form = {"label-count": str(len(labels))}
    for i, label in enumerate(labels):
        form |= {f"label-{i}-{key}": label[key] for key in ("value", "name", "shortcut", "colour")}
        form |= {f"label-{i}-for_mentions": "on", f"label-{i}-for_articles": "on"}
    refute = next(i for i, label in enumerate(labels) if label["value"] == "refute")
    form[f"label-{refute}-remove"] = "on"  # Bob's mention holds "refute"
    alice = signed_in(world.users["alice"])
    before = fingerprint()
    response = alice.post(f"/projects/{world.project.pk}/labels/", form)
    assert response.status_code == 400
    assert escape(project_services.LABEL_IN_USE.format(value="refute")) in response.content.decode()
    assert fingerprint() == before


def test_the_labels_page_shows_each_colour_with_its_contrast_check(db):
    world = build_world()
    page = signed_in(world.users["alice"]).get(f"/projects/{world.project.pk}/labels/").content.decode()
    assert page.count('type="color"') == 6  # five labels and the empty row for a new one
    assert 'aria-describedby="label-0-contrast"' in page and "annotator/labels.js" in page


def test_guidelines_are_saved_and_their_preview_is_sanitised(db):
    world = build_world()
    alice = signed_in(world.users["alice"])
    text = "# Rules\n\nMark **every** quote. <script>alert(1)</script> <img src=x onerror=alert(1)>"
    preview = alice.post(f"/projects/{world.project.pk}/guidelines/preview/", {"guidelines": text})
    html = preview.content.decode()
    assert preview.status_code == 200 and "<h1>Rules</h1>" in html and "<strong>every</strong>" in html
    assert "<script" not in html and "onerror" not in html and "<img" not in html
    assert alice.post(f"/projects/{world.project.pk}/guidelines/", {"guidelines": text}).status_code == 302
    world.project.refresh_from_db()
    assert world.project.guidelines == text


# --- archiving -----------------------------------------------------------------------------------------------


def test_an_archived_project_refuses_every_write_with_one_clear_message(db):
    world = build_world()
    project_services.project_archive(project=world.project)
    before = fingerprint()
    bob, alice = client_for(world.users["bob"]), client_for(world.users["alice"])
    writes = [
        bob.post(f"/api/assignments/{world.bob_work.pk}/mentions/", SPAN, format="json"),
        bob.post(f"/api/projects/{world.project.pk}/assignments/next/"),
        bob.post(f"/api/projects/{world.project.pk}/speakers/", {"name": "Someone"}, format="json"),
        alice.post(f"/api/projects/{world.project.pk}/articles/", {"external_id": "n", "body": "B."}, format="json"),
        alice.patch(f"/api/projects/{world.project.pk}/", {"name": "Renamed"}, format="json"),
        alice.patch(f"/api/claims/{world.claim.pk}/", {"notes": "n"}, format="json"),
    ]
    for response in writes:
        assert response.status_code == 400, response.content
        assert response.json()["project"] == [project_services.PROJECT_ARCHIVED]
    assert fingerprint() == before


def test_an_archived_project_is_still_read_and_exported_by_reviewers_and_managers(db):
    world = build_world()
    project_services.project_archive(project=world.project)
    rita = client_for(world.users["rita"])
    assert rita.get(f"/api/projects/{world.project.pk}/").json()["archived_at"] is not None
    export = rita.get(f"/api/projects/{world.project.pk}/export/?format=jsonl&scope=all")
    assert export.status_code == 200 and b"".join(export.streaming_content)
    assert signed_in(world.users["rita"]).get(f"/projects/{world.project.pk}/data/").status_code == 200


def test_an_archived_project_is_hidden_from_its_annotators_home_but_not_its_managers(db):
    world = build_world()
    project_services.project_archive(project=world.project)
    bob_home = signed_in(world.users["bob"]).get("/").content.decode()
    assert f'id="project-{world.project.pk}"' not in bob_home
    assert f"/assignments/{world.bob_work.pk}/" not in bob_home  # his open work there is not offered either
    manager_home = signed_in(world.users["alice"]).get("/").content.decode()
    assert f'id="project-{world.project.pk}"' in manager_home and ">archived<" in manager_home


def test_archiving_and_restoring_from_the_settings_page(db):
    world = build_world()
    alice = signed_in(world.users["alice"])
    alice.post(f"/projects/{world.project.pk}/settings/archive/", {"action": "archive"})
    world.project.refresh_from_db()
    assert world.project.archived_at is not None
    refused = alice.post(f"/projects/{world.project.pk}/settings/", {"name": "X", "annotators_per_article": "2"})
    assert refused.status_code == 400 and project_services.PROJECT_ARCHIVED in refused.content.decode()
    alice.post(f"/projects/{world.project.pk}/settings/archive/", {"action": "restore"})
    world.project.refresh_from_db()
    assert world.project.archived_at is None
    assert client_for(world.users["bob"]).post(f"/api/projects/{world.project.pk}/assignments/next/").status_code in (
        200,
        201,
    )


def test_the_api_archives_and_restores_a_project(db):
    world = build_world()
    alice = client_for(world.users["alice"])
    assert alice.post(f"/api/projects/{world.project.pk}/archive/").json()["archived_at"] is not None
    assert alice.post(f"/api/projects/{world.project.pk}/archive/").status_code == 400  # already archived
    assert alice.post(f"/api/projects/{world.project.pk}/restore/").json()["archived_at"] is None


# --- the team ------------------------------------------------------------------------------------------------


def test_the_team_page_lists_members_with_role_and_progress(db):
    world = build_world()
    page = signed_in(world.users["rita"]).get(f"/projects/{world.project.pk}/team/").content.decode()
    for name in ("alice", "bob", "carol", "rita"):
        assert f'<th scope="row">{name}' in page
    assert "Create an account" not in page and "Change role" not in page  # reviewers read only
    manager_page = signed_in(world.users["alice"]).get(f"/projects/{world.project.pk}/team/").content.decode()
    assert "Create an account" in manager_page and "release their 1 unsubmitted assignment" in manager_page


def test_removing_a_member_with_unsubmitted_work_is_refused_until_it_is_released(db):
    world = build_world()
    alice = signed_in(world.users["alice"])
    url = f"/projects/{world.project.pk}/team/{world.users['carol'].pk}/remove/"
    before = fingerprint()
    refused = alice.post(url, follow=True)
    assert project_services.MEMBER_HOLDS_WORK.format(username="carol", count=1) in page_messages(refused)
    assert fingerprint() == before
    alice.post(url, {"release_work": "on"})
    assert not Membership.objects.filter(project=world.project, user=world.users["carol"]).exists()
    assert not Assignment.objects.filter(pk=world.carol_work.pk).exists()
    assert Article.objects.get(pk=world.article.pk).needs_annotators  # the slot is back in the pool


def test_a_member_whose_work_is_all_submitted_is_removed_and_the_work_stays(db):
    world = build_world()
    assignment_submit(assignment=world.bob_work)
    signed_in(world.users["alice"]).post(f"/projects/{world.project.pk}/team/{world.users['bob'].pk}/remove/")
    assert not Membership.objects.filter(project=world.project, user=world.users["bob"]).exists()
    assert Assignment.objects.filter(pk=world.bob_work.pk).exists()


def test_the_last_manager_cannot_be_removed_or_demoted_from_the_page(db):
    world = build_world()
    alice = signed_in(world.users["alice"])
    before = fingerprint()
    removed = alice.post(f"/projects/{world.project.pk}/team/{world.users['alice'].pk}/remove/", follow=True)
    demoted = alice.post(
        f"/projects/{world.project.pk}/team/{world.users['alice'].pk}/role/", {"role": "annotator"}, follow=True
    )
    assert project_services.LAST_MANAGER in page_messages(removed)
    assert project_services.LAST_MANAGER in page_messages(demoted)
    assert fingerprint() == before


def test_adding_an_existing_user_and_changing_their_role(db):
    world = build_world()
    alice = signed_in(world.users["alice"])
    alice.post(f"/projects/{world.project.pk}/team/add/", {"username": "charlie", "role": "annotator"})
    alice.post(f"/projects/{world.project.pk}/team/{world.users['charlie'].pk}/role/", {"role": "reviewer"})
    assert Membership.objects.get(project=world.project, user=world.users["charlie"]).role == "reviewer"


# --- accounts and their first sign-in ------------------------------------------------------------------------


def test_a_new_account_link_is_shown_once_and_signs_in_once(db):
    world = build_world()
    alice = signed_in(world.users["alice"])
    alice.post(f"/projects/{world.project.pk}/team/accounts/",
               {"username": "nina", "email": "nina@example.org", "role": "annotator", "sign_in": "link"})  # fmt: skip
    page = alice.get(f"/projects/{world.project.pk}/team/")
    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]
    link = re.search(r'value="http://testserver(/accounts/welcome/[^"]+)"', page.content.decode()).group(1)
    assert "/accounts/welcome/" not in alice.get(f"/projects/{world.project.pk}/team/").content.decode()
    assert Membership.objects.get(project=world.project, user__username="nina").role == "annotator"

    nina = Client()
    form_url = nina.get(link)["Location"]  # Django swaps the token for a session key before showing the form
    password = "a long new password 42"
    done = nina.post(form_url, {"new_password1": password, "new_password2": password})
    assert done.status_code == 302 and done["Location"] == "/"
    assert nina.get("/").status_code == 200  # signed in
    again = Client().get(link, follow=True)
    assert "This sign-in link no longer works" in again.content.decode()


def test_a_generated_password_must_be_changed_at_the_first_sign_in(db):
    world = build_world()
    account = account_create(project=world.project, username="omar", sign_in="password")
    omar = Client()
    signed = omar.post("/accounts/login/", {"username": "omar", "password": account.password})
    assert signed.status_code == 302
    assert omar.get("/")["Location"] == "/accounts/password/"
    assert omar.get(f"/api/projects/{world.project.pk}/").json()["detail"] == FIRST_PASSWORD_REQUIRED
    new = "my very own password 7"
    changed = omar.post("/accounts/password/",
                        {"old_password": account.password, "new_password1": new, "new_password2": new})  # fmt: skip
    assert changed.status_code == 302
    assert not PasswordChangeRequired.objects.filter(user__username="omar").exists()
    assert omar.get("/").status_code == 200


# The token endpoint runs outside a request transaction, as in production: its refusal must not spoil the test's.
@pytest.mark.django_db(transaction=True)
def test_a_generated_password_gets_no_api_token_until_it_is_changed():
    world = build_world()
    account = account_create(project=world.project, username="omar", sign_in="password")
    body = {"username": "omar", "password": account.password}
    token = Client().post("/api/auth/token/", body, content_type="application/json")
    assert token.status_code == 400 and token.json()["password"] == [FIRST_PASSWORD_REQUIRED]
    assert not Token.objects.filter(user__username="omar").exists()


def test_the_api_creates_an_account_and_answers_its_secret_once(db):
    world = build_world()
    alice = client_for(world.users["alice"])
    response = alice.post(f"/api/projects/{world.project.pk}/accounts/",
                          {"username": "pia", "role": "reviewer", "sign_in": "password"}, format="json")  # fmt: skip
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["username"] == "pia" and body["role"] == "reviewer" and body["sign_in_url"] is None
    assert len(body["password"]) >= 16
    member = alice.get(f"/api/projects/{world.project.pk}/members/pia/").json()
    assert body["password"] not in str(member) and member["role"] == "reviewer"
    link = alice.post(f"/api/projects/{world.project.pk}/accounts/", {"username": "quinn"}, format="json").json()
    assert link["password"] is None and link["sign_in_url"].startswith("http://testserver/accounts/welcome/")


@pytest.mark.parametrize(
    ("body", "field"),
    [({"username": "bob"}, "username"), ({"username": "BOB"}, "username"), ({"username": "a b"}, "username"),
     ({"username": "x", "email": "not-an-address"}, "email")],
)  # fmt: skip
def test_an_account_that_cannot_be_created_is_a_400_and_stores_nothing(db, body, field):
    world = build_world()
    before = fingerprint()
    response = client_for(world.users["alice"]).post(f"/api/projects/{world.project.pk}/accounts/", body, format="json")
    assert response.status_code == 400 and field in response.json()
    assert fingerprint() == before


def test_the_team_page_costs_the_same_queries_however_many_members(db):
    world = build_world()
    alice = signed_in(world.users["alice"])
    url = f"/projects/{world.project.pk}/team/"
    alice.get(url)  # the session's first request settles it
    with CaptureQueriesContext(connection) as few:
        assert alice.get(url).status_code == 200
    article = make_article(world.project)
    for n in range(8):
        member = make_user(f"extra{n}")
        add_member(world.project, member, Role.ANNOTATOR)
        make_assignment(article, member)
    with CaptureQueriesContext(connection) as many:
        page = alice.get(url)
    assert "extra7" in page.content.decode()
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
