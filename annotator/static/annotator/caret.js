// A caret in the article, for marking without the mouse. The article is not editable, so the browser draws
// no caret there: this module keeps one (a UTF-16 offset, with the anchor of a selection), draws it as an
// element beside the text, moves it by character, word, line, sentence and paragraph (text_units.js), and
// makes Shift+movement select from it, as the browser's own DOM selection, so the page takes a keyboard
// selection exactly as it takes a mouse one. A click or a mouse selection in the text moves the caret there.

import { domOffset } from "./offsets.js";
import { RANK } from "./keys.js";

const ARROWS = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -1, ArrowDown: 1 };

/** The DOM position (text node, offset) of the UTF-16 offset `at` in `root`'s text. */
export function domPosition(root, at) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let seen = 0;
  let last = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (at <= seen + node.length) return [node, at - seen];
    seen += node.length;
    last = node;
  }
  return last ? [last, last.length] : [root, 0];
}

/** The UTF-16 offset in `root`'s text of the point (x, y) of the window, or null when it is not over the text. */
export function offsetAtPoint(root, x, y) {
  let node;
  let offset;
  if (document.caretPositionFromPoint) {
    const position = document.caretPositionFromPoint(x, y);
    if (!position) return null;
    ({ offsetNode: node, offset } = position);
  } else {
    const range = document.caretRangeFromPoint(x, y);
    if (!range) return null;
    ({ startContainer: node, startOffset: offset } = range);
  }
  return root.contains(node) ? domOffset(root, node, offset) : null;
}

/** The rectangle (window coordinates) of a zero-width caret at the UTF-16 offset `at`. */
export function caretRect(root, at) {
  const range = document.createRange();
  range.setStart(...domPosition(root, at));
  const rects = range.getClientRects();
  if (rects.length && rects[0].height) return rects[0];
  // At a line's start after a break, a collapsed range may have no box: use the next character's left edge.
  range.setEnd(...domPosition(root, at + 1));
  const next = [...range.getClientRects()].find((rect) => rect.width);
  if (next) return new DOMRect(next.left, next.top, 0, next.height);
  // At the very end: the last character's right edge.
  if (at > 0) {
    range.setStart(...domPosition(root, at - 1));
    range.setEnd(...domPosition(root, at));
    const last = [...range.getClientRects()].filter((rect) => rect.width).pop();
    if (last) return new DOMRect(last.right, last.top, 0, last.height);
  }
  const box = root.getBoundingClientRect();
  return new DOMRect(box.left, box.top, 0, parseFloat(getComputedStyle(root).lineHeight) || 20);
}

export class Caret {
  anchor = 0; // UTF-16 offsets into the article's text; anchor === focus: nothing selected
  focus = 0;
  #placed = false;
  #goalX = null; // kept across ↑/↓ so a column survives short lines

  /**
   * body: the article's element; units: its TextUnits; selected(): called after Shift+movement changed the
   * selection (the page decides whether to take it at once).
   */
  constructor(body, units, { selected }) {
    Object.assign(this, { body, units, selected });
    this.el = document.createElement("span");
    this.el.className = "text-caret";
    this.el.setAttribute("aria-hidden", "true");
    body.parentElement.append(this.el); // beside the text (never in it): the text's offsets stay the body's
    // Capture: before the page's own mouseup handler re-renders the text (which moves the DOM selection).
    let fromBody = false;
    body.addEventListener("mousedown", () => { fromBody = true; });
    document.addEventListener("mouseup", () => {
      if (!fromBody) return;
      fromBody = false;
      this.#fromDomSelection({ collapsedToo: true });
      this.#goalX = null;
      this.draw();
    }, { capture: true });
    // Drawn where it stands now when the text gets the focus (the page may have laid the text out anew).
    body.addEventListener("focus", () => this.draw());
    window.addEventListener("resize", () => this.draw());
  }

  /** Is the keyboard selection (or a mouse one) a non-empty stretch of the text? */
  hasSelection() {
    this.#fromDomSelection({ collapsedToo: false });
    const selection = document.getSelection();
    return this.anchor !== this.focus && selection.rangeCount > 0 && !selection.isCollapsed;
  }

  /** Does `event` move the caret? Arrows, with Ctrl or Alt (not both); Alt+←/→ move a span's edge (span_edit.js). */
  static takes(event) {
    if (ARROWS[event.key] === undefined || event.metaKey || (event.altKey && event.ctrlKey)) return false;
    return !(event.altKey && (event.key === "ArrowLeft" || event.key === "ArrowRight"));
  }

  /** Where a key that `takes` takes the caret. */
  #target(event) {
    const step = ARROWS[event.key];
    const at = this.focus;
    const units = this.units;
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      if (event.ctrlKey) return step > 0 ? units.nextWordEnd(at) : units.prevWordStart(at);
      return step > 0 ? units.nextChar(at) : units.prevChar(at);
    }
    if (event.altKey) return step > 0 ? units.nextSentence(at) : units.prevSentence(at);
    if (event.ctrlKey) return step > 0 ? units.nextParagraph(at) : units.prevParagraph(at);
    return this.#lineTarget(step);
  }

  /** Answer a movement key: move the caret, or with Shift extend the selection from it. */
  move(event) {
    this.#start();
    const vertical = event.key === "ArrowUp" || event.key === "ArrowDown";
    if (!vertical || event.altKey || event.ctrlKey) this.#goalX = null;
    this.focus = this.units.nearestBoundary(this.#target(event));
    if (!event.shiftKey) this.anchor = this.focus;
    this.#showSelection();
    this.draw();
    this.el.scrollIntoView({ block: "nearest" });
    if (event.shiftKey) this.selected();
  }

  /** Put the caret at `at` (UTF-16), nothing selected: where the keyboard goes on from. */
  moveTo(at) {
    this.anchor = this.focus = this.units.nearestBoundary(at);
    this.#placed = true;
    this.#goalX = null;
    this.draw();
  }

  draw() {
    const box = this.body.parentElement.getBoundingClientRect();
    const rect = caretRect(this.body, this.focus);
    Object.assign(this.el.style, {
      left: `${rect.left - box.left}px`, top: `${rect.top - box.top}px`, height: `${rect.height}px`,
    });
    this.body.dataset.caret = String(this.focus); // where the caret is (UTF-16), for tests
  }

  /**
   * Before each movement: the text takes the focus. The first time, the caret starts at the article's start, or
   * near the top of the window when that start is scrolled out of sight.
   */
  #start() {
    if (document.activeElement !== this.body) this.body.focus({ preventScroll: true });
    if (this.#placed) {
      this.#fromDomSelection({ collapsedToo: false });
      const selection = document.getSelection();
      // The selection was taken (the page drew the text again) or cleared: Shift selects afresh from the caret.
      if (!selection.rangeCount || selection.isCollapsed || !this.body.contains(selection.anchorNode)) {
        this.anchor = this.focus;
      }
      return;
    }
    this.#placed = true;
    const bounds = this.body.getBoundingClientRect();
    if (bounds.top < 0) {
      const at = offsetAtPoint(this.body, bounds.left + 2, Math.min(window.innerHeight / 4, bounds.bottom - 2));
      if (at !== null) this.anchor = this.focus = this.units.nearestBoundary(at);
    }
  }

  /** Take the caret and anchor from the DOM selection when it lies in the text (a mouse selection). */
  #fromDomSelection({ collapsedToo }) {
    const selection = document.getSelection();
    if (!selection.rangeCount || (selection.isCollapsed && !collapsedToo)) return;
    if (!this.body.contains(selection.anchorNode) || !this.body.contains(selection.focusNode)) return;
    this.anchor = domOffset(this.body, selection.anchorNode, selection.anchorOffset);
    this.focus = domOffset(this.body, selection.focusNode, selection.focusOffset);
    this.#placed = true;
  }

  #showSelection() {
    const selection = document.getSelection();
    if (this.anchor === this.focus) {
      if (selection.rangeCount && this.body.contains(selection.anchorNode)) selection.removeAllRanges();
      return;
    }
    selection.setBaseAndExtent(...domPosition(this.body, this.anchor), ...domPosition(this.body, this.focus));
  }

  /** The offset one line up (step -1) or down (+1), at the same x: the browser's layout decides what a line is. */
  #lineTarget(step) {
    let rect = caretRect(this.body, this.focus);
    if (this.#goalX === null) this.#goalX = rect.left;
    const lineHeight = rect.height || parseFloat(getComputedStyle(this.body).lineHeight) || 20;
    let y = rect.top + rect.height / 2 + step * lineHeight;
    if (y < lineHeight || y > window.innerHeight - lineHeight) { // bring the target line into the window first
      window.scrollBy(0, step * lineHeight * 3);
      rect = caretRect(this.body, this.focus);
      y = rect.top + rect.height / 2 + step * lineHeight;
    }
    const bounds = this.body.getBoundingClientRect();
    if (y < bounds.top) return 0;
    if (y > bounds.bottom) return this.units.text.length;
    const at = offsetAtPoint(this.body, Math.max(bounds.left + 1, Math.min(this.#goalX, bounds.right - 1)), y);
    return at === null ? this.focus : at;
  }
}

/**
 * The caret's keys, for the page's key table (keys.js). `page`: { marking(), takeSelection() }: in marking
 * mode (after s or c) a keyboard selection waits for Enter, so that it can grow word by word first.
 */
export function caretKeys(caret, page) {
  const moves = (test) => (event) => test(event) && Caret.takes(event);
  const horizontal = (event) => event.key === "ArrowLeft" || event.key === "ArrowRight";
  const vertical = (event) => event.key === "ArrowUp" || event.key === "ArrowDown";
  const binding = (show, does, test) => ({
    show, does, matches: moves(test), rank: RANK.SELECTION, preventDefault: true, run: (event) => caret.move(event),
  });
  return [
    binding("[←] [→] [↑] [↓]", "move the caret in the text: a character, a line",
      (e) => !e.ctrlKey && !e.altKey && (horizontal(e) || vertical(e))),
    binding("[Ctrl]+[←]/[→]", "caret to the start of this or the previous word / the end of the next",
      (e) => e.ctrlKey && horizontal(e)),
    binding("[Alt]+[↑]/[↓]", "caret to the start of this or the previous sentence / of the next",
      (e) => e.altKey && vertical(e)),
    binding("[Ctrl]+[↑]/[↓]", "caret to the start of this or the previous paragraph / of the next",
      (e) => e.ctrlKey && vertical(e)),
    // A line of the help only: the bindings above read Shift themselves.
    { show: "[Shift]+ a caret key", does: "select from the caret (a new mention; after s or c, the words to mark)",
      matches: () => false, rank: RANK.SELECTION },
    { show: "[⏎] after [s] / [c]", does: "mark the selected words as the speaker's name / the cue",
      keys: ["Enter"], rank: RANK.SELECTION, preventDefault: true,
      when: (event) => !(event.target instanceof HTMLButtonElement) && page.marking() && caret.hasSelection(),
      run: () => page.takeSelection() },
  ];
}
