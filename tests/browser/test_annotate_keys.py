"""The annotate page by keyboard: the help lists the keys there are; Escape backs out one step at a time;
the speaker and claim boxes are driven by arrows and Enter."""

import pytest

from claims.models import DEFAULT_STANCE_LABELS, ClaimMention, Role
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

HELP_ROWS = """() => [...document.querySelectorAll("#help-dialog table.keys tr")].map((tr) => [...tr.cells].map(
    (td) => ({ text: td.textContent, kbd: [...td.querySelectorAll("kbd")].map((k) => k.textContent) })))"""


@pytest.fixture
def work():
    project = make_project(manager=make_user("mia"), annotators_per_article=1)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    return project, bob, make_assignment(make_article(project), bob)


def test_the_help_lists_every_key_with_the_projects_stance_keys(page, work, sign_in):
    _project, bob, assignment = work
    sign_in(bob)
    open_annotate(page, assignment)
    page.keyboard.press("?")
    assert page.get_by_role("dialog", name="Keyboard").is_visible()

    def row(keys, text, what):
        return [{"text": text, "kbd": keys}, {"text": what, "kbd": []}]

    assert page.evaluate(HELP_ROWS) == [
        row(["←", "→", "↑", "↓"], "← → ↑ ↓", "move the caret in the text: a character, a line"),
        row(["Ctrl", "←", "→"], "Ctrl+←/→", "caret to the start of this or the previous word / the end of the next"),
        row(["Alt", "↑", "↓"], "Alt+↑/↓", "caret to the start of this or the previous sentence / of the next"),
        row(["Ctrl", "↑", "↓"], "Ctrl+↑/↓", "caret to the start of this or the previous paragraph / of the next"),
        row(["Shift"], "Shift+ a caret key", "select from the caret (a new mention; after s or c, the words to mark)"),
        row(["⏎", "s", "c"], "⏎ after s / c", "mark the selected words as the speaker's name / the cue"),
        row(
            ["Alt", "Shift", "←", "→", "Ctrl"],
            "Alt+Shift+←/→, with Ctrl",
            "move the end of the open mention's span a word / with Ctrl a character back or on",
        ),
        row(
            ["Alt", "←", "→", "Ctrl"], "Alt+←/→, with Ctrl", "move its start a word / with Ctrl a character back or on"
        ),
        row(["e"], "e", "switch the span those keys move: claim text, speaker's name, cue"),
        row(["⏎"], "⏎", "add the selection as a mention"),
        row(["s", "c"], "s / c", "next selection marks the speaker's name / the cue"),
        row(["/"], "/", "search speakers (what you type replaces the name; a new name can be created)"),
        row(["l"], "l", "link a tracked claim (closest first, type to search all; new ones only by choice)"),
        row(["d", "i", "m"], "d i m", "direct / indirect / mixed quote"),
        row(["1", "2", "3", "4"], "1 Support  2 Refute  3 Neutral  4 Query  ", "stance"),
        row(["j", "k"], "j / k", "next / previous mention"),
        row(["a", "x"], "a / x", "accept / reject the open suggestion"),
        row(["Del"], "Del", "delete the open mention"),
        row(["Esc"], "Esc", "close the panel or cancel"),
        row(["Ctrl", "z"], "Ctrl+z", "undo the last change (press again for earlier ones)"),
        row(["Ctrl", "Shift", "z", "Ctrl", "y"], "Ctrl+Shift+z / Ctrl+y", "redo the change undone last"),
        row(["Ctrl", "⏎"], "Ctrl+⏎", "submit (asks first if anything is incomplete) and open the next article"),
        row(["?"], "?", "this help"),
        row(["n", "p"], "n / p", "next / previous suggestion (in the panel's order)"),
        row(["g"], "g", "fold / unfold the open suggestion's group (in the panel: ← / →, ↑ / ↓ to move)"),
    ]


def test_escape_backs_out_one_step_at_a_time(page, work, sign_in):
    _project, bob, assignment = work
    make_mention(assignment, "We will not back down")
    sign_in(bob)
    open_annotate(page, assignment)

    page.keyboard.press("j")
    page.keyboard.press("/")  # into the speaker box…
    assert page.evaluate("document.activeElement.id") == "speaker-input"
    page.keyboard.press("Escape")  # …out of it, the editor still open
    assert page.evaluate("document.activeElement.id") != "speaker-input"
    page.keyboard.press("c")  # mark the cue…
    assert page.inner_text("#editor-state") == "select the cue words in the text"
    page.keyboard.press("Escape")  # …no longer
    assert page.is_hidden("#editor-state") and page.is_visible("#editor")
    page.keyboard.press("Escape")  # and the editor closes
    assert page.is_hidden("#editor")


def test_speaker_and_claim_boxes_take_arrows_and_enter(page, work, sign_in):
    project, bob, assignment = work
    make_speaker(project, "Lena Vogt")
    make_speaker(project, "Lena Vogel")
    make_claim(project, "The plan is reckless")
    mention = make_mention(assignment, "We will not back down")
    sign_in(bob)
    open_annotate(page, assignment)

    page.keyboard.press("j")
    page.keyboard.press("/")
    page.keyboard.type("Lena")
    options = page.locator("#speaker-options li")
    options.nth(1).wait_for()
    names = page.evaluate("[...document.querySelectorAll('#speaker-options li')].map((li) => li.firstChild.data)")
    assert sorted(names[:2]) == ["Lena Vogel", "Lena Vogt"]
    assert options.nth(0).get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowDown")
    assert options.nth(1).get_attribute("aria-selected") == "true"
    assert page.get_attribute("#speaker-input", "aria-activedescendant") == "speaker-options-1"
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#mention-list .who:text('{names[1]}')")
    assert page.is_hidden("#speaker-options")

    page.keyboard.press("l")
    page.keyboard.type("plan reckless")
    page.locator("#claim-options li", has_text="The plan is reckless").wait_for()
    page.keyboard.press("Enter")
    page.wait_for_selector("#claim-text:text('The plan is reckless')")
    wait_saved(page)
    mention = ClaimMention.objects.get(pk=mention.pk)
    assert (mention.speaker.name, mention.claim.text) == (names[1], "The plan is reckless")

    page.keyboard.press("/")
    page.keyboard.type("Lena")
    options.first.wait_for()
    page.keyboard.press("Escape")  # closes the list and leaves the box, choosing nothing
    assert page.is_hidden("#speaker-options")
    assert page.evaluate("document.activeElement.id") != "speaker-input"


def test_a_stance_key_that_is_also_a_page_key_sets_the_stance_while_a_mention_is_open(page, sign_in):
    labels = [dict(label) for label in DEFAULT_STANCE_LABELS]
    labels[0]["shortcut"], labels[1]["shortcut"] = "s", "a"  # support on "s" (mark source), refute on "a" (accept)
    project = make_project(manager=make_user("mia"), annotators_per_article=1, stance_labels=labels)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    assignment = make_assignment(make_article(project), bob)
    mention = make_mention(assignment, "We will not back down", claim=make_claim(project))
    sign_in(bob)
    open_annotate(page, assignment)

    page.keyboard.press("j")
    page.keyboard.press("s")
    assert page.is_hidden("#editor-state")  # no source marking: "s" is the stance key here
    assert page.get_attribute("#stance-buttons .stance[data-value=support]", "aria-pressed") == "true"
    page.keyboard.press("a")  # no suggestion is open: "a" is the stance key too
    wait_saved(page)
    assert ClaimMention.objects.get(pk=mention.pk).stance == "refute"
    page.keyboard.press("Escape")
    page.keyboard.press("?")
    stance_keys = page.locator("#help-dialog tr", has_text="stance").locator("td").first.text_content()
    assert stance_keys == "s Support  a Refute  3 Neutral  4 Query  "
