// An article's text with highlighted stretches. Marks come in code points (the server's offsets) and
// are converted once through the TextIndex, since the DOM counts UTF-16 units. Where marks overlap, the
// text is cut at every mark's edge and each piece gets one <span> standing for all the marks over it.

/**
 * The text of `index` as a fragment: plain text where no mark lies, a <span> where marks do.
 * `marks` are objects with { start, end } in code points; `decorate(span, over, edges)` styles each span from
 * the marks over it, in the order they began (marks that began at the same point: in `marks` order);
 * `edges` says which of them begin where the span begins ({ starts }) and end where it ends ({ ends }).
 */
export function highlightedText(index, marks, decorate) {
  const text = index.text;
  const cut = marks.map((mark) => ({ mark, s: index.toU16(mark.start), e: index.toU16(mark.end) }));
  const points = new Set([0, text.length]);
  for (const c of cut) { points.add(c.s); points.add(c.e); }
  const cuts = [...points].sort((a, b) => a - b);
  const starting = new Map();
  for (const c of cut) {
    if (!starting.has(c.s)) starting.set(c.s, []);
    starting.get(c.s).push(c);
  }
  // A sweep, not a search of every mark for every piece: 500 mentions on a long article stay fast.
  const fragment = document.createDocumentFragment();
  let active = [];
  for (let i = 0; i < cuts.length - 1; i++) {
    const [from, to] = [cuts[i], cuts[i + 1]];
    const begun = starting.get(from) || [];
    active = active.concat(begun).filter((c) => c.e > from);
    const piece = text.slice(from, to);
    if (!active.length) {
      fragment.append(piece);
      continue;
    }
    const span = document.createElement("span");
    span.textContent = piece;
    const edges = { starts: begun.filter((c) => c.e > from).map((c) => c.mark), ends: active.filter((c) => c.e === to).map((c) => c.mark) };
    decorate(span, active.map((c) => c.mark), edges);
    fragment.append(span);
  }
  return fragment;
}
