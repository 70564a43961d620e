"""What a person does on the annotate page, in Playwright terms."""

from __future__ import annotations

_LOCATE = """
([text, occurrence]) => {
  const body = document.getElementById("article-body");
  const full = body.textContent;
  let at = -1;
  for (let i = 0; i < occurrence; i++) at = full.indexOf(text, at + 1);
  if (at < 0) throw new Error("text not on the page: " + text);
  const locate = (offset) => {
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (offset < seen + node.length) return [node, offset - seen];
      seen += node.length;
    }
    throw new Error("offset past the text");
  };
  const rectOf = (offset, length) => {
    const [node, inner] = locate(offset);
    const range = document.createRange();
    range.setStart(node, inner);
    range.setEnd(node, Math.min(node.length, inner + length));
    const rects = range.getClientRects();
    return rects[rects.length - 1] || range.getBoundingClientRect();
  };
  // Bring the words themselves (not their whole parent element) to the middle of the window.
  const target = rectOf(at, 1);
  window.scrollBy(0, target.top - window.innerHeight / 2);
  const first = rectOf(at, full.codePointAt(at) > 0xffff ? 2 : 1);
  const lastAt = at + text.length - 1;
  const lastUnit = full.charCodeAt(lastAt);
  const last = lastUnit >= 0xdc00 && lastUnit <= 0xdfff ? rectOf(lastAt - 1, 2) : rectOf(lastAt, 1);
  // Right-to-left text (Arabic, Hebrew) starts at the right edge of its first character.
  const rtl = Math.abs(first.top - last.top) < first.height / 2 && first.left > last.left;
  return {
    x1: rtl ? first.right - 1 : first.left + 1, y1: first.top + first.height / 2,
    x2: rtl ? last.left + 1 : last.right - 1, y2: last.top + last.height / 2,
  };
}
"""

_SELECT_UTF16 = """
([start, end]) => {
  const body = document.getElementById("article-body");
  const locate = (offset) => {
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (offset <= seen + node.length) return [node, offset - seen];
      seen += node.length;
    }
  };
  const range = document.createRange();
  range.setStart(...locate(start));
  range.setEnd(...locate(end));
  const selection = document.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  body.dispatchEvent(new MouseEvent("mousedown", { bubbles: true }));
  body.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
}
"""


def select_text(page, text: str, occurrence: int = 1) -> None:
    """Drag the mouse over `text` in the article, as a person would."""
    box = page.evaluate(_LOCATE, [text, occurrence])
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, (box["y1"] + box["y2"]) / 2, steps=3)
    page.mouse.move(box["x2"], box["y2"], steps=3)
    page.mouse.up()


def select_utf16(page, start: int, end: int) -> None:
    """Set the browser's selection at raw UTF-16 positions (e.g. inside a surrogate pair)."""
    page.evaluate(_SELECT_UTF16, [start, end])


def wait_saved(page) -> None:
    page.wait_for_selector("main[data-pending='0']", state="attached")


def open_annotate(page, assignment) -> None:
    page.goto(f"/assignments/{assignment.pk}/")
    page.wait_for_selector("#article-body[data-ready=true]")
