"""The annotate page's smaller moves: highlights that open their mention, delete and undo, the article's own
stance set and cleared, a refused change dropped and named, finished work shown read-only."""

import json

import pytest

from claims.models import ArticleStance, ClaimMention, Role
from claims.services.assignments import assignment_submit
from tests.browser.helpers import open_annotate, select_text, wait_saved
from tests.builders import (
    BODY,
    add_member,
    make_article,
    make_assignment,
    make_claim,
    make_mention,
    make_project,
    make_speaker,
    make_user,
    span,
)

pytestmark = pytest.mark.django_db(transaction=True)

HIGHLIGHTS = """() => [...document.querySelectorAll("#article-body .hl")].map((s) => ({
    text: s.textContent, classes: s.className, keys: s.dataset.keys || "", title: s.title }))"""


@pytest.fixture
def work():
    project = make_project(manager=make_user("mia"), annotators_per_article=1)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    return project, bob, make_assignment(make_article(project, body=BODY), bob)


def test_highlights_show_claim_speaker_and_cue_and_open_their_mention(page, work, sign_in):
    project, bob, assignment = work
    # The body starts with an emoji (two UTF-16 units): every highlight after it depends on the offsets rule.
    make_mention(
        assignment, "We will not back down", speaker=make_speaker(project, "Lena Vogt"),
        source=span(BODY, "the minister"), cue=span(BODY, "said"),
        claim=make_claim(project, "The plan is reckless"), stance="support",
    )  # fmt: skip
    make_mention(assignment, "back down,” the minister", quote_type="mixed")  # overlaps the first and its source
    sign_in(bob)
    open_annotate(page, assignment)

    described = "Lena Vogt — direct, support toward “The plan is reckless”"
    first, source, cue = f"claim: {described}", f"speaker named: {described}", f"cue: {described}"
    second = "claim: the outlet (no speaker) — mixed"
    assert page.evaluate(HIGHLIGHTS) == [
        {"text": "We will not ", "classes": "hl hl-content hl-open", "keys": "1", "title": first},
        {"text": "back down", "classes": "hl hl-content hl-open hl-close hl-overlap", "keys": "1 2",
         "title": f"{first}\n{second}"},
        {"text": ",” ", "classes": "hl hl-content", "keys": "2", "title": second},
        {"text": "the minister", "classes": "hl hl-content hl-source hl-close", "keys": "2 1",
         "title": f"{second}\n{source}"},
        {"text": "said", "classes": "hl hl-cue", "keys": "1", "title": cue},
    ]  # fmt: skip

    # A click on a highlight opens the mention it belongs to (the first, where two overlap).
    page.locator("#article-body .hl", has_text="back down").click()
    page.wait_for_selector("#editor:not([hidden])")
    assert page.inner_text("#editor-text") == "We will not back down"
    assert page.input_value("#speaker-input") == "Lena Vogt"
    assert page.locator("#article-body .hl-active").all_inner_texts() == ["We will not ", "back down"]
    assert page.locator("#mention-list li.active .what").inner_text() == "“We will not back down”"


def test_a_deleted_mention_comes_back_with_undo(page, work, sign_in):
    project, bob, assignment = work
    claim = make_claim(project, "The plan is reckless")
    make_mention(assignment, "We will not back down", claim=claim, stance="refute", quote_type="mixed")
    sign_in(bob)
    held = []  # the DELETE waits here, so that Undo is still on offer (see the next test)
    page.route(
        "**/api/mentions/*/",
        lambda route: held.append(route) if route.request.method == "DELETE" else route.continue_(),
    )
    open_annotate(page, assignment)

    page.keyboard.press("j")
    page.keyboard.press("Delete")
    assert page.locator("#mention-list li").count() == 0
    page.locator("#status").get_by_role("button", name="Undo").click()
    assert page.inner_text("#editor-text") == "We will not back down"  # opened again
    while not held:
        page.wait_for_timeout(50)
    held.pop().continue_()
    wait_saved(page)
    restored = ClaimMention.objects.get()
    assert (restored.text, restored.claim, restored.stance, restored.quote_type) == (
        "We will not back down", claim, "refute", "mixed",
    )  # fmt: skip


def test_undo_stays_on_offer_after_the_delete_is_saved(page, work, sign_in):
    _project, bob, assignment = work
    make_mention(assignment, "We will not back down")
    sign_in(bob)
    open_annotate(page, assignment)
    page.keyboard.press("j")
    page.keyboard.press("Delete")
    wait_saved(page)
    assert not ClaimMention.objects.exists()
    page.locator("#status").get_by_role("button", name="Undo").click(timeout=1000)
    wait_saved(page)
    assert ClaimMention.objects.get().text == "We will not back down"


def test_the_articles_own_stance_is_set_and_cleared_by_a_second_click(page, work, sign_in):
    project, bob, assignment = work
    make_mention(assignment, "We will not back down", claim=make_claim(project, "The plan is reckless"))
    make_claim(project, "The minister resigns")
    sign_in(bob)
    open_annotate(page, assignment)

    neutral = page.get_by_role("group", name="Article's stance toward: The plan is reckless").get_by_role(
        "button", name="Neutral"
    )
    neutral.click()
    wait_saved(page)
    assert ArticleStance.objects.get().stance == "neutral"
    assert neutral.get_attribute("aria-pressed") == "true"
    neutral.click()
    wait_saved(page)
    assert ArticleStance.objects.count() == 0
    assert neutral.get_attribute("aria-pressed") == "false"

    # A claim no mention links can be added for the article's stance through its own claim box.
    page.fill("#article-claim-input", "resigns")
    page.locator("#article-claim-options li", has_text="The minister resigns").click()
    page.get_by_role("group", name="Article's stance toward: The minister resigns").get_by_role(
        "button", name="Refute"
    ).click()
    wait_saved(page)
    assert ArticleStance.objects.get().claim.text == "The minister resigns"


def test_a_refused_new_mention_is_dropped_and_the_reason_shown(page, work, sign_in):
    _project, bob, assignment = work
    sign_in(bob)
    refusal = json.dumps({"start": ["Overlaps nothing you may label."]})
    page.route(
        "**/api/assignments/*/mentions/",
        lambda route: (
            route.fulfill(status=400, body=refusal, content_type="application/json")
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    open_annotate(page, assignment)

    select_text(page, "called the plan reckless")
    page.keyboard.press("Enter")
    page.wait_for_selector("#status.warn:has-text('Not saved: start: Overlaps nothing you may label.')")
    wait_saved(page)
    assert page.locator("#mention-list li").count() == 0
    assert page.is_hidden("#editor")
    assert ClaimMention.objects.count() == 0


def test_finished_work_is_shown_read_only(page, work, sign_in):
    _project, bob, assignment = work
    make_mention(assignment, "We will not back down")
    assignment_submit(assignment=assignment)
    sign_in(bob)
    open_annotate(page, assignment)

    assert page.is_visible("#readonly-note")
    for button in ("#submit-button", "#skip-button", "#article-claim-input"):
        assert page.is_disabled(button), button
    select_text(page, "called the plan reckless")
    assert page.is_hidden("#editor")  # no new mention
    page.keyboard.press("j")  # an existing one can still be read
    assert page.inner_text("#editor-text") == "We will not back down"
    assert page.is_disabled("input[name=quote_type][value=mixed]")
    assert page.is_hidden("#delete-mention") and page.is_hidden("#add-mention")
    page.keyboard.press("Delete")
    assert page.locator("#mention-list li").count() == 1
