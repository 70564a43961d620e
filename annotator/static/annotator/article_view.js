// The article's text drawn in blocks, each redrawn only when the marks over it change.
//
// A long article (100,000 characters, hundreds of mentions and suggestions) cannot be rebuilt whole on every
// key press: building and laying out its text took hundreds of milliseconds. The body is cut once, at
// paragraph breaks, into blocks of about BLOCK_UNITS; a render compares each block's marks with what it
// shows and rebuilds only the blocks that differ (opening a mention redraws the one or two blocks holding
// its old and new mark), and the browser lays out again only what changed.
// The blocks hold exactly the article's text, so DOM offsets (offsets.js) still count from the body's start.

import { highlightedText } from "./highlights.js";

const BLOCK_UNITS = 2000; // UTF-16 units: a block is a few paragraphs

export class ArticleView {
  #blocks = [];
  #decorate;

  /**
   * Draw `index` (a TextIndex) into `element`; `decorate(span, marks)` styles a highlighted stretch, as for
   * highlightedText.
   */
  constructor(element, index, decorate) {
    this.#decorate = decorate;
    const text = index.text;
    let from = 0;
    while (from < text.length) {
      let to = text.indexOf("\n", Math.min(text.length, from + BLOCK_UNITS));
      to = to < 0 ? text.length : to;
      while (to < text.length && text[to] === "\n") to++; // a block ends after its paragraph break
      const node = document.createElement("div");
      node.className = "body-block";
      const start = index.toCp(from);
      const end = index.toCp(to);
      const offset = from;
      const local = { text: text.slice(from, to), toU16: (cp) => index.toU16(cp) - offset };
      this.#blocks.push({ node, start, end, local, shown: null });
      from = to;
    }
    element.replaceChildren(...this.#blocks.map((block) => block.node));
  }

  /**
   * Show `marks` ({ start, end } in code points, in the order decorate expects them). A mark's `sig` (a string)
   * must say everything `decorate` reads of it besides its offsets: a block is redrawn when a sig changes.
   */
  render(marks) {
    const blocks = this.#blocks;
    const over = blocks.map(() => []);
    for (const mark of marks) {
      for (let i = this.#blockAt(mark.start); i < blocks.length && blocks[i].start < mark.end; i++) over[i].push(mark);
    }
    blocks.forEach((block, i) => {
      const shown = over[i].map((mark) => `${mark.start}-${mark.end}:${mark.sig}`).join("|");
      if (shown === block.shown) return;
      block.shown = shown;
      // A mark cut by a block's edge says so: its bracket belongs where the mark itself begins and ends.
      const clipped = over[i].map((mark) => ({ ...mark, start: Math.max(mark.start, block.start), end: Math.min(mark.end, block.end),
        clippedStart: mark.start < block.start, clippedEnd: mark.end > block.end }));
      block.node.replaceChildren(highlightedText(block.local, clipped, this.#decorate));
    });
  }

  /** The index of the block holding code point `cp` (binary search over the blocks' starts). */
  #blockAt(cp) {
    let low = 0;
    let high = this.#blocks.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.#blocks[middle].start <= cp) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}
