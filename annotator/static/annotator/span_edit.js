// Moving the edges of the open mention's spans in place: drag handles at both ends of its content, source
// (the words naming the speaker) and cue, and keys that move either end of one of them by a word or a
// character. Every edge lands on a character boundary (text_units.js: never inside an emoji, a flag or a
// letter with its accents); the page saves the new offsets and text together and keeps every other field.

import { caretRect, offsetAtPoint } from "./caret.js";
import { RANK } from "./keys.js";

const ROLES = ["content", "source", "cue"];
const ROLE_NAMES = { content: "the claim text", source: "the speaker's name", cue: "the cue" };

export class SpanHandles {
  #target = "content"; // which span the keys move
  #owner = null; // the mention (or draft) the handles belong to: a new one starts again with its content
  #drag = null;

  /**
   * body: the article's element; index: its TextIndex (code points ↔ UTF-16); units: its TextUnits;
   * current(): the open mention or draft ({start, end, source, cue} in code points) or null;
   * move(fields): change its spans ({start, end, text} or {source} or {cue}); canEdit.
   */
  constructor(body, index, units, { current, move, canEdit }) {
    Object.assign(this, { body, index, units, current, move, canEdit });
    this.layer = document.createElement("div");
    this.layer.className = "span-handles";
    this.layer.setAttribute("aria-hidden", "true"); // a mouse's way; the keys below are the keyboard's
    body.parentElement.append(this.layer);
    this.hint = document.createElement("p");
    this.hint.id = "span-target";
    this.hint.className = "muted small span-target";
    document.getElementById("editor-text").after(this.hint);
    window.addEventListener("resize", () => this.draw());
  }

  /** The spans of the open mention, by role, in UTF-16 offsets. */
  #spans(m) {
    const spans = {};
    for (const role of ROLES) {
      const span = role === "content" ? m : m[role];
      if (span) spans[role] = { start: this.index.toU16(span.start), end: this.index.toU16(span.end) };
    }
    return spans;
  }

  /** Draw the handles of the open mention's spans (after every render of the text or the editor). */
  draw() {
    const m = this.canEdit ? this.current() : null;
    if (m !== this.#owner) {
      this.#owner = m;
      this.#target = "content";
    }
    if (m && !m[this.#target] && this.#target !== "content") this.#target = "content";
    const handles = [];
    if (m) {
      for (const [role, span] of Object.entries(this.#spans(m))) {
        for (const edge of ["start", "end"]) handles.push(this.#handle(role, edge, span[edge]));
      }
    }
    this.layer.replaceChildren(...handles);
    this.#showTarget(m);
  }

  #handle(role, edge, at) {
    const handle = document.createElement("span");
    handle.className = `span-handle ${role} ${edge}${role === this.#target ? " target" : ""}`;
    handle.dataset.role = role;
    handle.dataset.edge = edge;
    handle.title = `Drag to move the ${edge} of ${ROLE_NAMES[role]}`;
    this.#place(handle, at);
    handle.addEventListener("pointerdown", (event) => this.#startDrag(event, role, edge));
    return handle;
  }

  #place(handle, at) {
    const box = this.body.parentElement.getBoundingClientRect();
    const rect = caretRect(this.body, at);
    Object.assign(handle.style, { left: `${rect.left - box.left}px`, top: `${rect.top - box.top}px`, height: `${rect.height}px` });
  }

  #showTarget(m) {
    for (const [role, id] of [["content", "editor-text"], ["source", "source-text"], ["cue", "cue-text"]]) {
      document.getElementById(id).classList.toggle("span-moving", Boolean(m) && role === this.#target);
    }
    this.hint.hidden = !m;
    const others = m ? ROLES.filter((role) => role !== this.#target && (role === "content" || m[role])) : [];
    this.hint.textContent = `Keys move ${ROLE_NAMES[this.#target]}: Alt+Shift+←/→ its end, Alt+←/→ its start`
      + " (with Ctrl: one character)" + (others.length ? `. e: ${others.map((role) => ROLE_NAMES[role]).join(", ")}` : "")
      + ".";
  }

  /** `e`: the keys move the next span of the open mention (claim text → speaker's name → cue). */
  cycleTarget() {
    const m = this.current();
    if (!m) return;
    const roles = ROLES.filter((role) => role === "content" || m[role]);
    this.#target = roles[(roles.indexOf(this.#target) + 1) % roles.length];
    this.draw();
  }

  /** Move one edge of the target span: `edge` "start" | "end", `step` -1 | 1, by "word" or "char". */
  nudge(edge, step, unit) {
    const m = this.current();
    if (!m) return;
    const span = this.#spans(m)[this.#target];
    const units = this.units;
    let at;
    if (unit === "char") at = step > 0 ? units.nextChar(span[edge]) : units.prevChar(span[edge]);
    else if (edge === "end") at = step > 0 ? units.nextWordEnd(span.end) : units.prevWordEnd(span.end);
    else at = step > 0 ? units.nextWordStart(span.start) : units.prevWordStart(span.start);
    if (at === null) return;
    const moved = { ...span, [edge]: at };
    if (moved.end <= moved.start || moved[edge] === span[edge]) return; // a span keeps at least one character
    this.#save(this.#target, moved.start, moved.end);
  }

  #save(role, u16Start, u16End) {
    const start = this.index.toCp(u16Start);
    const end = this.index.toCp(u16End);
    const span = { start, end, text: this.index.slice(start, end) };
    this.move(role === "content" ? span : { [role]: span });
  }

  #startDrag(event, role, edge) {
    if (event.button !== 0) return;
    event.preventDefault(); // no text selection, no focus change: the drag is the handle's
    const m = this.current();
    const span = this.#spans(m)[role];
    this.#drag = { role, edge, span, to: span[edge], handle: event.currentTarget };
    this.layer.classList.add("dragging");
    const moved = (e) => this.#dragTo(e.clientX, e.clientY);
    const ended = () => {
      window.removeEventListener("pointermove", moved);
      window.removeEventListener("pointerup", ended);
      window.removeEventListener("pointercancel", ended);
      this.#endDrag();
    };
    window.addEventListener("pointermove", moved);
    window.addEventListener("pointerup", ended);
    window.addEventListener("pointercancel", ended);
  }

  #dragTo(x, y) {
    const drag = this.#drag;
    const at = offsetAtPoint(this.body, x, y);
    if (at === null) return;
    const units = this.units;
    let to = units.nearestBoundary(at);
    // The span keeps at least one character: an edge stops one character short of the other.
    if (drag.edge === "start") to = Math.min(to, units.prevChar(drag.span.end));
    else to = Math.max(to, units.nextChar(drag.span.start));
    drag.to = to;
    this.#place(drag.handle, to);
    this.#preview(drag.edge === "start" ? to : drag.span.start, drag.edge === "end" ? to : drag.span.end);
  }

  #preview(u16Start, u16End) {
    for (const old of this.layer.querySelectorAll(".span-preview")) old.remove();
    const range = document.createRange();
    const walker = document.createTreeWalker(this.body, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (seen <= u16Start && u16Start <= seen + node.length) range.setStart(node, u16Start - seen);
      if (seen <= u16End && u16End <= seen + node.length) { range.setEnd(node, u16End - seen); break; }
      seen += node.length;
    }
    const box = this.body.parentElement.getBoundingClientRect();
    for (const rect of range.getClientRects()) {
      const shade = document.createElement("span");
      shade.className = "span-preview";
      Object.assign(shade.style, {
        left: `${rect.left - box.left}px`, top: `${rect.top - box.top}px`, width: `${rect.width}px`, height: `${rect.height}px`,
      });
      this.layer.append(shade);
    }
  }

  #endDrag() {
    const { role, edge, span, to } = this.#drag;
    this.#drag = null;
    this.layer.classList.remove("dragging");
    if (to === span[edge]) { this.draw(); return; }
    // A dragged edge does not keep the spaces it was let go in (a selection does not either).
    let [start, end] = edge === "start" ? [to, span.end] : [span.start, to];
    while (start < end && /\s/u.test(this.units.text[start])) start++;
    while (end > start && /\s/u.test(this.units.text[end - 1])) end--;
    if (end <= start) { this.draw(); return; }
    this.#save(role, start, end);
  }
}

/**
 * The keys that move the open mention's span edges, for the page's key table (keys.js). Alt+←/→ are taken even
 * with no mention open: left to the browser they would leave the page (history back and forward).
 */
export function spanKeys(handles, { editing }) {
  const horizontal = (event) => event.key === "ArrowLeft" || event.key === "ArrowRight";
  const step = (event) => (event.key === "ArrowRight" ? 1 : -1);
  const unit = (event) => (event.ctrlKey ? "char" : "word");
  return [
    { show: "[Alt]+[Shift]+[←]/[→], with [Ctrl]", does: "move the end of the open mention's span a word / with Ctrl a character back or on",
      matches: (event) => event.altKey && event.shiftKey && !event.metaKey && horizontal(event),
      rank: RANK.SELECTION, preventDefault: true,
      run: (event) => { if (editing()) handles.nudge("end", step(event), unit(event)); } },
    { show: "[Alt]+[←]/[→], with [Ctrl]", does: "move its start a word / with Ctrl a character back or on",
      matches: (event) => event.altKey && !event.shiftKey && !event.metaKey && horizontal(event),
      rank: RANK.SELECTION, preventDefault: true,
      run: (event) => { if (editing()) handles.nudge("start", step(event), unit(event)); } },
    { show: "[e]", does: "switch the span those keys move: claim text, speaker's name, cue",
      keys: ["e"], rank: RANK.MENTION, when: editing, run: () => handles.cycleTarget() },
  ];
}
