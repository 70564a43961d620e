"""The assignment page, server side: who may open it and use its forms, what each form changes, and the
qualification results on the dashboard."""

from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import Article, Assignment, Role
from claims.services.assignments import article_queue_settings, assignment_submit
from claims.services.review import gold_get_or_create, gold_mention_copy, review_complete
from tests.api import fingerprint
from tests.builders import add_member, make_article, make_assignment, make_mention, make_user


@pytest.fixture
def held(project, bob):
    article = make_article(project, title="Harbour works")
    return make_assignment(article, bob)


def page(client, project, **query):
    return client.get(f"/projects/{project.pk}/assignments/", query)


def test_the_page_lists_who_holds_each_article(client, project, alice, held):
    client.force_login(alice)
    html = page(client, project).content.decode()
    assert "Harbour works" in html and "bob" in html and "assigned" in html
    assert f"/assignments/{held.pk}/release/" in html and "Release stale work" in html


def test_reviewers_read_the_page_without_its_forms(client, project, rita, held):
    client.force_login(rita)
    response = page(client, project)
    html = response.content.decode()
    assert response.status_code == 200 and "Harbour works" in html
    assert "/release/" not in html and "/assign/" not in html and "queue-settings" not in html


@pytest.mark.parametrize(("who", "status"), [("charlie", 404), ("bob", 403), ("rita", 200), ("alice", 200)])
def test_who_may_open_the_page(client, project, other_project, who, status, request):
    client.force_login(request.getfixturevalue(who))
    assert page(client, project).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client, project):
    response = page(client, project)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def posts(project, held, article):
    return [
        (f"/assignments/{held.pk}/release/", {}),
        (f"/projects/{project.pk}/assignments/release-stale/", {}),
        (f"/articles/{article.pk}/assign/", {"annotator": "carol"}),
        (f"/articles/{article.pk}/queue-settings/", {"priority": "5", "qualification": "on"}),
    ]


@pytest.mark.parametrize("who", ["charlie", "bob", "rita"])
def test_only_managers_post_and_refused_posts_change_nothing(client, project, other_project, held, who, request):
    Assignment.objects.filter(pk=held.pk).update(updated_at=timezone.now() - timedelta(days=400))
    client.force_login(request.getfixturevalue(who))
    before = fingerprint()
    for path, data in posts(project, held, held.article):
        assert client.post(path, data).status_code in (403, 404), path
    assert fingerprint() == before


def test_the_forms_release_assign_and_set_priorities(client, project, alice, carol, held):
    client.force_login(alice)
    other = make_article(project, title="Port strike")
    response = client.post(f"/articles/{other.pk}/queue-settings/", {"priority": "5", "qualification": "on",
                                                                    "show": "all", "offset": "0"})  # fmt: skip
    assert response.status_code == 302 and response["Location"].endswith("?show=all&offset=0")
    other.refresh_from_db()
    assert (other.priority, other.is_qualification) == (5, True)
    client.post(f"/articles/{other.pk}/assign/", {"annotator": "carol"})
    assert Assignment.objects.filter(article=other, annotator=carol).exists()
    followed = client.post(f"/assignments/{held.pk}/release/", follow=True)
    assert "back in the pool" in followed.content.decode()
    assert not Assignment.objects.filter(pk=held.pk).exists()


def test_bad_form_input_is_a_message_not_a_change(client, project, alice, held):
    client.force_login(alice)
    before = fingerprint()
    for path, data in [
        (f"/articles/{held.article_id}/queue-settings/", {"priority": "lots"}),
        (f"/articles/{held.article_id}/queue-settings/", {"priority": "5000"}),
        (f"/articles/{held.article_id}/assign/", {"annotator": "charlie"}),  # not a member
        (f"/articles/{held.article_id}/assign/", {"annotator": "bob"}),  # already has it
    ]:
        response = client.post(path, data, follow=True)
        assert response.status_code == 200 and 'class="message error"' in response.content.decode(), data
    assert fingerprint() == before


def test_stale_work_is_counted_marked_and_released_from_the_page(client, project, alice, held, settings):
    settings.ASSIGNMENT_STALE_DAYS = 3
    Assignment.objects.filter(pk=held.pk).update(updated_at=timezone.now() - timedelta(days=4))
    client.force_login(alice)
    html = page(client, project).content.decode()
    assert "1 open assignment with no sign of work for 3 days" in html and "stale-chip" in html
    followed = client.post(f"/projects/{project.pk}/assignments/release-stale/", follow=True).content.decode()
    assert "Released 1 stale assignment (idle 3 days or more)" in followed
    assert not Assignment.objects.filter(pk=held.pk).exists()


def test_the_dashboard_shows_accuracy_against_gold_on_qualification_items(client, project, alice, bob, rita):
    article = make_article(project)
    article_queue_settings(article=article, qualification=True)
    work = make_assignment(article, bob)
    mention = make_mention(work)
    assignment_submit(assignment=work)
    gold, _ = gold_get_or_create(article=article, reviewer=rita)
    gold_mention_copy(gold=gold, mention=mention)
    review_complete(gold=gold)
    client.force_login(alice)
    html = client.get(f"/projects/{project.pk}/dashboard/").content.decode()
    assert "1 qualification item, 1 with submitted gold." in html
    assert 'id="qualification-table"' in html and '100% <span class="muted small">(1/1)</span>' in html
    table = client.get(f"/projects/{project.pk}/dashboard.csv", {"table": "qualification"}).content.decode()
    assert "bob,1,found,1,1,1.0" in table


def test_articles_keep_their_queue_settings_out_of_annotators_pages(client, project, bob):
    article = make_article(project, title="Quiet quiz")
    article_queue_settings(article=article, qualification=True, priority=3)
    work = make_assignment(article, bob)
    client.force_login(bob)
    html = client.get(f"/assignments/{work.pk}/").content.decode() + client.get("/").content.decode()
    assert "qualification" not in html.lower() and "Assignments</a>" not in html
    assert Article.objects.get(pk=article.pk).is_qualification


def test_a_new_member_appears_in_the_assign_menu(client, project, alice, held):
    add_member(project, make_user("dora"), Role.ANNOTATOR)
    client.force_login(alice)
    assert '<option value="dora">dora</option>' in page(client, project).content.decode()
