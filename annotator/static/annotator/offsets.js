// The offsets rule at the browser's edge (docs/offsets.md): the server counts Unicode code points,
// the DOM counts UTF-16 units (an emoji is 2). Everything that crosses the boundary goes through here.

const segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;
const SPACE = /^\s+$/u;

export class TextIndex {
  constructor(text) {
    this.text = text;
    const n = text.length;
    this.u16ToCp = new Uint32Array(n + 1);
    const starts = [];
    let cp = 0;
    for (let i = 0; i < n; i++) {
      this.u16ToCp[i] = cp;
      starts.push(i);
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          this.u16ToCp[i + 1] = cp; // the middle of a pair maps to the pair's start
          i++;
        }
      }
      cp++;
    }
    this.u16ToCp[n] = cp;
    starts.push(n);
    this.cpToU16 = Uint32Array.from(starts);
    this.length = cp;
    this.segments = segmenter ? segmenter.segment(text) : null;
  }

  toCp(u16) { return this.u16ToCp[u16]; }
  toU16(cp) { return this.cpToU16[cp]; }
  slice(cpStart, cpEnd) { return this.text.slice(this.toU16(cpStart), this.toU16(cpEnd)); }

  /** Widen [start, end) (UTF-16) to whole graphemes: never half a surrogate pair, flag, ZWJ family or accent. */
  snap(start, end) {
    if (this.segments) {
      if (start < this.text.length) start = this.segments.containing(start).index;
      if (end > 0) {
        const last = this.segments.containing(end - 1);
        end = last.index + last.segment.length;
      }
      return [start, end];
    }
    if (start > 0 && isLow(this.text.charCodeAt(start))) start--;
    if (end < this.text.length && isLow(this.text.charCodeAt(end))) end++;
    return [start, end];
  }

  /** Drop whitespace at both ends of [start, end) (UTF-16). */
  trim(start, end) {
    while (start < end && SPACE.test(this.text[start])) start++;
    while (end > start && SPACE.test(this.text[end - 1])) end--;
    return [start, end];
  }

  /** A DOM selection's UTF-16 range → a span the server accepts: {start, end, text} in code points, or null. */
  span(u16Start, u16End) {
    let [s, e] = this.snap(Math.min(u16Start, u16End), Math.max(u16Start, u16End));
    [s, e] = this.trim(s, e);
    if (e <= s) return null;
    return { start: this.toCp(s), end: this.toCp(e), text: this.text.slice(s, e) };
  }
}

function isLow(code) { return code >= 0xdc00 && code <= 0xdfff; }

/** UTF-16 offset of the DOM position (node, offset) from the start of root's text. */
export function domOffset(root, node, offset) {
  const range = document.createRange();
  range.setStart(root, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

/** The quote type a selection most likely is: inside quotation marks → direct; containing them → mixed. */
export function guessQuoteType(text, u16Start, u16End) {
  const opens = "“\"«‘„‹";
  const closes = "”\"»’“›";
  const before = text.slice(Math.max(0, u16Start - 2), u16Start);
  const after = text.slice(u16End, u16End + 3);
  const inside = text.slice(u16Start, u16End);
  if ([...before].some((c) => opens.includes(c)) && [...after].some((c) => closes.includes(c))) return "direct";
  if ([...inside].some((c) => "“”«»\"".includes(c))) return "mixed";
  return "indirect";
}
