"""Span editing in place: drag the handles at the ends of the open mention's content, source and cue, or move
either end by a word (Alt+Shift+←/→ the end, Alt+←/→ the start) or a character (with Ctrl). The other fields
are kept, no edge lands inside a grapheme cluster, and the API's stored spans satisfy body[start:end] == text."""

from pathlib import Path

import pytest
from django.conf import settings

from claims.models import Article, Claim, Role, Speaker
from claims.services.seeds import seed_project_load
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
    span,
)

pytestmark = pytest.mark.django_db(transaction=True)

# The window coordinates just inside the right (side "end") or left edge of the `occurrence`th `text` in the
# article: a caret placed there stands after it, or before it.
_EDGE = """
([text, occurrence, side]) => {
  const body = document.getElementById("article-body");
  const full = body.textContent;
  let at = -1;
  for (let i = 0; i < occurrence; i++) at = full.indexOf(text, at + 1);
  if (at < 0) throw new Error("text not on the page: " + text);
  const locate = (offset) => {
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (offset <= seen + node.length) return [node, offset - seen];
      seen += node.length;
    }
  };
  const range = document.createRange();
  range.setStart(...locate(at));
  range.setEnd(...locate(at + text.length));
  const rects = [...range.getClientRects()].filter((rect) => rect.width);
  const rect = side === "end" ? rects[rects.length - 1] : rects[0];
  return { x: side === "end" ? rect.right - 1 : rect.left + 1, y: rect.top + rect.height / 2 };
}
"""


def drag_handle(page, role: str, edge: str, text: str, occurrence: int = 1) -> None:
    """Drag the open mention's `role` handle at its `edge` (by its knob: above a start, below an end) to the same
    edge of `text` in the article."""
    handle = page.locator(f".span-handle.{role}.{edge}")
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] - 5 if edge == "start" else box["y"] + box["height"] + 5)
    page.mouse.down()
    target = page.evaluate(_EDGE, [text, occurrence, edge])
    page.mouse.move(target["x"], target["y"], steps=5)
    page.mouse.up()


def stored(page, mention_id: int) -> dict:
    response = page.request.get(f"/api/mentions/{mention_id}/")
    assert response.ok
    return response.json()


def assert_spans_hold(body: str, mention: dict) -> None:
    for one in (mention, mention["source"], mention["cue"]):
        if one is not None:
            assert body[one["start"] : one["end"]] == one["text"]


def kept(mention: dict) -> tuple:
    return (mention["speaker"]["id"], mention["claim"]["id"], mention["stance"], mention["quote_type"])


def test_handles_and_keys_move_the_spans_of_a_mention_on_the_demo_article(page, sign_in):
    seed_project_load(directory=Path(settings.BASE_DIR) / "seeds" / "demo")
    article = Article.objects.get(project__slug="demo")
    body = article.body
    bob = make_user("bob")
    add_member(article.project, bob, Role.ANNOTATOR)
    assignment = make_assignment(article, bob)
    content = (
        "it would not withdraw from a deal with Russia to buy S-400 missile defense systems despite pressure "
        "from the United States to reconsider"
    )
    mention = make_mention(
        assignment, content, speaker=Speaker.objects.get(project=article.project, name="Turkey"),
        source=span(body, "Turkey on Tuesday"), cue=span(body, "confirmed"), quote_type="indirect",
        claim=Claim.objects.get(project=article.project, text="Turkey will go ahead with the S-400 purchase"),
        stance="support",
    )  # fmt: skip
    before = (mention.speaker_id, mention.claim_id, "support", "indirect")
    sign_in(bob)
    open_annotate(page, assignment)
    page.locator("#mention-list li button").first.click()
    page.wait_for_selector(".span-handle.content.end")
    page.locator(".span-handle.content.start").scroll_into_view_if_needed()
    screenshot(page, "annotate-span-handles")

    # "Stop at 'systems'": one drag of the content's end handle.
    drag_handle(page, "content", "end", "missile defense systems")
    page.wait_for_selector("#editor-text:text-matches('systems$')")
    wait_saved(page)
    moved = stored(page, mention.pk)
    assert moved["text"] == "it would not withdraw from a deal with Russia to buy S-400 missile defense systems"
    assert (moved["version"], kept(moved)) == (2, before)

    # The keys: the end a word back and on again, the start a word on, then a character back (the space).
    page.keyboard.press("Alt+Shift+ArrowLeft")
    assert page.inner_text("#editor-text").endswith("missile defense")
    page.keyboard.press("Alt+Shift+ArrowRight")
    page.keyboard.press("Alt+ArrowRight")
    assert page.inner_text("#editor-text").startswith("would not withdraw")
    page.keyboard.press("Alt+Control+ArrowLeft")
    page.keyboard.press("Alt+ArrowLeft")  # and a word back: "it" again
    assert page.inner_text("#editor-text") == moved["text"]
    page.keyboard.press("Alt+Shift+Control+ArrowLeft")  # the end one character back
    wait_saved(page)
    moved = stored(page, mention.pk)
    assert moved["text"] == "it would not withdraw from a deal with Russia to buy S-400 missile defense system"
    assert kept(moved) == before

    # The source: e switches the keys to it; a key drops its last word, a drag of its start handle the first.
    page.keyboard.press("e")
    assert page.get_attribute("#source-text", "class").split().count("span-moving") == 1
    page.keyboard.press("Alt+Shift+ArrowLeft")  # "Turkey on Tuesday" → "Turkey on"
    page.wait_for_selector("#source-text:text('Turkey on')")
    drag_handle(page, "source", "start", "on Tuesday")
    page.wait_for_selector("#source-text:text-is('on')")
    # The cue's end handle, dragged over the next word.
    drag_handle(page, "cue", "end", "confirmed it")
    page.wait_for_selector("#cue-text:text('confirmed it')")
    wait_saved(page)
    moved = stored(page, mention.pk)
    on = body.index("Turkey on Tuesday") + len("Turkey ")
    assert moved["source"] == {"start": on, "end": on + 2, "text": "on"}
    assert moved["cue"] == span(body, "confirmed it")
    assert moved["text"].endswith("defense system") and kept(moved) == before
    assert_spans_hold(body, moved)


def test_span_edges_never_split_an_emoji_a_flag_or_an_accent(page, sign_in):
    project = make_project(manager=make_user("mia"), annotators_per_article=1)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    family = "👨\u200d👩\u200d👧"
    body = f"The envoys 🇹🇷🇺🇸 said: “Peace {family} now, Jose\u0301,” and left."
    assignment = make_assignment(make_article(project, body=body), bob)
    mention = make_mention(
        assignment, f"Peace {family} now", speaker=make_speaker(project, "The envoys"), source=span(body, "The envoys"),
        cue=span(body, "said"), claim=make_claim(project, "Peace now"), stance="support",
    )  # fmt: skip
    before = (mention.speaker_id, mention.claim_id, "support", "direct")
    sign_in(bob)
    open_annotate(page, assignment)
    page.keyboard.press("j")
    page.wait_for_selector(".span-handle.content.end")

    for _ in range(4):  # the end a character back each time: "now", then the space before it
        page.keyboard.press("Alt+Shift+Control+ArrowLeft")
    assert page.inner_text("#editor-text") == f"Peace {family}"
    page.keyboard.press("Alt+Shift+Control+ArrowLeft")  # the family, joined by zero-width joiners, goes at once
    assert page.inner_text("#editor-text") == "Peace "
    page.keyboard.press("Alt+Shift+Control+ArrowRight")  # and comes back whole
    assert page.inner_text("#editor-text") == f"Peace {family}"
    wait_saved(page)
    moved = stored(page, mention.pk)
    assert (moved["text"], kept(moved)) == (f"Peace {family}", before)

    # The end to "José": a word on reaches past the accent; a character back drops the é with its accent.
    page.keyboard.press("Alt+Shift+ArrowRight")
    page.keyboard.press("Alt+Shift+ArrowRight")
    assert page.inner_text("#editor-text") == f"Peace {family} now, Jose\u0301"
    page.keyboard.press("Alt+Shift+Control+ArrowLeft")
    assert page.inner_text("#editor-text") == f"Peace {family} now, Jos"

    # The source's end handle dragged onto the flags: it stops between them or after them, never inside one.
    page.keyboard.press("e")
    drag_handle(page, "source", "end", "🇹🇷")
    wait_saved(page)
    moved = stored(page, mention.pk)
    assert moved["text"] == f"Peace {family} now, Jos"
    assert moved["source"]["text"] == "The envoys 🇹🇷"
    assert kept(moved) == before
    assert_spans_hold(body, moved)
