"""The speaker box: typing after `/` replaces the name, a name the catalogue lacks is offered for creation
straight from the words selected in the text, and every option shows its aliases."""

import pytest
from playwright.sync_api import expect

from claims.models import ClaimMention, Role, Speaker
from tests.browser.helpers import open_annotate, select_text, wait_saved
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
    "Turkey on Tuesday confirmed it would not withdraw from a deal with Russia. "
    "The Kremlin spokesman said the systems would be delivered in July.\n"
)


@pytest.fixture
def work():
    project = make_project(manager=make_user("mia"), annotators_per_article=1)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    make_speaker(project, "United States", kind="government", aliases=["Washington", "the U.S."])
    make_speaker(project, "Turkey", kind="government", aliases=["Ankara", "Turkish government"])
    make_speaker(
        project, "Recep Tayyip Erdoğan",
        aliases=["Erdogan", "Erdoğan", "President Erdogan", "Tayyip Erdogan"],
    )  # fmt: skip
    return project, bob, make_assignment(make_article(project, body=BODY), bob)


def test_typing_after_slash_replaces_the_current_name(page, work, sign_in):
    project, bob, assignment = work
    mention = make_mention(
        assignment, "it would not withdraw from a deal with Russia", speaker=Speaker.objects.get(name="United States")
    )
    sign_in(bob)
    open_annotate(page, assignment)

    page.keyboard.press("j")
    page.keyboard.press("/")
    page.keyboard.type("Ank")
    assert page.input_value("#speaker-input") == "Ank"  # not "United StatesAnk"
    page.locator("#speaker-options li[aria-selected=true]", has_text="Turkey").wait_for()
    page.keyboard.press("Enter")
    page.wait_for_selector("#mention-list .who:text('Turkey')")
    wait_saved(page)
    mention.refresh_from_db()
    assert mention.speaker.name == "Turkey"
    assert Speaker.objects.filter(project=project).count() == 3


def test_a_name_not_in_the_catalogue_is_offered_from_the_selected_words(page, work, sign_in):
    project, bob, assignment = work
    mention = make_mention(assignment, "the systems would be delivered in July")
    sign_in(bob)
    open_annotate(page, assignment)

    page.keyboard.press("j")
    page.keyboard.press("s")  # the next selection names the speaker
    select_text(page, "The Kremlin spokesman")
    page.wait_for_selector("#speaker-input:focus")
    assert page.input_value("#speaker-input") == "The Kremlin spokesman"  # prefilled, all of it selected
    selected = page.evaluate("[document.activeElement.selectionStart, document.activeElement.selectionEnd]")
    assert selected == [0, len("The Kremlin spokesman")]
    create = page.locator("#speaker-options li.create")
    create.wait_for()
    assert create.inner_text() == "＋ Create speaker “The Kremlin spokesman”"
    page.keyboard.press("Enter")
    page.wait_for_selector("#mention-list .who:text('The Kremlin spokesman')")
    wait_saved(page)
    mention.refresh_from_db()
    assert (mention.speaker.name, mention.source_text) == ("The Kremlin spokesman", "The Kremlin spokesman")


def test_the_list_shows_aliases_the_matching_one_first(page, work, sign_in):
    _project, bob, assignment = work
    make_mention(assignment, "it would not withdraw from a deal with Russia")
    sign_in(bob)
    open_annotate(page, assignment)

    page.keyboard.press("j")
    page.keyboard.press("/")
    page.keyboard.type("Tayyip Erdogan")
    option = page.locator("#speaker-options li", has_text="Recep Tayyip Erdoğan")
    # (Retried until the list answers the whole name, not a prefix typed on the way.)
    expect(option.locator(".meta")).to_have_text("person · also Tayyip Erdogan, Erdogan, Erdoğan, President Erdogan")
    page.keyboard.press("Escape")
    page.keyboard.press("/")
    page.keyboard.type("Washington")
    us = page.locator("#speaker-options li", has_text="United States")
    expect(us.locator(".meta")).to_have_text("government · also Washington, the U.S.")
    assert ClaimMention.objects.get(assignment=assignment).speaker is None
