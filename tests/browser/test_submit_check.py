"""Submitting asks first when work is incomplete (a dialog: Enter submits anyway, Escape goes back), and
submitted work can be reopened from its page until a reviewer starts on the article. (Complete work is
submitted without a question: test_annotate.py's whole-paragraph test.)"""

import pytest
from playwright.sync_api import expect

from claims.models import Assignment, Role
from claims.services.assignments import assignment_submit
from claims.services.review import gold_get_or_create
from claims.services.suggestions import article_preannotate
from tests.browser.conftest import screenshot
from tests.browser.helpers import open_annotate, select_text, wait_saved
from tests.browser.test_accessibility import Audit
from tests.builders import (
    add_member,
    make_article,
    make_assignment,
    make_mention,
    make_project,
    make_speaker,
    make_user,
)

pytestmark = pytest.mark.django_db(transaction=True)

BODY = (
    "“We will not back down,” Interior Minister Lena Vogt said on Monday.\n\n"
    "Critics warned that the plan would cost too much.\n"
)


@pytest.fixture
def team():
    project = make_project(manager=make_user("mia"), annotators_per_article=1)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    rita = make_user("rita")
    add_member(project, rita, Role.REVIEWER)
    return project, bob, rita


def status_of(work) -> str:
    return Assignment.objects.get(pk=work.pk).status


def test_incomplete_work_is_listed_before_submitting(page, team, sign_in, live_server):
    project, bob, _rita = team
    article = make_article(project, body=BODY)
    work = make_assignment(article, bob)
    vogt = make_speaker(project, "Lena Vogt")
    make_mention(work, "We will not back down", speaker=vogt)  # no claim, so no stance
    assert article_preannotate(article=article) >= 1  # drafts nobody has decided on
    sign_in(bob)
    open_annotate(page, work)

    page.keyboard.press("Control+Enter")
    dialog = page.get_by_role("dialog", name="Submit with work left?")
    expect(dialog).to_be_visible()
    gaps = dialog.locator("#submit-gaps li")
    expect(gaps).to_have_count(3)
    assert gaps.nth(0).inner_text() == "1 mention without a tracked claim: “We will not back down”"
    assert gaps.nth(1).inner_text() == "1 mention without a stance: “We will not back down”"
    assert "neither accepted nor rejected" in gaps.nth(2).inner_text()
    assert page.evaluate("document.activeElement.id") == "submit-confirm"
    assert Audit(page).blocking() == []  # axe: no critical or serious violation with the dialog open
    screenshot(page, "annotate-submit-check")
    page.keyboard.press("Escape")  # back to the article: nothing submitted
    expect(dialog).to_be_hidden()
    assert status_of(work) == "in_progress"

    page.click("#submit-button")  # the button asks the same
    expect(dialog).to_be_visible()
    page.keyboard.press("Enter")  # submits anyway
    page.wait_for_url(f"{live_server.url}/")
    assert status_of(work) == "submitted"


def test_submitted_work_is_reopened_from_its_page(page, team, sign_in):
    project, bob, _rita = team
    work = assignment_submit(assignment=make_assignment(make_article(project, body=BODY), bob))
    sign_in(bob)
    page.goto("/")
    page.get_by_role("link", name="Open").click()  # listed on the home page while it can be reopened
    page.wait_for_selector("#article-body[data-ready=true]")
    expect(page.locator("#readonly-note")).to_contain_text("reopen it to change it")
    page.get_by_role("button", name="Reopen").click()
    page.wait_for_selector("#article-body[data-ready=true]")
    expect(page.locator("#assignment-status")).to_have_text("In progress")
    expect(page.get_by_role("button", name="Reopen")).to_be_hidden()
    assert status_of(work) == "in_progress"
    # Open again: a mention can be made.
    page.keyboard.press("Escape")
    select_text(page, "We will not back down")
    page.keyboard.press("Enter")
    wait_saved(page)
    assert work.mentions.get().text == "We will not back down"


def test_once_review_has_started_there_is_no_reopen(page, team, sign_in):
    project, bob, rita = team
    work = assignment_submit(assignment=make_assignment(make_article(project, body=BODY), bob))
    sign_in(bob)
    open_annotate(page, work)
    expect(page.get_by_role("button", name="Reopen")).to_be_visible()
    gold_get_or_create(article=work.article, reviewer=rita)  # the reviewer starts meanwhile
    page.get_by_role("button", name="Reopen").click()
    expect(page.locator("#status")).to_contain_text("A reviewer has started on this article")
    assert status_of(work) == "submitted"
    page.reload()
    page.wait_for_selector("#article-body[data-ready=true]")
    expect(page.get_by_role("button", name="Reopen")).to_be_hidden()
    expect(page.locator("#readonly-note")).to_contain_text("it can no longer change here")
