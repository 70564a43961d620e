"""Drafted attributions on the annotate page: clearly pending, accepted or rejected with a click or a key."""

import pytest

from claims.models import ClaimMention, Role, SuggestionDecision
from claims.services.suggestions import article_preannotate
from tests.browser.conftest import screenshot
from tests.browser.helpers import open_annotate, wait_saved
from tests.builders import add_member, make_article, make_assignment, make_project, make_speaker, make_user

pytestmark = pytest.mark.django_db(transaction=True)

BODY = (
    "“We will not back down,” Interior Minister Lena Vogt said on Monday.\n\n"
    "Critics warned that the plan would cost too much.\n\n"
    "According to the ministry, the work starts in May.\n"
)


def test_accept_and_reject_suggestions(page, sign_in):
    project = make_project(manager=make_user("mia"), annotators_per_article=1)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    make_speaker(project, "Lena Vogt", role="Interior Minister")
    article = make_article(project, body=BODY)
    work = make_assignment(article, bob)
    drafted = article_preannotate(article=article)
    assert drafted >= 3
    sign_in(bob)
    open_annotate(page, work)

    assert page.locator("#article-body .hl-pending").count() >= 3
    assert page.locator("#suggestion-list li").count() == drafted
    screenshot(page, "annotate-suggestions")

    # Accept the first with a click: it becomes a real mention, opened for claim and stance.
    page.get_by_role("button", name="Accept suggestion: We will not back down").click()
    page.wait_for_selector("#mention-list .who:text('Lena Vogt')")
    page.wait_for_selector("#editor:not([hidden])")
    # Reject the next by key: open it, press x.
    page.locator("#suggestion-list li button").first.click()
    rejected_text = page.locator("#suggestion-list li .what").first.inner_text().strip("“”")
    page.keyboard.press("x")
    page.wait_for_function("n => document.querySelectorAll('#suggestion-list li').length === n", arg=drafted - 2)
    # Accept another by key.
    page.locator("#suggestion-list li button").first.click()
    page.keyboard.press("a")
    wait_saved(page)
    page.wait_for_function("n => document.querySelectorAll('#suggestion-list li').length === n", arg=drafted - 3)

    mentions = ClaimMention.objects.filter(assignment=work)
    assert mentions.count() == 2
    assert mentions.get(text="We will not back down").speaker.name == "Lena Vogt"
    assert all(BODY[m.start : m.end] == m.text for m in mentions)
    decisions = dict(SuggestionDecision.objects.filter(assignment=work).values_list("suggestion__text", "decision"))
    assert decisions[rejected_text] == "rejected"
    assert sorted(decisions.values()) == ["accepted", "accepted", "rejected"]


def test_a_click_on_a_drafted_highlight_opens_that_suggestion(page, sign_in):
    project = make_project(manager=make_user("mia"), annotators_per_article=1)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    article = make_article(project, body=BODY)
    work = make_assignment(article, bob)
    article_preannotate(article=article)
    sign_in(bob)
    open_annotate(page, work)

    page.locator("#article-body .hl-pending", has_text="the plan would cost too much").first.click()
    active = page.locator("#suggestion-list li.active .what")
    assert "the plan would cost too much" in active.inner_text()
    assert "the plan would cost too much" in page.locator("#article-body .hl-pending-active").first.inner_text()
    page.keyboard.press("x")
    page.wait_for_selector("#article-body .hl-pending-active", state="detached")
    wait_saved(page)
    assert SuggestionDecision.objects.get(assignment=work).decision == "rejected"
