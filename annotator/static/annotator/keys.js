// The annotate page's keys in one table: which key does what, when it applies, and the line the `?` help
// shows for it, so the help lists exactly the keys there are.
//
// A key press goes to the first binding, by rank, that takes it. Ranks matter because a project may give
// a stance label any single character, even one the page uses: the page's own keys (?, a, x) win over
// the stance keys, which win over the letters that edit or move between mentions (s, c, l, d, i, m, j, k).

import { el } from "./page.js";

const ANYWHERE = 0; // even while typing in a field
const SELECTION = 1; // the caret's and the span edges' arrows (caret.js, span_edit.js)
const PAGE = 2;
const STANCE = 3;
const MENTION = 4;
export const RANK = { ANYWHERE, SELECTION, PAGE, STANCE, MENTION }; // for bindings other modules add

const QUOTE_KEYS = { d: "direct", i: "indirect", m: "mixed" };

/**
 * The bindings of the annotate page, acting on `page`: { stanceLabels, current(), hasDraft(), hasOpenMention(),
 * openSuggestion(), submit(), showHelp(), cancel(), commitDraft(), deleteOpen(),
 * decide(suggestion, kind), setStance(value), setField(name, value), startMarking(field), focusSpeaker(),
 * focusClaim(), step(by), undo(), redo() }.
 *
 * A binding: `show` (the keys as the help prints them: "[x]" is a key) and `does`; `keys` (plain key values,
 * without Ctrl, Alt or Meta) or `matches(event)`; `rank`; `when()`, a condition; `preventDefault`; `run(event)`.
 */
export function annotateKeys(page) {
  const stanceKeys = page.stanceLabels.filter((label) => label.shortcut);
  const editing = () => Boolean(page.current()); // an open mention or a draft
  return [
    { show: "[⏎]", does: "add the selection as a mention",
      keys: ["Enter"], rank: PAGE, when: (event) => !(event.target instanceof HTMLButtonElement),
      run: (event) => { if (page.hasDraft()) { event.preventDefault(); page.commitDraft(); } } },
    { show: "[s] / [c]", does: "next selection marks the speaker's name / the cue",
      keys: ["s", "c"], rank: MENTION, when: editing,
      run: (event) => page.startMarking(event.key === "s" ? "source" : "cue") },
    { show: "[/]", does: "search speakers (what you type replaces the name; a new name can be created)",
      keys: ["/"], rank: MENTION, when: editing, preventDefault: true, run: () => page.focusSpeaker() },
    { show: "[l]", does: "link a tracked claim (closest first, type to search all; new ones only by choice)",
      keys: ["l"], rank: MENTION, when: editing, preventDefault: true, run: () => page.focusClaim() },
    { show: "[d] [i] [m]", does: "direct / indirect / mixed quote",
      keys: Object.keys(QUOTE_KEYS), rank: MENTION, when: editing,
      run: (event) => page.setField("quote_type", QUOTE_KEYS[event.key]) },
    { show: stanceKeys.flatMap((label) => [el("kbd", { text: label.shortcut }), ` ${label.name}  `]), does: "stance",
      keys: stanceKeys.map((label) => label.shortcut), rank: STANCE, when: editing, preventDefault: true,
      run: (event) => page.setStance(stanceKeys.find((label) => label.shortcut === event.key).value) },
    { show: "[j] / [k]", does: "next / previous mention",
      keys: ["j", "k"], rank: MENTION, run: (event) => page.step(event.key === "j" ? 1 : -1) },
    { show: "[a] / [x]", does: "accept / reject the open suggestion",
      keys: ["a", "x"], rank: PAGE, when: () => page.openSuggestion() !== null,
      run: (event) => page.decide(page.openSuggestion(), event.key === "a" ? "accept" : "reject") },
    { show: "[Del]", does: "delete the open mention",
      keys: ["Delete", "Backspace"], rank: PAGE, when: () => page.hasOpenMention(), preventDefault: true,
      run: () => page.deleteOpen() },
    { show: "[Esc]", does: "close the panel or cancel", keys: ["Escape"], rank: PAGE, run: () => page.cancel() },
    // In a text field Ctrl+Z is the field's own: these answer only outside fields.
    { show: "[Ctrl]+[z]", does: "undo the last change (press again for earlier ones)",
      matches: (event) => ctrlKey(event) && !event.shiftKey && event.key.toLowerCase() === "z", rank: PAGE,
      preventDefault: true, run: () => page.undo() },
    { show: "[Ctrl]+[Shift]+[z] / [Ctrl]+[y]", does: "redo the change undone last",
      matches: (event) => ctrlKey(event) && ((event.shiftKey && event.key.toLowerCase() === "z") || event.key === "y"),
      rank: PAGE, preventDefault: true, run: () => page.redo() },
    { show: "[Ctrl]+[⏎]", does: "submit (asks first if anything is incomplete) and open the next article",
      matches: (event) => event.key === "Enter" && (event.ctrlKey || event.metaKey), rank: ANYWHERE,
      preventDefault: true, run: () => page.submit() },
    { show: "[?]", does: "this help", keys: ["?"], rank: PAGE, preventDefault: true, run: () => page.showHelp() },
  ];
}

function ctrlKey(event) {
  return (event.ctrlKey || event.metaKey) && !event.altKey;
}

function takes(binding, event) {
  if (binding.matches) return binding.matches(event);
  return !event.ctrlKey && !event.metaKey && !event.altKey && binding.keys.includes(event.key);
}

function inField(target) {
  return target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT");
}

/** Answer key presses with `bindings`. Keys typed into a field are the field's own; Escape leaves it. */
export function listenForKeys(bindings) {
  const ordered = [...bindings].sort((a, b) => a.rank - b.rank);
  document.addEventListener("keydown", (event) => {
    if (document.querySelector("dialog[open]")) return;
    const typing = inField(event.target);
    const binding = ordered.find((b) => (!typing || b.rank === ANYWHERE) && takes(b, event) && (!b.when || b.when(event)));
    if (binding) {
      if (binding.preventDefault) event.preventDefault();
      binding.run(event);
    } else if (typing && event.key === "Escape") {
      event.target.blur();
    }
  });
}

/** The help table's rows, one a binding, in the table's order. */
export function helpRows(bindings) {
  return bindings.map((binding) => el("tr", {}, el("td", {}, ...shown(binding.show)), el("td", { text: binding.does })));
}

function shown(keys) {
  if (typeof keys !== "string") return keys;
  // "[Shift]+[←]": split() with a capturing group alternates text and key names.
  return keys.split(/\[(.+?)\]/).map((part, i) => (i % 2 ? el("kbd", { text: part }) : part)).filter((part) => part !== "");
}
