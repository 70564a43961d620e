"""Many annotators at once: the queue never hands out a slot twice, and no update is lost."""

import threading

import pytest
from django.db import connection

from claims.models import Article, Assignment, AssignmentStatus, ClaimMention, Role
from claims.services import assignments as assignments_svc
from tests.api import client_for
from tests.builders import add_member, make_article, make_assignment, make_mention, make_project, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def in_parallel(calls):
    """Run the calls in threads (each with its own database connection), released together."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_parallel_next_calls_get_different_articles():
    manager = make_user("manager")
    project = make_project(manager=manager, annotators_per_article=1)
    annotators = [make_user(f"annotator{i}") for i in range(8)]
    for user in annotators:
        add_member(project, user, Role.ANNOTATOR)
    articles = [make_article(project) for _ in range(6)]
    url = f"/api/projects/{project.pk}/assignments/next/"
    responses = in_parallel([lambda user=user: client_for(user).post(url) for user in annotators])

    given = [r.json()["article"]["id"] for r in responses if r.status_code == 201]
    assert sorted(r.status_code for r in responses) == [201] * 6 + [204] * 2
    assert sorted(given) == sorted(a.pk for a in articles)
    assert Assignment.objects.count() == 6


def test_one_annotator_calling_next_twice_at_once_gets_one_assignment():
    manager = make_user("manager")
    project = make_project(manager=manager)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    make_article(project), make_article(project)
    url = f"/api/projects/{project.pk}/assignments/next/"
    responses = in_parallel([lambda: client_for(bob).post(url) for _ in range(4)])
    assert len({r.json()["id"] for r in responses}) == 1
    assert Assignment.objects.filter(annotator=bob).count() == 1


def test_two_writers_with_the_same_if_match_exactly_one_wins():
    manager = make_user("manager")
    project = make_project(manager=manager)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    mention = make_mention(make_assignment(make_article(project), bob))
    url = f"/api/mentions/{mention.pk}/"
    choices = ["indirect", "mixed"]
    responses = in_parallel(
        [lambda q=q: client_for(bob).patch(url, {"quote_type": q}, format="json", HTTP_IF_MATCH='"1"')
         for q in choices]
    )  # fmt: skip
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 412]
    winner = choices[[r.status_code for r in responses].index(200)]
    stored = ClaimMention.objects.get(pk=mention.pk)
    assert (stored.quote_type, stored.version) == (winner, 2)


def test_annotators_asking_for_work_at_once_do_not_wait_for_each_other():
    """`next` serialises one annotator's calls (their membership row), not the whole project's:
    while Bob's call is still open, Carol's goes through instead of queueing behind it."""
    from django.db import transaction

    from claims.services.assignments import assignment_next

    manager = make_user("manager")
    project = make_project(manager=manager)
    bob, carol = make_user("bob"), make_user("carol")
    add_member(project, bob, Role.ANNOTATOR)
    add_member(project, carol, Role.ANNOTATOR)
    make_article(project), make_article(project)
    bob_is_in, bob_may_finish = threading.Event(), threading.Event()

    def bob_asks():
        try:
            with transaction.atomic():
                assignment_next(project=project, user=bob)
                bob_is_in.set()
                bob_may_finish.wait(10)
        finally:
            connection.close()

    bob_thread = threading.Thread(target=bob_asks)
    bob_thread.start()
    try:
        assert bob_is_in.wait(10)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
            work, created = assignment_next(project=project, user=carol)
        assert created and work.annotator == carol
    finally:
        bob_may_finish.set()
        bob_thread.join()


def test_an_article_stays_flagged_right_when_its_work_changes_at_once():
    """A skip and a reopen of the same article's work at the same moment: each trigger counts after
    the other's commit, so the flag ends as the count says (without the article lock, the reopen's
    count could miss the skip and leave the article closed for good)."""
    manager, bob, carol = make_user("manager"), make_user("bob"), make_user("carol")
    project = make_project(manager=manager)  # 2 annotators per article
    for user in (bob, carol):
        add_member(project, user, Role.ANNOTATOR)
    for _ in range(10):
        article = make_article(project)
        skipped = assignments_svc.assignment_skip(assignment=make_assignment(article, bob), reason="Not news")
        working = make_assignment(article, carol)
        in_parallel([
            lambda working=working: assignments_svc.assignment_skip(assignment=working, reason="Not news either"),
            lambda skipped=skipped: assignments_svc.assignment_reopen(assignment=skipped),
        ])  # fmt: skip
        counted = Assignment.objects.filter(article=article, is_gold=False).exclude(status=AssignmentStatus.SKIPPED)
        assert Article.objects.get(pk=article.pk).needs_annotators == (counted.count() < 2)
