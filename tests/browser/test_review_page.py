"""A reviewer adjudicates an article in the browser: start gold, copy, take a stance, mark reviewed, send back."""

import pytest

from claims.models import Assignment, Role
from claims.services.assignments import assignment_submit
from claims.services.labels import article_stance_set
from tests.browser.conftest import screenshot
from tests.builders import add_member, make_article, make_assignment, make_claim, make_mention, make_project, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_reviewer_adjudicates_an_article(page, sign_in, live_server):
    mia, bob, carol, rita = (make_user(name) for name in ("mia", "bob", "carol", "rita"))
    project = make_project(manager=mia, name="Newsroom")
    add_member(project, bob, Role.ANNOTATOR)
    add_member(project, carol, Role.ANNOTATOR)
    add_member(project, rita, Role.REVIEWER)
    article = make_article(project, title="Minister stands firm")
    claim = make_claim(project, "The minister will not back down")
    works = {}
    for user, stance, article_stance in ((bob, "support", "neutral"), (carol, "query", "support")):
        work = make_assignment(article, user)
        make_mention(work, "We will not back down", claim=claim, stance=stance)
        article_stance_set(assignment=work, claim=claim, stance=article_stance)
        works[user.username] = assignment_submit(assignment=work)
    sign_in(rita)

    page.goto(f"/projects/{project.pk}/review/")
    page.get_by_role("link", name="Review").click()
    page.wait_for_selector("main[data-ready=true]")
    assert page.locator("#units tbody tr.differs").count() == 1
    assert page.locator("#units .diff").count() >= 2  # the stance differs in both cells
    screenshot(page, "review")

    page.get_by_role("button", name="Copy carol's mention to gold").click()
    page.wait_for_selector("#units .gold-cell:has-text('Query')")
    page.get_by_role("button", name="Use bob's stance as gold").click()
    page.wait_for_selector("#stances .gold-cell:has-text('Neutral')")
    page.get_by_role("button", name="Mark reviewed").click()
    page.wait_for_selector("#review-status:text('reviewed')")

    page.get_by_role("listitem").filter(has_text="bob:").get_by_role("button", name="Send back…").click()
    page.fill("#send-back-comment", "Please check the stance again.")
    page.get_by_role("button", name="Send back", exact=True).click()
    page.wait_for_selector("#send-back:has-text('sent back: “Please check the stance again.”')")

    gold = Assignment.objects.get(article=article, is_gold=True)
    assert gold.status == "submitted" and gold.annotator == rita
    assert [(m.text, m.stance) for m in gold.mentions.all()] == [("We will not back down", "query")]
    assert gold.article_stances.get().stance == "neutral"
    bob_work = Assignment.objects.get(pk=works["bob"].pk)
    assert (bob_work.status, bob_work.review_comment) == ("in_progress", "Please check the stance again.")


UNITS = """() => [...document.querySelectorAll("#review-body .unit")].map((s) => ({
    text: s.textContent, classes: s.className, unit: s.dataset.unit, title: s.title }))"""


def test_the_article_marks_where_annotators_differ_and_leads_to_the_row(page, sign_in):
    mia, bob, carol = (make_user(name) for name in ("mia", "bob", "carol"))
    project = make_project(manager=mia)
    add_member(project, bob, Role.ANNOTATOR)
    add_member(project, carol, Role.ANNOTATOR)
    article = make_article(project)  # an emoji comes first: the marks depend on the offsets rule
    claim = make_claim(project, "The minister will not back down")
    for user, stance in ((bob, "support"), (carol, "query")):
        work = make_assignment(article, user)
        make_mention(work, "We will not back down", claim=claim, stance=stance)
        make_mention(work, "called the plan reckless")
        assignment_submit(assignment=work)
    sign_in(mia)
    page.goto(f"/review/articles/{article.pk}/")
    page.wait_for_selector("main[data-ready=true]")

    assert page.evaluate(UNITS) == [
        {"text": "We will not back down", "classes": "unit unit-differs", "unit": "0",
         "title": "Annotators differ: stance"},
        {"text": "called the plan reckless", "classes": "unit unit-agreed", "unit": "1",
         "title": "All annotators agree"},
    ]  # fmt: skip
    page.locator("#review-body .unit-agreed").click()
    page.wait_for_selector("#unit-1.flash")

    page.get_by_role("button", name="Copy carol's mention to gold").first.click()
    page.wait_for_selector("#status.visible:text('Copied into gold.')")
    page.wait_for_selector("#review-body .unit-differs.unit-gold:text('We will not back down')")
    # A unit already in gold takes no second copy.
    assert page.get_by_role("button", name="Copy bob's mention to gold").first.is_disabled()
    assert page.get_by_role("button", name="Copy bob's mention to gold").nth(1).is_enabled()
