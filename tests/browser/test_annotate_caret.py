"""Marking without the mouse: a caret in the article that the arrows move (a character, a word with Ctrl, a
line, a sentence with Alt, a paragraph with Ctrl+↑/↓), Shift+movement selecting from the caret, and a whole
mention made and saved by keys alone, its offsets checked through the API."""

import pytest

from claims.models import Role
from tests.browser.conftest import screenshot
from tests.browser.helpers import open_annotate, wait_saved
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
)

pytestmark = pytest.mark.django_db(transaction=True)

CARET = "() => Number(document.getElementById('article-body').dataset.caret)"
# The caret as drawn, and the left edge of the character after it: where a caret is seen to stand.
DRAWN = """() => {
  const body = document.getElementById("article-body");
  const at = Number(body.dataset.caret);
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  let seen = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (at < seen + node.length) {
      const range = document.createRange();
      range.setStart(node, at - seen);
      range.setEnd(node, at - seen + 1);
      const char = range.getClientRects()[0];
      const caret = document.querySelector(".text-caret").getBoundingClientRect();
      return { caretX: caret.left + caret.width / 2, caretTop: caret.top, caretHeight: caret.height,
               charX: char.left, charTop: char.top, focused: document.activeElement === body };
    }
    seen += node.length;
  }
}"""


def u16(text: str, index: int) -> int:
    """A code point index of `text` as the browser counts it (UTF-16 units)."""
    return len(text[:index].encode("utf-16-le")) // 2


def caret(page) -> int:
    return page.evaluate(CARET)


def press_until(page, key: str, at: int, limit: int = 60) -> None:
    """Press `key` until the caret stands at `at` (UTF-16); fail if it passes by."""
    for _ in range(limit):
        if caret(page) == at:
            return
        page.keyboard.press(key)
    assert caret(page) == at


@pytest.fixture
def work():
    project = make_project(manager=make_user("mia"), annotators_per_article=1)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    return project, bob


def test_a_whole_mention_is_made_and_saved_with_the_keyboard_alone(page, work, sign_in):
    project, bob = work
    lena = make_speaker(project, "Lena Vogt", aliases=["the minister"])
    claim = make_claim(project, "The government will not back down")
    article = make_article(project, body=BODY)
    assignment = make_assignment(article, bob)
    sign_in(bob)
    open_annotate(page, assignment)

    # The first arrow puts the caret into the text; Alt+↓ goes a sentence on, → a character (past the “).
    page.keyboard.press("ArrowRight")
    assert page.evaluate(DRAWN)["focused"]
    page.keyboard.press("Alt+ArrowDown")
    assert caret(page) == u16(BODY, BODY.index("“We"))
    page.keyboard.press("ArrowRight")
    assert caret(page) == u16(BODY, BODY.index("We will"))
    for _ in range(5):  # Shift+Ctrl+→ selects from the caret to the end of each next word
        page.keyboard.press("Shift+Control+ArrowRight")
    assert page.inner_text("#editor-text") == "We will not back down"
    screenshot(page, "annotate-keyboard-selection")
    page.keyboard.press("Enter")  # the mention is added

    page.keyboard.press("s")  # the speaker's name: to the end of "the", back to its start, select two words
    press_until(page, "Control+ArrowRight", u16(BODY, BODY.index("the minister") + 3))
    page.keyboard.press("Control+ArrowLeft")
    page.keyboard.press("Shift+Control+ArrowRight")
    page.keyboard.press("Shift+Control+ArrowRight")
    assert page.is_visible("#editor-state")  # still marking: the selection waits for Enter
    page.keyboard.press("Enter")
    page.wait_for_selector("#speaker-input:focus")  # no speaker yet: the box opens on the words just marked
    page.keyboard.type("Lena")
    page.locator("#speaker-options li", has_text="Lena Vogt").wait_for()
    page.keyboard.press("Enter")
    page.wait_for_selector("#mention-list .who:text('Lena Vogt')")

    page.keyboard.press("c")  # the cue: the next word
    page.keyboard.press("Control+ArrowRight")
    page.keyboard.press("Control+ArrowLeft")
    page.keyboard.press("Shift+Control+ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_selector("#cue-text:text('said')")

    page.keyboard.press("m")  # quote type
    page.keyboard.press("l")  # claim
    page.keyboard.type("not back down")
    page.locator("#claim-options li", has_text=claim.text).wait_for()
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#claim-text:text('{claim.text}')")
    page.keyboard.press("1")  # support
    wait_saved(page)

    response = page.request.get(f"/api/assignments/{assignment.pk}/mentions/")
    assert response.ok
    [stored] = response.json()["results"]

    def at(text):
        start = BODY.index(text)
        return {"start": start, "end": start + len(text), "text": text}

    assert {k: stored[k] for k in ("start", "end", "text")} == at("We will not back down")
    assert stored["source"] == at("the minister")
    assert stored["cue"] == at("said")
    assert (stored["speaker"]["id"], stored["claim"]["id"]) == (lena.pk, claim.pk)
    assert (stored["quote_type"], stored["stance"]) == ("mixed", "support")
    for span in (stored, stored["source"], stored["cue"]):
        assert BODY[span["start"] : span["end"]] == span["text"]


def test_shift_movement_selects_from_the_caret_not_from_the_start(page, work, sign_in):
    project, bob = work
    assignment = make_assignment(make_article(project, body=BODY), bob)
    sign_in(bob)
    open_annotate(page, assignment)

    for _ in range(3):  # Officials · met · on
        page.keyboard.press("Control+ArrowRight")
    page.keyboard.press("ArrowRight")  # past the space: the caret before "Tuesday"
    assert caret(page) == u16(BODY, BODY.index("Tuesday"))
    page.keyboard.press("Shift+Control+ArrowRight")
    assert page.inner_text("#editor-text") == "Tuesday"
    page.keyboard.press("Shift+ArrowRight")  # and on by characters: the space, then the rocket, whole
    page.keyboard.press("Shift+ArrowRight")
    assert page.inner_text("#editor-text") == "Tuesday 🚀"
    page.keyboard.press("Shift+ArrowLeft")  # one step back drops the whole rocket (two UTF-16 units)
    assert page.inner_text("#editor-text") == "Tuesday"
    assert caret(page) == u16(BODY, BODY.index("Tuesday") + len("Tuesday "))


def test_the_caret_moves_by_whole_characters_lines_and_paragraphs(page, work, sign_in):
    project, bob = work
    flags = "🇹🇷🇺🇸"
    family = "👨\u200d👩\u200d👧"
    accented = "Jose\u0301"  # e and a combining acute: one character on screen
    body = (
        f"{flags} {family} {accented} spoke. " + "A long line of words that wraps. " * 8 + "\n\n"
        "Second paragraph starts here."
    )
    assignment = make_assignment(make_article(project, body=body), bob)
    sign_in(bob)
    open_annotate(page, assignment)

    page.keyboard.press("ArrowRight")  # from 0: one flag is one character (four UTF-16 units)
    assert caret(page) == 4
    page.keyboard.press("ArrowRight")
    assert caret(page) == 8
    page.keyboard.press("ArrowLeft")
    assert caret(page) == 4
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # the space
    page.keyboard.press("ArrowRight")  # the family, joined by zero-width joiners, at once
    assert caret(page) == u16(body, body.index(family) + len(family))
    page.keyboard.press("Control+ArrowRight")  # to the end of "José", its accent included
    assert caret(page) == u16(body, body.index(accented) + len(accented))
    page.keyboard.press("ArrowLeft")  # e + accent: one step
    assert caret(page) == u16(body, body.index(accented) + 3)

    drawn = page.evaluate(DRAWN)
    assert drawn["focused"] and drawn["caretHeight"] > 10
    assert abs(drawn["caretX"] - drawn["charX"]) < 3
    assert abs(drawn["caretTop"] - drawn["charTop"]) < drawn["caretHeight"]

    before = caret(page)
    page.keyboard.press("ArrowDown")  # a line down: further on in the text, on a lower line
    below = page.evaluate(DRAWN)
    assert caret(page) > before and below["caretTop"] > drawn["caretTop"]
    page.keyboard.press("ArrowUp")
    assert page.evaluate(DRAWN)["caretTop"] == drawn["caretTop"]
    page.keyboard.press("Control+ArrowDown")  # the next paragraph
    assert caret(page) == u16(body, body.index("Second"))
    page.keyboard.press("Control+ArrowUp")  # the start of the one before
    assert caret(page) == 0


def test_the_next_mention_key_brings_the_caret_to_the_mention(page, work, sign_in):
    project, bob = work
    assignment = make_assignment(make_article(project, body=BODY), bob)
    make_mention(assignment, "called the plan reckless")
    make_mention(assignment, "We will not back down")
    sign_in(bob)
    open_annotate(page, assignment)

    page.keyboard.press("j")  # the first mention in the text
    assert caret(page) == u16(BODY, BODY.index("We will"))
    page.keyboard.press("j")
    assert caret(page) == u16(BODY, BODY.index("called"))
    page.keyboard.press("Shift+Control+ArrowRight")  # selecting goes on from there
    assert page.inner_text("#editor-text") == "called"
