"""The pages, server side: who may open what, starting work, sign-in lockout, safe guidelines."""

import pytest
from django.core.cache import cache

from annotator.markdown import render_markdown
from claims.models import Assignment, Role
from tests.builders import add_member, make_article, make_assignment, make_project, make_user


@pytest.fixture
def team(db):
    mia = make_user("mia")
    project = make_project(manager=mia, name="Newsroom")
    bob, carol = make_user("bob"), make_user("carol")
    add_member(project, bob, Role.ANNOTATOR)
    add_member(project, carol, Role.ANNOTATOR)
    return project, bob, carol


def test_pages_need_a_signed_in_user(client, team):
    project, bob, _ = team
    work = make_assignment(make_article(project), bob)
    for path in ["/", f"/assignments/{work.pk}/"]:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_start_annotating_opens_the_next_article(client, team):
    project, bob, _ = team
    article = make_article(project)
    client.force_login(bob)
    response = client.post(f"/projects/{project.pk}/start/")
    work = Assignment.objects.get(annotator=bob)
    assert response.status_code == 302 and response["Location"] == f"/assignments/{work.pk}/"
    assert work.article == article


def test_start_annotating_with_nothing_left_says_so(client, team):
    project, bob, _ = team
    client.force_login(bob)
    response = client.post(f"/projects/{project.pk}/start/", follow=True)
    assert "Nothing is left to annotate in Newsroom" in response.content.decode()


def test_start_annotating_needs_post_and_membership(client, team, db):
    project, _, _ = team
    outsider = make_user("zed")
    client.force_login(outsider)
    assert client.get(f"/projects/{project.pk}/start/").status_code == 405
    assert client.post(f"/projects/{project.pk}/start/").status_code == 404


def test_annotators_cannot_open_each_others_work(client, team):
    project, bob, carol = team
    work = make_assignment(make_article(project), bob)
    client.force_login(carol)
    assert client.get(f"/assignments/{work.pk}/").status_code == 404
    client.force_login(bob)
    page = client.get(f"/assignments/{work.pk}/")
    assert page.status_code == 200
    assert '"can_edit": true' in page.content.decode()


def test_the_page_embeds_data_as_json_not_as_script(client, team):
    project, bob, _ = team
    work = make_assignment(make_article(project, body="</script><script>alert(1)</script>"), bob)
    client.force_login(bob)
    html = client.get(f"/assignments/{work.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert '<script id="page-data" type="application/json">' in html


def test_guidelines_markdown_is_sanitised():
    html = render_markdown(
        "# Title\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)> **bold**"
    )
    assert "<h1>Title</h1>" in html and "<strong>bold</strong>" in html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html and "<img" not in html


@pytest.mark.django_db(transaction=True)  # sign-in attempts must persist as they do in production
def test_repeated_failed_sign_ins_lock_the_username_without_revealing_it(client):
    cache.clear()
    make_user("bob")
    answers = [client.post("/accounts/login/", {"username": name, "password": "wrong"}).status_code
               for name in ["bob"] * 10 + ["nobody"] * 10]  # fmt: skip
    assert answers[:9] == [200] * 9 and answers[9] == 429
    assert answers[10:19] == [200] * 9 and answers[19] == 429  # the same for a username that does not exist
    locked = client.post("/accounts/login/", {"username": "bob", "password": "correct horse battery"})
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.content.decode()
