"""An annotator reopens their own submitted work (PATCH status in_progress with If-Match) until a
reviewer starts on the article; then only the reviewer sends it back."""

import threading

import pytest
from django.db import connection, transaction

from claims.access import SEND_BACK_ROLE
from claims.models import Assignment, Role
from claims.services import assignments as svc
from claims.services.errors import RuleViolation
from claims.services.review import gold_get_or_create
from tests.api import client_for, fingerprint
from tests.builders import add_member, errors_of, make_article, make_assignment, make_mention, make_project


@pytest.fixture
def handed_in(project, bob, carol):
    """Bob and Carol have both submitted their work on one article (overlap 2): it waits for review."""
    article = make_article(project)
    works = {}
    for user in (bob, carol):
        work = make_assignment(article, user)
        make_mention(work)
        works[user.username] = svc.assignment_submit(assignment=work)
    return article, works


def reopen(user, work, version=None):
    version = work.version if version is None else version
    return client_for(user).patch(
        f"/api/assignments/{work.pk}/", {"status": "in_progress"}, format="json", HTTP_IF_MATCH=f'"{version}"'
    )


def queued(project, reviewer) -> list[int]:
    """The articles ready for review: everyone expected has handed in (incomplete ones are listed apart)."""
    queue = client_for(reviewer).get(f"/api/projects/{project.pk}/review-queue/").json()
    return [item["article"]["id"] for item in queue if item["complete"]]


def test_an_annotator_reopens_their_submitted_work_and_can_label_again(project, handed_in, bob, rita):
    article, works = handed_in
    assert queued(project, rita) == [article.pk]
    response = reopen(bob, works["bob"])
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["submitted_at"]) == ("in_progress", None)
    assert response["ETag"] == f'"{works["bob"].version + 1}"'
    # Open again: the labels can change, and the article waits for Bob before anyone reviews it.
    created = client_for(bob).post(
        f"/api/assignments/{works['bob'].pk}/mentions/", {"start": 0, "end": 9, "text": "Officials"}, format="json"
    )
    assert created.status_code == 201
    assert queued(project, rita) == []


def test_reopening_needs_the_version_last_read(handed_in, bob):
    _article, works = handed_in
    before = fingerprint()
    assert reopen(bob, works["bob"], version=works["bob"].version - 1).status_code == 412
    url = f"/api/assignments/{works['bob'].pk}/"
    unconditional = client_for(bob).patch(url, {"status": "in_progress"}, format="json")
    assert unconditional.status_code == 428
    assert fingerprint() == before


@pytest.mark.parametrize(("blind", "refused"), [(True, 404), (False, 403)])
def test_another_annotator_cannot_reopen_someone_elses_work(alice, bob, carol, blind, refused):
    """In a blind project the work of others does not exist for an annotator; in an open one it is a 403."""
    project = make_project(manager=alice, blind_annotation=blind)
    add_member(project, bob, Role.ANNOTATOR)
    add_member(project, carol, Role.ANNOTATOR)
    work = svc.assignment_submit(assignment=make_assignment(make_article(project), bob))
    before = fingerprint()
    response = reopen(carol, work)
    assert response.status_code == refused
    if refused == 403:
        assert response.json()["detail"] == SEND_BACK_ROLE
    assert fingerprint() == before


def test_once_a_reviewer_has_started_the_annotator_cannot_reopen(handed_in, bob, rita):
    article, works = handed_in
    assert client_for(rita).post(f"/api/articles/{article.pk}/gold/").status_code == 201
    before = fingerprint()
    response = reopen(bob, works["bob"])
    assert response.status_code == 400 and response.json() == {"status": [svc.REOPEN_REVIEW_STARTED]}
    assert fingerprint() == before
    # The reviewer still sends it back.
    sent_back = client_for(rita).patch(
        f"/api/assignments/{works['bob'].pk}/", {"status": "in_progress", "review_comment": "Mark the cue."},
        format="json", HTTP_IF_MATCH=f'"{works["bob"].version}"',
    )  # fmt: skip
    assert sent_back.status_code == 200


@pytest.mark.parametrize("state", ["assigned", "in_progress", "skipped"])
def test_only_submitted_work_is_reopened(project, bob, state):
    work = make_assignment(make_article(project), bob)
    if state == "in_progress":
        make_mention(work)
    elif state == "skipped":
        svc.assignment_skip(assignment=work, reason="Not news")
    work.refresh_from_db()
    assert work.status == state
    before = fingerprint()
    response = reopen(bob, work)
    assert response.status_code == 400 and response.json() == {"status": [svc.REOPEN_OWN_NOT_SUBMITTED]}
    assert fingerprint() == before


def test_the_service_refuses_after_review_started_and_keeps_the_work_submitted(handed_in, rita):
    article, works = handed_in
    client_for(rita).post(f"/api/articles/{article.pk}/gold/")
    assert errors_of(svc.assignment_reopen_own, assignment=works["carol"]) == {"status": [svc.REOPEN_REVIEW_STARTED]}
    assert Assignment.objects.get(pk=works["carol"].pk).status == "submitted"


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_a_reopen_waits_for_a_reviewers_start_in_flight_and_is_then_refused(project, bob, carol, rita):
    """The reviewer's start (the gold row's insert locks the article) and a reopen (which locks the article
    before it looks for gold) are serialised: a reopen never slips past a start that is committing."""
    article = make_article(project)
    work = svc.assignment_submit(assignment=make_assignment(article, bob))
    started, may_commit = threading.Event(), threading.Event()
    outcome = {}

    def rita_starts():
        try:
            with transaction.atomic():
                gold_get_or_create(article=article, reviewer=rita)
                started.set()
                may_commit.wait(10)
        finally:
            connection.close()

    def bob_reopens():
        try:
            svc.assignment_reopen_own(assignment=work)
            outcome["reopened"] = True
        except RuleViolation as error:
            outcome["errors"] = error.errors
        finally:
            connection.close()

    reviewer, annotator = threading.Thread(target=rita_starts), threading.Thread(target=bob_reopens)
    reviewer.start()
    try:
        assert started.wait(10)
        annotator.start()
        for _ in range(200):  # until Bob's reopen waits on the start's lock (at most 10 s)
            if waiting_for_a_lock():
                break
            threading.Event().wait(0.05)
        assert waiting_for_a_lock()
    finally:
        may_commit.set()
        reviewer.join()
        annotator.join()
    assert outcome == {"errors": {"status": [svc.REOPEN_REVIEW_STARTED]}}
    assert Assignment.objects.get(pk=work.pk).status == "submitted"


def test_the_home_page_lists_submitted_work_until_review_starts(client, handed_in, bob, rita):
    article, works = handed_in
    client.force_login(bob)
    home = client.get("/").content.decode()
    assert "Submitted, not yet reviewed" in home and f'href="/assignments/{works["bob"].pk}/"' in home
    client_for(rita).post(f"/api/articles/{article.pk}/gold/")
    assert "Submitted, not yet reviewed" not in client.get("/").content.decode()
