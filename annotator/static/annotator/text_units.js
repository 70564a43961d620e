// Where the article's characters, words, sentences and paragraphs begin and end, in UTF-16 offsets (the
// DOM's count). A "character" is a grapheme cluster (Intl.Segmenter): an emoji, a ZWJ family, a flag or a
// letter with its combining accents moves as one, so no caret or span edge ever lands inside one. The
// word and sentence boundaries are computed once per article, on first use, and searched by bisection:
// a 100,000-character article answers each key press without walking the text again.

const segmenterOf = (granularity) =>
  typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity }) : null;

// Without Intl.Segmenter (old browsers): code points, and runs of letters and digits as words.
const WORD = /[\p{L}\p{N}\p{M}_'’-]+/gu;

export class TextUnits {
  #graphemes;
  #words = null; // { starts, ends } of the word-like segments, ascending
  #sentences = null; // starts of the sentences, ascending

  constructor(text) {
    this.text = text;
    const graphemes = segmenterOf("grapheme");
    this.#graphemes = graphemes ? graphemes.segment(text) : null;
  }

  /** Is `at` a boundary between two characters (never inside a surrogate pair or a cluster)? */
  isBoundary(at) {
    if (at <= 0 || at >= this.text.length) return at === 0 || at === this.text.length;
    if (!this.#graphemes) return !isLowSurrogate(this.text.charCodeAt(at));
    return this.#graphemes.containing(at).index === at;
  }

  /** The character boundary nearest to `at` (a drag may point between the halves of a flag). */
  nearestBoundary(at) {
    at = Math.max(0, Math.min(this.text.length, at));
    if (this.isBoundary(at)) return at;
    const before = this.prevChar(at);
    const after = this.nextChar(at);
    return at - before <= after - at ? before : after;
  }

  /** The boundary after the character that starts at or contains `at`. */
  nextChar(at) {
    if (at >= this.text.length) return this.text.length;
    if (!this.#graphemes) return at + (isHighSurrogate(this.text.charCodeAt(at)) && at + 1 < this.text.length ? 2 : 1);
    const segment = this.#graphemes.containing(at);
    return segment.index + segment.segment.length;
  }

  /** The boundary before `at`: the start of the character that ends at or contains `at`. */
  prevChar(at) {
    if (at <= 0) return 0;
    if (!this.#graphemes) return at - (isLowSurrogate(this.text.charCodeAt(at - 1)) && at > 1 ? 2 : 1);
    return this.#graphemes.containing(at - 1).index;
  }

  /** The end of the first word that ends after `at` (the text's end when none does). */
  nextWordEnd(at) {
    const { ends } = this.#wordTable();
    const i = firstAbove(ends, at);
    return i < ends.length ? ends[i] : this.text.length;
  }

  /** The start of the last word that starts before `at` (0 when none does). */
  prevWordStart(at) {
    const { starts } = this.#wordTable();
    const i = firstAbove(starts, at - 1) - 1; // the last start < at
    return i >= 0 ? starts[i] : 0;
  }

  /** The start of the first word that starts after `at` (null when none does). */
  nextWordStart(at) {
    const { starts } = this.#wordTable();
    const i = firstAbove(starts, at);
    return i < starts.length ? starts[i] : null;
  }

  /** The end of the last word that ends before `at` (null when none does). */
  prevWordEnd(at) {
    const { ends } = this.#wordTable();
    const i = firstAbove(ends, at - 1) - 1;
    return i >= 0 ? ends[i] : null;
  }

  /** The start of the next sentence after `at` (the text's end after the last one). */
  nextSentence(at) {
    const starts = this.#sentenceTable();
    const i = firstAbove(starts, at);
    return i < starts.length ? starts[i] : this.text.length;
  }

  /** The start of the sentence `at` is in, or of the one before when `at` is already at a start. */
  prevSentence(at) {
    const starts = this.#sentenceTable();
    const i = firstAbove(starts, at - 1) - 1;
    return i >= 0 ? starts[i] : 0;
  }

  /** The start of the next paragraph (after the next run of line breaks), or the text's end. */
  nextParagraph(at) {
    const lineBreak = this.text.indexOf("\n", at);
    if (lineBreak < 0) return this.text.length;
    let next = lineBreak;
    while (next < this.text.length && this.text[next] === "\n") next++;
    return next;
  }

  /** The start of the paragraph `at` is in, or of the one before when `at` is already at its start. */
  prevParagraph(at) {
    let i = at;
    while (i > 0 && this.text[i - 1] === "\n") i--; // step back over the breaks before `at`
    const lineBreak = this.text.lastIndexOf("\n", i - 1);
    return lineBreak < 0 ? 0 : lineBreak + 1;
  }

  #wordTable() {
    if (this.#words) return this.#words;
    const starts = [];
    const ends = [];
    const words = segmenterOf("word");
    if (words) {
      for (const { index, segment, isWordLike } of words.segment(this.text)) {
        if (!isWordLike) continue;
        starts.push(index);
        ends.push(index + segment.length);
      }
    } else {
      for (const match of this.text.matchAll(WORD)) {
        starts.push(match.index);
        ends.push(match.index + match[0].length);
      }
    }
    this.#words = { starts, ends };
    return this.#words;
  }

  #sentenceTable() {
    if (this.#sentences) return this.#sentences;
    const sentences = segmenterOf("sentence");
    this.#sentences = sentences
      ? [...sentences.segment(this.text)].map((s) => s.index)
      : [0, ...[...this.text.matchAll(/[.!?]+["”’»)]*\s+/gu)].map((m) => m.index + m[0].length)];
    return this.#sentences;
  }
}

/** The index of the first element of the ascending `list` that is greater than `value`. */
function firstAbove(list, value) {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (list[mid] > value) high = mid;
    else low = mid + 1;
  }
  return low;
}

function isHighSurrogate(code) { return code >= 0xd800 && code <= 0xdbff; }
function isLowSurrogate(code) { return code >= 0xdc00 && code <= 0xdfff; }
