"""The claim picker (`l`): the best candidates for the mention's words first, every claim of the project
reachable, "track new claim" never the default while an existing claim scores at least the threshold, and
a new claim only through its own prefilled, editable form."""

import pytest
from django.conf import settings
from django.core.management import call_command

from claims.models import Assignment, Claim, ClaimMention, Project, Role
from claims.services.labels import mention_create
from tests.api import client_for
from tests.browser.conftest import screenshot
from tests.browser.helpers import open_annotate, wait_saved
from tests.browser.test_accessibility import Audit
from tests.builders import add_member, make_article, make_assignment, make_claim, make_mention, make_project, make_user

pytestmark = pytest.mark.django_db(transaction=True)

HIGHLIGHTED = "#claim-options li[aria-selected=true]"
OPTION_TEXTS = "[...document.querySelectorAll('#claim-options li')].map((li) => li.firstChild.data)"


@pytest.fixture
def demo():
    """The demo project from seeds/, and Zoe, a new annotator, whose work holds the gold mentions' spans
    without their claims; with the claim each should get, in text order."""
    call_command("load_seeds", verbosity=0)
    project = Project.objects.get(slug="demo")
    zoe = make_user("zoe")
    add_member(project, zoe, Role.ANNOTATOR)
    gold = Assignment.objects.get(article__project=project, is_gold=True)
    work = make_assignment(gold.article, zoe)
    expected = []
    for mention in ClaimMention.objects.filter(assignment=gold).order_by("start", "end"):
        mention_create(assignment=work, start=mention.start, end=mention.end, text=mention.text)
        expected.append((mention.text, mention.claim.text))
    return project, zoe, work, expected


def classes(locator) -> str:
    return locator.get_attribute("class") or ""


def open_picker_on_each_mention(page, expected):
    """Open each mention in turn (j) and the picker on it (l): yield its text, its gold claim, the
    highlighted option and the texts of all options."""
    for text, gold in expected:
        page.keyboard.press("j")
        page.keyboard.press("l")
        page.wait_for_selector(HIGHLIGHTED)
        yield text, gold, page.locator(HIGHLIGHTED), page.evaluate(OPTION_TEXTS)
        page.keyboard.press("Escape")  # out of the box, choosing nothing


def test_the_picker_highlights_the_top_scored_claim_and_never_track_new_above_the_threshold(page, demo, sign_in):
    project, zoe, work, expected = demo
    assert len(expected) == 10
    api = client_for(zoe)
    sign_in(zoe)
    open_annotate(page, work)
    claims = sorted(Claim.objects.filter(project=project).values_list("text", flat=True))
    for text, _gold, highlighted, options in open_picker_on_each_mention(page, expected):
        ranked = api.get(f"/api/projects/{project.pk}/claims/", {"similar_to": text}).json()["results"]
        top = ranked[0] if ranked else None
        if top and top["score"] >= settings.CLAIM_MATCH_THRESHOLD:
            assert highlighted.evaluate("li => li.firstChild.data") == top["text"], text
            assert "create" not in classes(highlighted)
        else:
            # Nothing close enough: "track new" (which only opens its form) is the default.
            assert "create" in classes(highlighted), text
        # The candidates come first, best first; and every claim of the project is on the list.
        assert options[: len(ranked)] == [claim["text"] for claim in ranked]
        assert sorted(set(options) & set(claims)) == claims
    assert ClaimMention.objects.filter(assignment=work, claim__isnull=False).count() == 0


def test_the_right_claim_is_the_first_option_for_every_gold_mention_of_the_demo(page, demo, sign_in):
    """Item 5's measure: opened on each of the demo's 10 gold mentions, the picker lists the right tracked
    claim first. (Whether it is also the highlighted default depends on its score against the threshold:
    the test above.)"""
    _project, zoe, work, expected = demo
    sign_in(zoe)
    open_annotate(page, work)
    right = [options[0] == gold for _text, gold, _highlighted, options in open_picker_on_each_mention(page, expected)]
    assert sum(right) == len(expected), f"right claim first for {sum(right)} of {len(expected)}"


@pytest.fixture
def work():
    project = make_project(manager=make_user("mia"), annotators_per_article=1)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    return project, bob, make_assignment(make_article(project), bob)


def test_every_claim_is_reachable_and_typing_searches_them_all(page, work, sign_in):
    project, bob, assignment = work
    for n in range(120):
        make_claim(project, f"Budget line {n:03d} was cut")
    make_claim(project, "Zebras migrate north in spring")  # the last one, by id
    make_mention(assignment, "We will not back down")
    sign_in(bob)
    open_annotate(page, assignment)

    page.keyboard.press("j")
    page.keyboard.press("l")
    more = page.locator("#claim-options li.more")
    more.wait_for()
    screenshot(page, "annotate-claim-picker")
    assert "Zebras migrate north in spring" not in page.evaluate(OPTION_TEXTS)  # not on the first page
    more.click()  # the next page (Enter on it, or scrolling to the end, does the same)
    page.wait_for_function("() => document.querySelectorAll('#claim-options li').length > 100")
    page.locator("#claim-options").evaluate("list => { list.scrollTop = list.scrollHeight; }")  # and by scrolling
    page.locator("#claim-options li", has_text="Zebras migrate north in spring").wait_for()
    texts = page.evaluate(OPTION_TEXTS)
    assert len([t for t in texts if t.startswith(("Budget line", "Zebras"))]) == 121

    page.keyboard.type("zebras")  # a search over all of them
    page.wait_for_function(
        "() => document.querySelector('#claim-options li[aria-selected=true]')?.firstChild.data"
        " === 'Zebras migrate north in spring'"
    )
    page.keyboard.press("Enter")
    page.wait_for_selector("#claim-text:text('Zebras migrate north in spring')")
    wait_saved(page)
    assert ClaimMention.objects.get(assignment=assignment).claim.text == "Zebras migrate north in spring"
    page.keyboard.press("l")
    page.keyboard.type("budget")
    page.keyboard.press("Escape")
    page.keyboard.press("l")  # opens afresh: nothing typed, the candidates for the mention's words again
    assert page.input_value("#claim-input") == ""


def test_a_new_claim_needs_its_own_form_prefilled_and_editable(page, work, sign_in):
    project, bob, assignment = work
    make_claim(project, "Zebras migrate north in spring")
    mention = make_mention(assignment, "We will not back down")
    sign_in(bob)
    open_annotate(page, assignment)

    page.keyboard.press("j")
    page.keyboard.press("l")
    highlighted = page.locator(HIGHLIGHTED)
    highlighted.wait_for()
    assert "create" in classes(highlighted)  # nothing close: "track new" is the default…
    page.keyboard.press("Enter")  # …and Enter only opens its form, prefilled with the mention's words
    page.wait_for_selector("#claim-create:not([hidden])")
    assert page.input_value("#claim-create-text") == "We will not back down"
    assert page.evaluate("document.activeElement.id") == "claim-create-text"
    assert Audit(page).blocking() == []  # axe: no critical or serious violation with the form open
    screenshot(page, "annotate-track-new-claim")
    assert Claim.objects.filter(project=project).count() == 1
    page.keyboard.press("Escape")  # cancel: nothing created
    assert page.is_hidden("#claim-create")
    assert Claim.objects.filter(project=project).count() == 1

    page.wait_for_selector(HIGHLIGHTED)  # back in the picker
    page.keyboard.press("Enter")  # the form again
    page.wait_for_selector("#claim-create:not([hidden])")
    page.fill("#claim-create-text", "The government will not back down on the plan")
    page.keyboard.press("Enter")
    page.wait_for_selector("#claim-text:text('The government will not back down on the plan')")
    wait_saved(page)
    mention.refresh_from_db()
    assert mention.claim.text == "The government will not back down on the plan"
    assert Claim.objects.filter(project=project).count() == 2


def test_the_articles_own_claim_box_also_creates_only_through_the_form(page, work, sign_in):
    project, bob, assignment = work
    make_claim(project, "Zebras migrate north in spring")
    sign_in(bob)
    open_annotate(page, assignment)

    page.fill("#article-claim-input", "Sanctions will follow")
    page.locator("#article-claim-options li.create", has_text="Sanctions will follow").click()
    page.wait_for_selector("#article-claim-create:not([hidden])")
    assert page.input_value("#article-claim-create-text") == "Sanctions will follow"
    assert Claim.objects.filter(project=project).count() == 1
    page.fill("#article-claim-create-text", "Sanctions on Turkey will follow")
    page.locator("#article-claim-create").get_by_role("button", name="Track claim").click()
    page.get_by_role("group", name="Article's stance toward: Sanctions on Turkey will follow").wait_for()
    assert Claim.objects.filter(project=project, text="Sanctions on Turkey will follow").exists()
