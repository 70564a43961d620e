"""Handing out work and moving it through its states (services.assignments)."""

import pytest

from claims.models import Assignment, AssignmentStatus
from claims.services import assignments as svc
from claims.services.errors import StaleVersion
from claims.services.projects import project_update
from tests.builders import errors_of, make_article, make_assignment, make_mention, make_project


def test_next_gives_each_annotator_articles_until_overlap_is_met(project, bob, carol, rita):
    first, second = make_article(project), make_article(project)
    bob_work, created = svc.assignment_next(project=project, user=bob)
    assert created and bob_work.article == first
    svc.assignment_submit(assignment=bob_work)
    assert svc.assignment_next(project=project, user=bob)[0].article == second
    assert svc.assignment_next(project=project, user=carol)[0].article == first
    # Both slots of the first article are taken (overlap 2): Rita gets the second.
    assert svc.assignment_next(project=project, user=rita)[0].article == second


def test_next_resumes_open_work_first(project, bob):
    make_article(project), make_article(project)
    work, _ = svc.assignment_next(project=project, user=bob)
    again, created = svc.assignment_next(project=project, user=bob)
    assert (again.pk, created) == (work.pk, False)


def test_next_resumes_in_progress_before_assigned(project, bob):
    older = make_assignment(make_article(project), bob)
    newer = make_assignment(make_article(project), bob)
    make_mention(newer)
    assert older.status == AssignmentStatus.ASSIGNED
    assert svc.assignment_next(project=project, user=bob)[0].pk == newer.pk


def test_next_never_gives_an_article_twice_and_skips_free_the_slot(project, bob, carol, rita):
    article = make_article(project)
    work, _ = svc.assignment_next(project=project, user=bob)
    svc.assignment_skip(assignment=work, reason="Not news")
    assert svc.assignment_next(project=project, user=bob) == (None, False)
    svc.assignment_submit(assignment=svc.assignment_next(project=project, user=carol)[0])
    # Bob's skip does not count toward the overlap, so a second annotator still gets it.
    assert svc.assignment_next(project=project, user=rita)[0].article == article


def test_next_answers_none_when_nothing_is_left(project, bob):
    assert svc.assignment_next(project=project, user=bob) == (None, False)


def test_next_stays_inside_the_project(project, bob, alice):
    make_article(make_project(manager=alice))
    assert svc.assignment_next(project=project, user=bob) == (None, False)


def needs_annotators(article) -> bool:
    article.refresh_from_db(fields=["needs_annotators"])
    return article.needs_annotators


def test_the_database_flags_the_articles_that_still_need_annotators(project, bob, carol, rita):
    article = make_article(project)  # the project wants 2 annotators per article
    assert needs_annotators(article)
    bob_work = make_assignment(article, bob)
    make_assignment(article, rita, is_gold=True)  # gold work is not an annotator's
    assert needs_annotators(article)
    carol_work = make_assignment(article, carol)
    assert not needs_annotators(article)
    bob_work = svc.assignment_skip(assignment=bob_work, reason="Not news")  # a skip frees its slot
    assert needs_annotators(article)
    svc.assignment_reopen(assignment=bob_work)  # sent back, it counts again
    assert not needs_annotators(article)
    project_update(project=project, annotators_per_article=3)
    assert needs_annotators(article)
    project_update(project=project, annotators_per_article=1)
    assert not needs_annotators(article)
    Assignment.objects.filter(pk__in=[bob_work.pk, carol_work.pk]).delete()
    assert needs_annotators(article)


def test_submit_moves_to_submitted_and_bumps_version(article, bob):
    work = make_assignment(article, bob)
    done = svc.assignment_submit(assignment=work, expected_version=work.version)
    assert (done.status, done.version, done.submitted_at is not None) == ("submitted", work.version + 1, True)


def test_submit_with_a_stale_version_changes_nothing(article, bob):
    work = make_assignment(article, bob)
    with pytest.raises(StaleVersion):
        svc.assignment_submit(assignment=work, expected_version=work.version + 5)
    assert Assignment.objects.get(pk=work.pk).status == AssignmentStatus.ASSIGNED


def test_submitted_work_cannot_be_submitted_again(article, bob):
    work = svc.assignment_submit(assignment=make_assignment(article, bob))
    assert errors_of(svc.assignment_submit, assignment=work) == {
        "status": [svc.ASSIGNMENT_NOT_OPEN.format(action="submitted")]
    }


def test_skip_needs_a_reason(article, bob):
    work = make_assignment(article, bob)
    assert errors_of(svc.assignment_skip, assignment=work, reason=" ") == {"skip_reason": [svc.SKIP_REASON_REQUIRED]}


def test_labels_of_submitted_work_are_frozen(article, bob):
    work = svc.assignment_submit(assignment=make_assignment(article, bob))
    assert errors_of(make_mention, assignment=work) == {
        "assignment": [svc.ASSIGNMENT_CLOSED.format(status="submitted")]
    }


def test_reopen_sends_work_back_with_a_comment(article, bob):
    work = svc.assignment_submit(assignment=make_assignment(article, bob))
    reopened = svc.assignment_reopen(assignment=work, comment="Mark the cue too.")
    assert (reopened.status, reopened.review_comment, reopened.submitted_at) == (
        "in_progress",
        "Mark the cue too.",
        None,
    )
    assert make_mention(reopened).pk


def test_only_submitted_work_can_be_reopened(article, bob):
    work = make_assignment(article, bob)
    assert errors_of(svc.assignment_reopen, assignment=work) == {"status": [svc.REOPEN_NOT_SUBMITTED]}


def test_one_assignment_per_annotator_and_one_gold(article, bob, rita, alice):
    make_assignment(article, bob)
    assert errors_of(svc.assignment_create, article=article, annotator=bob) == {
        "annotator": [svc.ASSIGNMENT_ALREADY_EXISTS]
    }
    make_assignment(article, rita, is_gold=True)
    assert errors_of(svc.assignment_create, article=article, annotator=alice, is_gold=True) == {
        "article": [svc.ASSIGNMENT_GOLD_EXISTS]
    }


def test_first_label_marks_the_work_started(article, bob):
    work = make_assignment(article, bob)
    make_mention(work)
    work.refresh_from_db()
    assert (work.status, work.started_at is not None) == ("in_progress", True)
