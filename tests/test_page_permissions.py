"""The pages' permission matrix: every set-up and team page route × anonymous, outsider, annotator, reviewer
and manager, read and write. Annotators see none of these pages (403, as the API answers a member whose role
may not), outsiders get 404, reviewers read the team page only, managers everything; anonymous visitors are
sent to sign in. A refused POST leaves every stored row exactly as it was.

To cover a new page, add a row to PAGE_ROUTES: its name, method, URL, form data and expected answer per
persona ("login": a redirect to the sign-in page; 302: the page's own redirect after a write).
"""

import pytest
from django.test import Client

from tests.api import build_world, fingerprint

PERSONAS = ("anon", "charlie", "bob", "rita", "alice")
LOGIN = "login"


def expect(*answers) -> dict:
    return dict(zip(PERSONAS, answers, strict=True))


MANAGERS_READ = expect(LOGIN, 404, 403, 403, 200)
MANAGERS_WRITE = expect(LOGIN, 404, 403, 403, 302)
REVIEWERS_READ = expect(LOGIN, 404, 403, 200, 200)


def label_form(w) -> dict:
    labels = list(w.project.stance_labels.order_by("position").values())
    form = {"label-count": str(len(labels))}
    for i, label in enumerate(labels):
        for key in ("value", "name", "shortcut", "colour", "fnc1", "emergent", "semeval"):
            form[f"label-{i}-{key}"] = label[key]
        form |= {f"label-{i}-for_mentions": "on"} if label["for_mentions"] else {}
        form |= {f"label-{i}-for_articles": "on"} if label["for_articles"] else {}
    form["label-0-name"] = "Backs it"
    return form


# (name, method, url(w), form data(w) or None, expected answer by persona)
PAGE_ROUTES = [
    ("new project form", "get", lambda w: "/projects/new/", None, expect(LOGIN, 200, 403, 403, 200)),
    ("project settings", "get", lambda w: f"/projects/{w.project.pk}/settings/", None, MANAGERS_READ),
    ("stance labels", "get", lambda w: f"/projects/{w.project.pk}/labels/", None, MANAGERS_READ),
    ("guidelines", "get", lambda w: f"/projects/{w.project.pk}/guidelines/", None, MANAGERS_READ),
    ("team", "get", lambda w: f"/projects/{w.project.pk}/team/", None, REVIEWERS_READ),
    ("create a project", "post", lambda w: "/projects/new/",
     lambda w: {"name": "Fresh", "annotators_per_article": "2"}, expect(LOGIN, 302, 403, 403, 302)),
    ("save settings", "post", lambda w: f"/projects/{w.project.pk}/settings/",
     lambda w: {"name": "Renamed", "annotators_per_article": "3"}, MANAGERS_WRITE),
    ("save stance labels", "post", lambda w: f"/projects/{w.project.pk}/labels/", label_form, MANAGERS_WRITE),
    ("save guidelines", "post", lambda w: f"/projects/{w.project.pk}/guidelines/",
     lambda w: {"guidelines": "# Rules"}, MANAGERS_WRITE),
    ("preview guidelines", "post", lambda w: f"/projects/{w.project.pk}/guidelines/preview/",
     lambda w: {"guidelines": "*hi*"}, MANAGERS_READ),
    ("archive the project", "post", lambda w: f"/projects/{w.project.pk}/settings/archive/",
     lambda w: {"action": "archive"}, MANAGERS_WRITE),
    ("add an existing user", "post", lambda w: f"/projects/{w.project.pk}/team/add/",
     lambda w: {"username": "charlie", "role": "annotator"}, MANAGERS_WRITE),
    ("create an account", "post", lambda w: f"/projects/{w.project.pk}/team/accounts/",
     lambda w: {"username": "newcomer", "role": "annotator", "sign_in": "link"}, MANAGERS_WRITE),
    ("change a role", "post", lambda w: f"/projects/{w.project.pk}/team/{w.users['carol'].pk}/role/",
     lambda w: {"role": "reviewer"}, MANAGERS_WRITE),
    ("remove a member, releasing her work", "post",
     lambda w: f"/projects/{w.project.pk}/team/{w.users['carol'].pk}/remove/", lambda w: {"release_work": "on"},
     MANAGERS_WRITE),
    ("assignments", "get", lambda w: f"/projects/{w.project.pk}/assignments/", None, REVIEWERS_READ),
    # Another annotator's work is not visible to an annotator: 404, as in the API.
    ("release one annotator's work", "post", lambda w: f"/assignments/{w.carol_work.pk}/release/", None,
     expect(LOGIN, 404, 404, 403, 302)),
    # An article an annotator was not given is not visible to them either.
    ("assign an article", "post", lambda w: f"/articles/{w.spare_article.pk}/assign/",
     lambda w: {"annotator": "bob"}, expect(LOGIN, 404, 404, 403, 302)),
    ("queue settings", "post", lambda w: f"/articles/{w.spare_article.pk}/queue-settings/",
     lambda w: {"priority": "5", "qualification": "on"}, expect(LOGIN, 404, 404, 403, 302)),
    ("confirm a claim merge", "get", lambda w: f"/claims/{w.unused_claim.pk}/merge/?into={w.claim.pk}", None,
     REVIEWERS_READ),
    ("confirm a speaker merge", "get", lambda w: f"/speakers/{w.unused_speaker.pk}/merge/?into={w.speaker.pk}",
     None, REVIEWERS_READ),
]  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method", "url", "data", "expected"), PAGE_ROUTES, ids=[r[0] for r in PAGE_ROUTES])
def test_page_route(db, persona, name, method, url, data, expected):
    world = build_world()
    client = Client()
    if persona != "anon":
        client.force_login(world.users[persona])
    before = fingerprint()
    response = getattr(client, method)(url(world), data(world) if data else None)
    wanted = expected[persona]
    if wanted == LOGIN:
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == wanted, response.content[:500]
    if method == "post" and (wanted == LOGIN or wanted >= 400):
        assert fingerprint() == before, "a refused write changed stored data"
    if method == "post" and wanted == 302:
        assert fingerprint() != before, "the manager's write changed nothing"


def test_a_page_write_without_its_csrf_token_is_refused_and_changes_nothing(db):
    world = build_world()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["alice"])
    before = fingerprint()
    response = client.post(f"/projects/{world.project.pk}/team/accounts/", {"username": "x", "sign_in": "link"})
    assert response.status_code == 403
    assert fingerprint() == before


@pytest.mark.parametrize("persona", ["bob", "rita"])
def test_annotators_and_reviewers_see_no_link_to_the_manager_pages(db, persona):
    world = build_world()
    client = Client()
    client.force_login(world.users[persona])
    home = client.get("/").content.decode()
    for path in ("settings", "labels", "guidelines"):
        assert f"/projects/{world.project.pk}/{path}/" not in home
    assert ("/team/" in home) == (persona == "rita")
    assert "/projects/new/" not in home
