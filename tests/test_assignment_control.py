"""Assignment control: priorities in the `next` queue, releasing open work (by hand and when stale),
giving an article to a chosen member, qualification items scored against gold; services and API."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from claims.models import ArticleStance, Assignment, AssignmentStatus, ClaimMention
from claims.models.articles import PRIORITY_MAX
from claims.reads.assignments import assignment_queue
from claims.reads.qualification import qualification_results
from claims.services import assignments as svc
from claims.services.labels import article_stance_set
from claims.services.review import gold_get_or_create, gold_mention_copy, review_complete
from tests.api import build_world, client_for, fingerprint
from tests.builders import (
    errors_of,
    make_article,
    make_assignment,
    make_claim,
    make_mention,
    make_speaker,
)


def age(assignment, days: int) -> None:
    """Make the assignment and its labels look `days` days old (no sign of work since)."""
    then = timezone.now() - timedelta(days=days)
    Assignment.objects.filter(pk=assignment.pk).update(updated_at=then, created_at=then)
    ClaimMention.objects.filter(assignment=assignment).update(updated_at=then)
    ArticleStance.objects.filter(assignment=assignment).update(updated_at=then)


def needs_annotators(article) -> bool:
    article.refresh_from_db(fields=["needs_annotators"])
    return article.needs_annotators


# --- priorities -----------------------------------------------------------------------------------------
def test_next_hands_out_higher_priorities_first_then_in_id_order(project, bob):
    first, second, third = (make_article(project) for _ in range(3))
    svc.article_queue_settings(article=third, priority=5)
    svc.article_queue_settings(article=first, priority=-1)
    handed = []
    for _ in range(3):
        work, _ = svc.assignment_next(project=project, user=bob)
        handed.append(work.article_id)
        svc.assignment_submit(assignment=work)
    assert handed == [third.pk, second.pk, first.pk]


def test_priority_and_qualification_do_not_touch_the_article_content_time(project):
    article = make_article(project)
    before = article.updated_at
    changed = svc.article_queue_settings(article=article, priority=3, qualification=True)
    assert (changed.priority, changed.is_qualification, changed.updated_at) == (3, True, before)


@pytest.mark.parametrize("bad", [PRIORITY_MAX + 1, "high", True, 1.5])
def test_a_priority_out_of_range_or_not_a_number_is_refused(project, bad):
    article = make_article(project)
    assert errors_of(svc.article_queue_settings, article=article, priority=bad) == {"priority": [svc.PRIORITY_INVALID]}
    article.refresh_from_db()
    assert article.priority == 0


# --- releasing ------------------------------------------------------------------------------------------
def test_released_work_goes_back_to_the_pool_with_its_labels(project, bob, carol):
    project.annotators_per_article = 1
    project.save()
    article = make_article(project)
    work, _ = svc.assignment_next(project=project, user=bob)
    make_mention(work)
    assert not needs_annotators(article)
    svc.assignment_release(assignment=work)
    assert not Assignment.objects.filter(pk=work.pk).exists()
    assert not ClaimMention.objects.filter(assignment_id=work.pk).exists()
    assert needs_annotators(article)
    assert svc.assignment_next(project=project, user=carol)[0].article == article


def test_only_open_annotator_work_is_released(project, bob, rita, article):
    done = make_assignment(article, bob)
    svc.assignment_submit(assignment=done)
    assert errors_of(svc.assignment_release, assignment=done) == {
        "status": [svc.RELEASE_NOT_OPEN.format(status="submitted")]
    }
    gold, _ = gold_get_or_create(article=article, reviewer=rita)
    assert errors_of(svc.assignment_release, assignment=gold) == {"assignment": [svc.RELEASE_GOLD]}
    assert Assignment.objects.filter(pk__in=[done.pk, gold.pk]).count() == 2


def test_stale_work_is_released_and_recent_work_stays(project, bob, carol, settings):
    settings.ASSIGNMENT_STALE_DAYS = 7
    idle = make_assignment(make_article(project), bob)
    make_mention(idle)
    age(idle, 8)
    busy = make_assignment(make_article(project), carol)
    age(busy, 30)
    make_mention(busy)  # a label written today is a sign of work, however old the assignment
    done = make_assignment(make_article(project), carol)
    svc.assignment_submit(assignment=done)
    age(done, 30)
    assert svc.assignments_release_stale(project=project) == 1
    assert set(Assignment.objects.values_list("pk", flat=True)) == {busy.pk, done.pk}


def test_release_stale_takes_its_own_days_and_refuses_nonsense(project, bob):
    work = make_assignment(make_article(project), bob)
    age(work, 3)
    assert svc.assignments_release_stale(project=project, days=5) == 0
    assert errors_of(svc.assignments_release_stale, project=project, days=0) == {"days": [svc.STALE_DAYS_INVALID]}
    assert svc.assignments_release_stale(project=project, days=2) == 1


def test_the_command_releases_stale_work_of_one_project_or_all(project, other_project, bob, charlie, capsys):
    mine = make_assignment(make_article(project), bob)
    theirs = make_assignment(make_article(other_project), charlie)
    age(mine, 40), age(theirs, 40)
    call_command("release_stale_assignments", "--project", project.slug, "--days", "30")
    assert "Released 1 stale assignment" in capsys.readouterr().out
    assert Assignment.objects.filter(pk=theirs.pk).exists() and not Assignment.objects.filter(pk=mine.pk).exists()
    call_command("release_stale_assignments", "--days", "30")
    assert not Assignment.objects.exists()


# --- assigning --------------------------------------------------------------------------------------------
def test_a_manager_gives_an_article_to_a_chosen_member(project, bob, carol, rita):
    article = make_article(project)
    for user in (bob, carol, rita):  # past the overlap of 2: the manager's call
        assert svc.assignment_assign(article=article, annotator=user).status == AssignmentStatus.ASSIGNED
    assert svc.assignment_next(project=project, user=bob)[0].article == article  # it is now bob's open work


def test_assigning_refuses_outsiders_and_doubles(project, bob, charlie, article):
    assert errors_of(svc.assignment_assign, article=article, annotator=charlie) == {
        "annotator": [svc.ASSIGN_NOT_A_MEMBER.format(username="charlie")]
    }
    svc.assignment_assign(article=article, annotator=bob)
    assert errors_of(svc.assignment_assign, article=article, annotator=bob) == {
        "annotator": [svc.ASSIGNMENT_ALREADY_EXISTS]
    }


# --- the queue ----------------------------------------------------------------------------------------------
def test_the_queue_lists_articles_in_next_order_with_who_holds_them(project, bob, carol, settings):
    settings.ASSIGNMENT_STALE_DAYS = 7
    plain, urgent, finished = (make_article(project) for _ in range(3))
    svc.article_queue_settings(article=urgent, priority=9)
    stale = make_assignment(plain, bob)
    age(stale, 10)
    for user in (bob, carol):
        svc.assignment_submit(assignment=make_assignment(finished, user))
    queue = assignment_queue(project=project)
    assert [item.article.pk for item in queue.articles] == [urgent.pk, plain.pk]  # finished work is not open
    (held,) = queue.articles[1].work
    assert (held.annotator, held.status, held.stale, held.age.days) == ("bob", "assigned", True, 10)
    assert queue.stale == 1 and queue.count == 2
    svc.assignment_reopen(assignment=Assignment.objects.get(article=finished, annotator=carol), comment="Again.")
    (_, sent_back) = assignment_queue(project=project).articles[-1].work
    assert (sent_back.annotator, sent_back.sent_back, sent_back.stale) == ("carol", True, False)
    everything = assignment_queue(project=project, show="all")
    assert [item.article.pk for item in everything.articles] == [urgent.pk, plain.pk, finished.pk]
    assert everything.articles[2].submitted == 1


# --- qualification items -------------------------------------------------------------------------------------
@pytest.fixture
def quiz(project, bob, carol, rita):
    """A qualification item whose gold says: the minister refutes the claim, quoted directly; the article is
    neutral. Bob gets everything right; Carol finds the quote but names no speaker and says support."""
    article = make_article(project)
    svc.article_queue_settings(article=article, qualification=True)
    claim = make_claim(project)
    minister = make_speaker(project, "The Minister")
    answers = {}
    for user, speaker, stance, article_stance in ((bob, minister, "refute", "neutral"), (carol, None, "support", None)):
        work = make_assignment(article, user)
        answers[user.username] = make_mention(work, speaker=speaker, claim=claim, stance=stance)
        if user == carol:  # a mention gold does not have: it changes no layer's score
            make_mention(work, "Officials met on Tuesday")
        if article_stance:
            article_stance_set(assignment=work, claim=claim, stance=article_stance)
        svc.assignment_submit(assignment=work)
    gold, _ = gold_get_or_create(article=article, reviewer=rita)
    gold_mention_copy(gold=gold, mention=answers["bob"])
    article_stance_set(assignment=gold, claim=claim, stance="neutral")
    return {"article": article, "gold": gold}


def test_annotators_are_scored_against_gold_per_layer(quiz):
    assert qualification_results(project=quiz["article"].project).annotators == []  # gold not submitted yet
    review_complete(gold=quiz["gold"])
    results = qualification_results(project=quiz["article"].project)
    assert (results.items, results.with_gold) == (1, 1)
    bob, carol = results.annotators
    assert bob.username == "bob" and all(score.accuracy == 1.0 for score in bob.scores)
    carol_accuracy = {layer: score.accuracy for layer, score in carol.layers.items()}
    assert carol_accuracy == {"found": 1.0, "span_exact": 1.0, "speaker": 0.0, "cue": 1.0, "quote_type": 1.0,
                              "claim": 1.0, "stance": 0.0, "article_stance": 0.0}  # fmt: skip


def test_a_qualification_item_looks_like_any_other_article_to_its_annotator(quiz, bob):
    work = Assignment.objects.get(article=quiz["article"], annotator=bob)
    api = client_for(bob)
    for path in (f"/api/articles/{quiz['article'].pk}/", f"/api/assignments/{work.pk}/",
                 f"/api/projects/{quiz['article'].project_id}/articles/"):  # fmt: skip
        text = api.get(path).content.decode()
        assert "qualification" not in text and "priority" not in text, path
    assert api.get(f"/api/articles/{quiz['article'].pk}/queue-settings/").status_code == 403


# --- API --------------------------------------------------------------------------------------------------------
def test_the_api_assigns_prioritises_and_releases(db):
    world = build_world()
    alice = client_for(world.users["alice"])
    p = world.project.pk
    settings = alice.patch(f"/api/articles/{world.spare_article.pk}/queue-settings/",
                           {"priority": 7, "qualification": True}, format="json")  # fmt: skip
    assert settings.json() == {"article": world.spare_article.pk, "priority": 7, "qualification": True}
    given = alice.post(f"/api/projects/{p}/assignments/", {"article_id": world.spare_article.pk, "annotator": "carol"},
                       format="json")  # fmt: skip
    assert given.status_code == 201 and given.json()["annotator"] == "carol"
    queue = alice.get(f"/api/projects/{p}/assignment-queue/", {"show": "all"}).json()
    first = queue["results"][0]
    assert (first["article"]["id"], first["priority"], first["qualification"]) == (world.spare_article.pk, 7, True)
    assert [w["annotator"] for w in first["work"]] == ["carol"]
    assert alice.post(f"/api/assignments/{given.json()['id']}/release/").status_code == 204
    assert not Assignment.objects.filter(pk=given.json()["id"]).exists()
    age(world.bob_work, 100)
    released = alice.post(f"/api/projects/{p}/assignments/release-stale/", {"days": 50}, format="json")
    assert released.json() == {"released": 1, "days": 50}
    qualification = alice.get(f"/api/projects/{p}/qualification/").json()
    assert (qualification["items"], qualification["with_gold"]) == (1, 0) and "found" in qualification["layers"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"article_id": 0, "annotator": "carol"}, "article_id"),
        ({"article_id": "1", "annotator": "carol"}, "article_id"),
        ({"annotator": "carol"}, "article_id"),
        ({"article_id": 1, "annotator": "nobody-here"}, "annotator"),
        ({"article_id": 1, "annotator": "carol", "status": "submitted"}, "status"),
    ],
)
def test_bad_assign_requests_are_400_and_change_nothing(db, body, field):
    world = build_world()
    if body.get("article_id") == 1:
        body = {**body, "article_id": world.spare_article.pk}
    before = fingerprint()
    response = client_for(world.users["alice"]).post(f"/api/projects/{world.project.pk}/assignments/", body,
                                                     format="json")  # fmt: skip
    assert response.status_code == 400 and field in response.json(), response.content
    assert fingerprint() == before


def test_another_projects_article_cannot_be_assigned(db):
    world = build_world()
    before = fingerprint()
    response = client_for(world.users["alice"]).post(
        f"/api/projects/{world.project.pk}/assignments/",
        {"article_id": world.other_work.article_id, "annotator": "carol"}, format="json",
    )  # fmt: skip
    assert response.status_code == 400 and fingerprint() == before


PERSONAS = ("anon", "charlie", "bob", "rita", "alice")


def expect(*codes):
    return dict(zip(PERSONAS, codes, strict=True))


CASES = [
    ("read the queue", "get", lambda w: f"/api/projects/{w.project.pk}/assignment-queue/", None,
     expect(401, 404, 403, 200, 200)),
    ("read qualification results", "get", lambda w: f"/api/projects/{w.project.pk}/qualification/", None,
     expect(401, 404, 403, 200, 200)),
    ("read an article's queue settings", "get", lambda w: f"/api/articles/{w.article.pk}/queue-settings/", None,
     expect(401, 404, 403, 200, 200)),
    ("read an unassigned article's queue settings", "get",
     lambda w: f"/api/articles/{w.spare_article.pk}/queue-settings/", None, expect(401, 404, 404, 200, 200)),
    ("set a priority", "patch", lambda w: f"/api/articles/{w.article.pk}/queue-settings/",
     lambda w: {"priority": 4}, expect(401, 404, 403, 403, 200)),
    ("mark a qualification item", "patch", lambda w: f"/api/articles/{w.spare_article.pk}/queue-settings/",
     lambda w: {"qualification": True}, expect(401, 404, 404, 403, 200)),
    ("assign an article", "post", lambda w: f"/api/projects/{w.project.pk}/assignments/",
     lambda w: {"article_id": w.spare_article.pk, "annotator": "bob"}, expect(401, 404, 403, 403, 201)),
    ("release Bob's work", "post", lambda w: f"/api/assignments/{w.bob_work.pk}/release/", None,
     expect(401, 404, 403, 403, 204)),
    ("release stale work", "post", lambda w: f"/api/projects/{w.project.pk}/assignments/release-stale/",
     lambda w: {"days": 1}, expect(401, 404, 403, 403, 200)),
    ("release another project's work", "post", lambda w: f"/api/assignments/{w.other_work.pk}/release/", None,
     expect(401, 204, 404, 404, 404)),
    ("prioritise another project's article", "patch",
     lambda w: f"/api/articles/{w.other_work.article_id}/queue-settings/", lambda w: {"priority": 1},
     expect(401, 200, 404, 404, 404)),
]  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "method", "url", "body", "expected"), CASES, ids=[c[0] for c in CASES])
def test_route(db, persona, name, method, url, body, expected):
    world = build_world()
    client = client_for(None if persona == "anon" else world.users[persona])
    before = fingerprint()
    response = getattr(client, method)(url(world), body(world) if body else None, format="json")
    assert response.status_code == expected[persona], response.content
    if method != "get" and response.status_code >= 400:
        assert fingerprint() == before, "a refused write changed stored data"


def test_the_queue_costs_the_same_queries_for_more_articles(db, django_assert_max_num_queries):
    world = build_world()
    alice = client_for(world.users["alice"])
    for n in range(30):
        article = make_article(world.project)
        make_assignment(article, world.users["bob" if n % 2 else "carol"])
    with django_assert_max_num_queries(12):
        assert len(alice.get(f"/api/projects/{world.project.pk}/assignment-queue/").json()["results"]) == 32
