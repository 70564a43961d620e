// The suggestions panel: the pre-annotator's drafts grouped by speaker or by quote type, each group folding
// away, with actions over many drafts at once ("accept all of ⟨speaker⟩", "accept all direct quotes",
// "reject the rest"), each sent as one request by the page (decideMany). A long article has hundreds of
// drafts: groups are drawn in place (keyed_list.js), and a folded group draws no cards at all.
//
// Keys inside the panel, as in a tree: ↑/↓ move between group headings and cards, → unfolds a group (or
// enters it), ← folds it (or goes back to its heading). The page's keys (n/p: next/previous draft, g: fold
// the open draft's group) are in suggestionKeys below, listed by the `?` help.

import { markCard, showCards } from "./keyed_list.js";
import { meetingChip } from "./overlaps.js";
import { el } from "./page.js";

const QUOTE_TYPES = ["direct", "indirect", "mixed"];

function speakerOf(s) {
  return s.speaker ? s.speaker.name : s.speaker_name || "";
}

const GROUPINGS = {
  speaker: {
    key: (s) => (s.speaker ? `s${s.speaker.id}` : s.speaker_name ? `new:${s.speaker_name}` : "none"),
    label: (s) => speakerOf(s) || "Outlet (no speaker)",
    fresh: (s) => !s.speaker && Boolean(s.speaker_name),
    order: null, // by the first draft of each group in the text
    accept: (label, n) => `Accept all ${n} of ${label}`,
  },
  quote_type: {
    key: (s) => s.quote_type,
    label: (s) => `${s.quote_type[0].toUpperCase()}${s.quote_type.slice(1)} quotes`,
    fresh: () => false,
    order: (key) => QUOTE_TYPES.indexOf(key),
    accept: (label, n) => `Accept all ${n} ${label.toLowerCase()}`,
  },
};

export class SuggestionPanel {
  #groups = new Map(); // grouping:key → { section, toggle, count, accept, list }
  #folded = new Set(); // grouping:key of folded groups
  #grouping = "speaker";
  #order = []; // ids in the order shown, folded groups included
  #groupOf = new Map(); // id → grouping:key
  #last = { suggestions: [], openId: null, waiting: new Set() };

  /**
   * `list` holds the groups; `tools` the grouping choice and the panel-wide actions. The page supplies
   * open(id) (focus a draft), decide(suggestion, "accept" | "reject"), decideMany(ids, "accepted" |
   * "rejected", what) (one request) and meets(suggestion): how it meets the mentions on the page
   * ("duplicate", "overlap" or null; overlaps.js), shown on its card.
   */
  constructor({ list, tools, canEdit, open, decide, decideMany, meets = () => null }) {
    Object.assign(this, { list, canEdit, open, decide, decideMany, meets });
    const choice = tools.querySelector("select");
    choice.addEventListener("change", () => {
      this.#grouping = choice.value;
      this.#rerender();
    });
    this.acceptDirect = tools.querySelector("[data-action=accept-direct]");
    this.rejectRest = tools.querySelector("[data-action=reject-rest]");
    this.acceptDirect.addEventListener("click", () => {
      const ids = this.#pending().filter((s) => s.quote_type === "direct").map((s) => s.id);
      if (ids.length) this.decideMany(ids, "accepted", `${ids.length} direct quotes`);
    });
    this.rejectRest.addEventListener("click", () => {
      const ids = this.#pending().map((s) => s.id);
      if (ids.length) this.decideMany(ids, "rejected", `the ${ids.length} drafts left`);
    });
    list.addEventListener("keydown", (event) => this.#key(event));
  }

  /** Draw `suggestions` (an iterable, any order); `openId` is the draft in focus, `waiting` the ids with a decision on its way. */
  render(suggestions, { openId, waiting }) {
    suggestions = [...suggestions];
    this.#last = { suggestions, openId, waiting };
    const grouping = GROUPINGS[this.#grouping];
    const sorted = suggestions.sort((a, b) => a.start - b.start || a.end - b.end);
    const groups = new Map();
    for (const s of sorted) {
      const key = `${this.#grouping}:${grouping.key(s)}`;
      if (!groups.has(key)) groups.set(key, { key, label: grouping.label(s), fresh: grouping.fresh(s), items: [] });
      groups.get(key).items.push(s);
    }
    const ordered = [...groups.values()];
    if (grouping.order) ordered.sort((a, b) => grouping.order(a.key.split(":")[1]) - grouping.order(b.key.split(":")[1]));
    this.#order = ordered.flatMap((group) => group.items.map((s) => s.id));
    this.#groupOf = new Map(ordered.flatMap((group) => group.items.map((s) => [s.id, group.key])));

    showCards(this.list, ordered.map((group) => ({ key: group.key, sig: group.key, build: () => this.#section(group).section })));
    for (const group of ordered) {
      const view = this.#section(group);
      const folded = this.#folded.has(group.key);
      const free = group.items.filter((s) => !waiting.has(s.id));
      view.toggle.setAttribute("aria-expanded", String(!folded));
      view.count.textContent = `(${group.items.length})`;
      view.accept.textContent = grouping.accept(group.label, free.length);
      view.accept.disabled = !this.canEdit || free.length === 0;
      view.accept.onclick = () => this.decideMany(free.map((s) => s.id), "accepted", `${free.length} of ${group.label}`);
      view.list.hidden = folded;
      showCards(view.list, folded ? [] : group.items.map((s) => {
        const saving = waiting.has(s.id);
        const meets = this.meets(s);
        return { key: s.id, sig: `${saving}|${meets}`, build: () => this.#card(s, { saving, meets }) };
      }));
    }
    markCard(this.list, "active", "data-suggestion", openId);
    const pending = this.#pending();
    const direct = pending.filter((s) => s.quote_type === "direct").length;
    this.acceptDirect.textContent = `Accept all direct quotes (${direct})`;
    this.acceptDirect.disabled = !this.canEdit || direct === 0;
    this.rejectRest.textContent = `Reject the rest (${pending.length})`;
    this.rejectRest.disabled = !this.canEdit || pending.length === 0;
  }

  /** The draft `by` places after (or before) `id` in the panel's order; the first (or last) when none is open. */
  step(id, by) {
    const order = this.#order;
    if (!order.length) return null;
    const at = order.indexOf(id);
    if (at < 0) return by > 0 ? order[0] : order[order.length - 1];
    return order[(at + by + order.length) % order.length];
  }

  /** Show draft `id`: unfold its group, bring its card into view and give it the focus. */
  reveal(id) {
    const key = this.#groupOf.get(id);
    if (key && this.#folded.delete(key)) this.#rerender();
    const card = this.list.querySelector(`li[data-suggestion="${id}"] > button`);
    if (card) card.focus();
  }

  /** Fold or unfold the group of draft `id`; returns false when there is none. */
  toggleGroupOf(id) {
    const key = this.#groupOf.get(id);
    if (!key) return false;
    this.#fold(key, !this.#folded.has(key));
    this.#groups.get(key).toggle.focus();
    return true;
  }

  #pending() {
    return this.#last.suggestions.filter((s) => !this.#last.waiting.has(s.id)); // in text order (render sorted them)
  }

  #rerender() {
    const { suggestions, openId, waiting } = this.#last;
    this.render(suggestions, { openId, waiting });
  }

  #fold(key, folded) {
    if (folded) this.#folded.add(key);
    else this.#folded.delete(key);
    this.#rerender();
  }

  #section(group) {
    let view = this.#groups.get(group.key);
    if (view) return view;
    const id = `suggestion-group-${this.#groups.size + 1}`;
    const count = el("span", { className: "muted" });
    const name = el("span", { className: "group-name", text: group.label });
    const toggle = el("button", { className: "group-toggle", attrs: { type: "button", "aria-controls": id } }, name, " ", count);
    if (group.fresh) toggle.append(" ", el("span", { className: "chip new", text: "new speaker" }));
    toggle.addEventListener("click", () => this.#fold(group.key, !this.#folded.has(group.key)));
    const accept = el("button", { className: "group-accept", attrs: { type: "button" } });
    const list = el("ol", { className: "mention-list", attrs: { id, "aria-label": `Suggestions: ${group.label}` } });
    const section = el("section", { className: "suggestion-group", attrs: { "data-group": group.key } },
      el("div", { className: "group-head" }, toggle, accept), list);
    view = { section, toggle, count, accept, list };
    this.#groups.set(group.key, view);
    return view;
  }

  #card(s, { saving, meets }) {
    const who = el("span", { className: "who", text: speakerOf(s) || "Outlet (no speaker)" });
    if (!s.speaker && s.speaker_name) who.append(" ", el("span", { className: "chip new", text: "new speaker" }));
    const tags = [s.quote_type, s.cue ? `cue “${s.cue.text}”` : null, `${Math.round(s.confidence * 100)}% sure`];
    const open = el("button", { className: "card", attrs: { type: "button" } },
      who, el("span", { className: "what", text: `“${s.text}”` }), el("span", { className: "tags", text: tags.filter(Boolean).join(" · ") }));
    open.addEventListener("click", () => this.open(s.id));
    const accept = el("button", { className: "primary", text: saving ? "Saving…" : "Accept",
      attrs: { type: "button", "aria-label": `Accept suggestion: ${s.text}` } });
    const reject = el("button", { text: "Reject", attrs: { type: "button", "aria-label": `Reject suggestion: ${s.text}` } });
    accept.disabled = reject.disabled = saving || !this.canEdit;
    accept.addEventListener("click", () => this.decide(s, "accept"));
    reject.addEventListener("click", () => this.decide(s, "reject"));
    const li = el("li", { attrs: { "data-suggestion": s.id } }, open, el("div", { className: "suggestion-actions" }, accept, reject));
    if (meets) {
      li.classList.add(`meets-${meets}`);
      open.append(meetingChip(meets));
    }
    return li;
  }

  /** The panel as a tree: headings and cards in a row, → and ← unfold and fold. */
  #key(event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.shiftKey) return;
    const target = event.target;
    const heading = target.closest(".group-toggle");
    const card = target.closest("li > button.card");
    if (!heading && !card) return;
    const section = target.closest(".suggestion-group");
    const key = section.dataset.group;
    const stops = [...this.list.querySelectorAll(".group-toggle, li > button.card")];
    const at = stops.indexOf(heading || card);
    let next = null;
    if (event.key === "ArrowDown") next = stops[at + 1];
    else if (event.key === "ArrowUp") next = stops[at - 1];
    else if (event.key === "Home") next = stops[0];
    else if (event.key === "End") next = stops[stops.length - 1];
    else if (event.key === "ArrowRight" && heading) {
      if (this.#folded.has(key)) this.#fold(key, false);
      else next = section.querySelector("li > button.card");
    } else if (event.key === "ArrowLeft") {
      if (card) next = section.querySelector(".group-toggle");
      else if (!this.#folded.has(key)) this.#fold(key, true);
    } else return;
    event.preventDefault();
    event.stopPropagation(); // the page's own keys (arrows move the caret) stay out of the panel
    if (next) next.focus();
  }
}

/** The page's keys for drafts, in keys.js's form; `page` gives openSuggestionId() and open(id). */
export function suggestionKeys(panel, page, rank) {
  const step = (by) => {
    const id = panel.step(page.openSuggestionId(), by);
    if (id === null) return;
    page.open(id);
    panel.reveal(id);
  };
  return [
    { show: "[n] / [p]", does: "next / previous suggestion (in the panel's order)",
      keys: ["n", "p"], rank, run: (event) => step(event.key === "n" ? 1 : -1) },
    { show: "[g]", does: "fold / unfold the open suggestion's group (in the panel: ← / →, ↑ / ↓ to move)",
      keys: ["g"], rank, when: () => page.openSuggestionId() !== null,
      run: () => panel.toggleGroupOf(page.openSuggestionId()) },
  ];
}
