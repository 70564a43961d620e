"""Never lose work: changes made while the server is unreachable stay on the page, marked unsaved,
are retried and land once it is back; someone else's newer change is never overwritten."""

import pytest

from claims.models import ClaimMention, Role
from claims.services.assignments import assignment_release
from claims.services.labels import mention_update
from tests.browser.helpers import open_annotate, select_text, wait_saved
from tests.builders import add_member, make_article, make_assignment, make_claim, make_mention, make_project, make_user

pytestmark = pytest.mark.django_db(transaction=True)

BODY = "“We will not back down,” the minister said. Critics called the plan reckless.\n"


class Outage:
    """Routes set up before the page loads (so they are surely in place), switched on when needed."""

    def __init__(self, page, pattern: str, answer):
        self.down = False
        page.route(pattern, lambda route: answer(route) if self.down else route.continue_())


def refuse(route):
    route.abort("connectionrefused")


def unavailable(route):
    route.fulfill(status=503, body="down")


@pytest.fixture
def work():
    project = make_project(manager=make_user("mia"), annotators_per_article=1)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    work = make_assignment(make_article(project, body=BODY), bob)
    return project, bob, work


def test_a_change_made_while_the_server_is_away_is_kept_and_saved_when_it_returns(page, work, sign_in):
    _project, bob, assignment = work
    mention = make_mention(assignment, "We will not back down")
    sign_in(bob)
    patches = Outage(page, "**/api/mentions/**", refuse)
    creates = Outage(page, "**/api/assignments/*/mentions/", unavailable)
    open_annotate(page, assignment)

    patches.down = creates.down = True
    page.keyboard.press("j")
    page.keyboard.press("m")  # mixed quote: a PATCH that cannot reach the server
    select_text(page, "Critics called the plan reckless")
    page.keyboard.press("Enter")  # a new mention: a POST answered 503
    page.wait_for_selector("#status.warn:has-text('Not saved yet')")
    assert page.locator("#mention-list .unsaved").count() == 2
    assert page.get_attribute("main", "data-pending") == "2"
    mention.refresh_from_db()
    assert mention.quote_type == "direct" and ClaimMention.objects.count() == 1

    patches.down = creates.down = False
    page.get_by_role("button", name="Retry now").click()
    wait_saved(page)
    assert page.locator("#mention-list .unsaved").count() == 0
    mention.refresh_from_db()
    assert mention.quote_type == "mixed"
    assert sorted(ClaimMention.objects.values_list("text", flat=True)) == [
        "Critics called the plan reckless",
        "We will not back down",
    ]


def test_leaving_with_unsaved_changes_warns(page, work, sign_in):
    _project, bob, assignment = work
    make_mention(assignment, "We will not back down")
    sign_in(bob)
    patches = Outage(page, "**/api/mentions/**", refuse)
    open_annotate(page, assignment)
    patches.down = True
    page.keyboard.press("j")
    page.keyboard.press("i")
    page.wait_for_selector("#status.warn")
    with page.expect_event("dialog") as prompt:
        page.close(run_before_unload=True)
    assert prompt.value.type == "beforeunload"


def test_someone_elses_newer_change_is_shown_not_overwritten(page, work, sign_in):
    project, bob, assignment = work
    claim = make_claim(project, "The plan is reckless")
    mention = make_mention(assignment, "We will not back down")
    sign_in(bob)
    open_annotate(page, assignment)
    # Meanwhile the mention changes elsewhere (another tab, a script).
    mention_update(mention=mention, expected_version=1, claim=claim, stance="query")

    page.keyboard.press("j")
    page.keyboard.press("m")
    page.wait_for_selector("#status:has-text('Someone else changed this mention')")
    page.wait_for_selector("#mention-list .tags:has-text('query')")
    mention.refresh_from_db()
    assert (mention.quote_type, mention.stance, mention.version) == ("direct", "query", 2)


def test_work_released_by_a_manager_says_so_when_the_next_change_is_refused(page, sign_in):
    project = make_project(manager=make_user("mia"), annotators_per_article=1)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    work = make_assignment(make_article(project, body=BODY), bob)
    make_mention(work, "We will not back down")
    sign_in(bob)
    open_annotate(page, work)

    assignment_release(assignment=work)  # the manager gives it back to the pool meanwhile
    page.keyboard.press("j")
    page.keyboard.press("i")
    page.get_by_text("This work is no longer yours: a manager gave it back to the pool").wait_for()
    assert not ClaimMention.objects.exists()
