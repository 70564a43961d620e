"""Focus on the annotate page is explicit and never wrong: one open mention, marked for eyes and screen
readers, and every key acts on it alone (accepting a suggestion opens the mention it made). Where mentions
and suggestions meet, the page shows it without relying on colour."""

import pytest

from claims.models import ClaimMention, Role, Suggestion
from claims.services.suggestions import SUGGESTION_DUPLICATES_MENTION, article_preannotate
from tests.browser.conftest import screenshot
from tests.browser.helpers import open_annotate, wait_saved
from tests.builders import (
    add_member,
    make_article,
    make_assignment,
    make_claim,
    make_mention,
    make_project,
    make_speaker,
    make_user,
)

pytestmark = pytest.mark.django_db(transaction=True)

BODY = (
    "“We will not back down,” Interior Minister Lena Vogt said on Monday.\n\n"
    "Critics warned that the plan would cost too much.\n\n"
    "According to the ministry, the work starts in May.\n"
)


@pytest.fixture
def desk():
    project = make_project(manager=make_user("mia"), annotators_per_article=1)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    vogt = make_speaker(project, "Lena Vogt", role="Interior Minister")
    article = make_article(project, body=BODY)
    article_preannotate(article=article)
    return project, bob, vogt, make_assignment(article, bob)


def stored_mentions(page, work) -> dict[str, dict]:
    """The assignment's mentions as the REST API gives them (the page's own session), by text."""
    answer = page.request.get(f"/api/assignments/{work.pk}/mentions/?page_size=100")
    assert answer.ok, answer.text()
    return {m["text"]: m for m in answer.json()["results"]}


def test_keys_after_accepting_a_suggestion_change_only_the_mention_it_made(page, desk, sign_in):
    project, bob, vogt, work = desk
    claim = make_claim(project, "The plan stands")
    make_mention(work, "We will not back down", speaker=vogt, quote_type="mixed", claim=claim, stance="support")
    sign_in(bob)
    open_annotate(page, work)

    # Open mention X: it alone is marked, in the list (class and aria-current) and in the text.
    page.locator("#mention-list li button", has_text="We will not back down").click()
    assert page.locator("#mention-list li.active").count() == 1
    assert page.locator("#article-body .hl-active").all_inner_texts() == ["We will not back down"]

    # Accept another suggestion with its button, then type at once, as a quick annotator does.
    page.get_by_role("button", name="Accept suggestion: the plan would cost too much").click()
    page.keyboard.press("d")
    page.keyboard.press("2")
    wait_saved(page)
    stored = stored_mentions(page, work)
    untouched = stored["We will not back down"]
    assert (untouched["quote_type"], untouched["stance"], untouched["version"]) == ("mixed", "support", 1)
    accepted = stored["the plan would cost too much"]
    # "2" (refute) found no claim on the accepted mention: it said so rather than acting on another one.
    assert (accepted["quote_type"], accepted["stance"], accepted["speaker"]["name"]) == ("direct", None, "Critics")

    # The accepted mention is the open one, and the only one marked so.
    assert page.inner_text("#editor-text") == "the plan would cost too much"
    assert page.get_attribute("#editor", "data-key") == page.get_attribute("#mention-list li.active", "data-key")
    assert page.locator("#mention-list li.active").count() == 1
    assert page.locator("#mention-list [aria-current=true] .what").inner_text() == "“the plan would cost too much”"
    assert page.locator("#article-body .hl-active").all_inner_texts() == ["the plan would cost too much"]
    assert page.locator("#article-body [aria-current=true]").all_inner_texts() == ["the plan would cost too much"]


def test_touching_and_overlapping_mentions_show_their_edges_and_light_one_at_a_time(page, desk, sign_in):
    project, bob, vogt, work = desk
    make_mention(work, "Interior Minister Lena Vogt")
    make_mention(work, "Lena Vogt said")  # overlaps the first
    make_mention(work, " on Monday")  # touches the second
    sign_in(bob)
    open_annotate(page, work)

    pieces = page.evaluate(
        """() => [...document.querySelectorAll("#article-body .hl-content")].map((s) => ({
            text: s.textContent, keys: s.dataset.keys,
            edges: ["hl-open", "hl-close", "hl-overlap"].filter((c) => s.classList.contains(c)) }))"""
    )
    assert pieces == [
        {"text": "Interior Minister ", "keys": "1", "edges": ["hl-open"]},
        {"text": "Lena Vogt", "keys": "1 2", "edges": ["hl-open", "hl-close", "hl-overlap"]},
        {"text": " said", "keys": "2", "edges": ["hl-close"]},
        {"text": " on Monday", "keys": "3", "edges": ["hl-open", "hl-close"]},
    ]
    # The brackets are drawn (generated content: the text itself is untouched).
    bracket = page.evaluate(
        """() => getComputedStyle(document.querySelector("#article-body .hl-open"), "::before").borderLeftWidth"""
    )
    assert bracket == "2px"

    screenshot(page, "annotate-overlaps")
    lit = "() => [...document.querySelectorAll('#article-body .hl-lit')].map((s) => s.textContent)"
    page.locator("#article-body .hl-content", has_text="said").hover()
    screenshot(page, "annotate-overlaps-lit")
    assert page.evaluate(lit) == ["Lena Vogt", " said"]
    assert "lighting" in page.get_attribute("#article-body", "class")
    page.mouse.move(1, 1)  # off the text: nothing lit
    assert page.evaluate(lit) == []
    page.locator("#mention-list li button", has_text="on Monday").focus()
    assert page.evaluate(lit) == [" on Monday"]


def test_a_suggestion_over_a_mention_is_marked_and_a_duplicate_is_refused_with_the_reason(page, desk, sign_in):
    project, bob, vogt, work = desk
    make_mention(work, "We will not back down", speaker=vogt, claim=make_claim(project, "The plan stands"))
    make_mention(work, "the plan would cost")  # overlaps the suggestion "the plan would cost too much"
    sign_in(bob)
    open_annotate(page, work)

    def card(text):
        return page.locator("#suggestion-list li", has_text=text)

    assert "meets-duplicate" in card("We will not back down").get_attribute("class")
    assert card("We will not back down").locator(".chip.meets").inner_text() == "already marked"
    assert "meets-overlap" in card("the plan would cost too much").get_attribute("class")
    assert card("the plan would cost too much").locator(".chip.meets").inner_text() == "overlaps a mention"
    assert card("the work starts in May").locator(".chip.meets").count() == 0

    screenshot(page, "annotate-suggestion-over-mention")
    page.get_by_role("button", name="Accept suggestion: We will not back down").click()
    page.wait_for_selector(f"#status.warn:has-text('{SUGGESTION_DUPLICATES_MENTION}')")
    card("We will not back down").locator(".chip.meets").wait_for()  # back among the pending, still marked
    wait_saved(page)
    assert ClaimMention.objects.filter(assignment=work).count() == 2
    assert Suggestion.objects.pending_for(work).count() == 3


def test_a_choice_that_waits_for_the_server_never_lands_on_another_mention(page, desk, sign_in):
    project, bob, vogt, work = desk
    make_mention(work, "We will not back down")
    make_mention(work, "the plan would cost too much")
    sign_in(bob)
    held = []  # creating the speaker waits here while the annotator moves on
    page.route(
        "**/api/projects/*/speakers/",
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    open_annotate(page, work)

    page.keyboard.press("j")
    page.keyboard.press("/")
    page.keyboard.type("Brand New Person")
    page.locator("#speaker-options li", has_text="Create speaker").click()
    while not held:
        page.wait_for_timeout(50)
    page.keyboard.press("Escape")  # out of the speaker box…
    page.keyboard.press("j")  # …and on to the next mention
    assert page.inner_text("#editor-text") == "the plan would cost too much"
    held.pop().continue_()
    page.wait_for_selector("#status.warn:has-text('another mention was opened meanwhile')")
    wait_saved(page)
    assert list(ClaimMention.objects.filter(assignment=work).values_list("speaker", flat=True)) == [None, None]
