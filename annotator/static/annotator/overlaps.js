// Where mentions meet: spans that overlap or touch must stay apart on the page without relying on colour,
// one mention must be easy to pick out of a stack, and a suggestion over something already marked says so
// before it is accepted.
//
// - Every mention's claim span shows brackets where it begins and ends (hl-open, hl-close), and a stretch
//   two or more mentions cover is hatched (hl-overlap): shapes, not hues.
// - Hovering a highlight, or hovering or focusing a mention in the list, lights that mention alone
//   (hl-lit; the other highlights fade to their outline while it lasts).
// - A suggestion's card names what it meets: the same words by the same speaker ("duplicate": the server
//   refuses to accept it) or words of a mention ("overlap").

import { el } from "./page.js";

const isContent = (mark) => mark.cls === "hl-content" && mark.m;

/** Add to `classes` the edges and overlaps of the mentions over one stretch (see highlights.js `edges`). */
export function markEdges(classes, marks, edges) {
  if (!edges) return;
  if (edges.starts.some((mark) => isContent(mark) && !mark.clippedStart)) classes.add("hl-open");
  if (edges.ends.some((mark) => isContent(mark) && !mark.clippedEnd)) classes.add("hl-close");
  if (marks.filter(isContent).length > 1) classes.add("hl-overlap");
}

function sameSpeaker(speaker, suggestion) {
  if (suggestion.speaker) return Boolean(speaker) && speaker.id === suggestion.speaker.id;
  if (suggestion.speaker_name) {
    return Boolean(speaker) && speaker.name.trim().toLowerCase() === suggestion.speaker_name.trim().toLowerCase();
  }
  return !speaker;
}

/** How `suggestion` meets `mentions`: "duplicate" (same span, same speaker), "overlap", or null. */
export function suggestionMeets(suggestion, mentions) {
  let meets = null;
  for (const m of mentions) {
    if (m.start >= suggestion.end || suggestion.start >= m.end) continue;
    if (m.start === suggestion.start && m.end === suggestion.end && sameSpeaker(m.speaker, suggestion)) return "duplicate";
    meets = "overlap";
  }
  return meets;
}

/** The chip a suggestion's card shows for what it meets. */
export function meetingChip(meets) {
  const duplicate = meets === "duplicate";
  return el("span", {
    className: `chip meets ${meets}`,
    text: duplicate ? "already marked" : "overlaps a mention",
    attrs: { title: duplicate
      ? "A mention of these words by this speaker is in your work already: accepting would repeat it."
      : "Some of these words are in a mention of yours already." },
  });
}

/** Light one mention at a time: the one under the pointer in the text, or hovered or focused in `listEl`. */
export function lightMentions(bodyEl, listEl) {
  let lit = null;
  const paint = () => {
    for (const span of bodyEl.querySelectorAll(".hl-lit")) span.classList.remove("hl-lit");
    bodyEl.classList.toggle("lighting", lit !== null);
    if (lit !== null) for (const span of bodyEl.querySelectorAll(`[data-keys~="${lit}"]`)) span.classList.add("hl-lit");
  };
  const light = (key) => {
    if (key === lit) return;
    lit = key;
    paint();
  };
  // A stretch lists its mentions in the order they began: the last began innermost.
  const underPointer = (target) => {
    const span = target.closest && target.closest("[data-keys]");
    return span ? span.dataset.keys.split(" ").at(-1) : null;
  };
  const inList = (target) => {
    const item = target.closest && target.closest("li[data-key]");
    return item ? item.dataset.key : null;
  };
  bodyEl.addEventListener("mouseover", (event) => light(underPointer(event.target)));
  bodyEl.addEventListener("mouseleave", () => light(null));
  listEl.addEventListener("mouseover", (event) => light(inList(event.target)));
  listEl.addEventListener("mouseleave", () => light(null));
  listEl.addEventListener("focusin", (event) => light(inList(event.target)));
  listEl.addEventListener("focusout", () => light(null));
  // The text is drawn again after every change: light the same mention in the new drawing.
  new MutationObserver(() => { if (lit !== null) paint(); }).observe(bodyEl, { childList: true });
}
