// Undo and redo for a page whose every change is saved at once. A step knows how to take its change back
// and how to make it again; both go through the page's ordinary change functions and so its save queue: an
// undo is a real request with If-Match like any change, sent after the changes before it, and one the server
// refuses because someone else changed the thing meanwhile is reported by the page, never forced through.
//
// Making a change undoable (a bulk action, say) takes a few lines:
//
//   history.record({ label: "accept all direct quotes", keys: ["m3", "s12"], undo() {…}, redo() {…} });
//
// or, for many changes that are one action to the person, run them inside group(): every step recorded
// while `run` runs becomes one step, undone last-first and redone first-first:
//
//   history.group("accept all direct quotes", () => chosen.forEach((s) => decide(s, "accept")));
//
// `run` must make its changes synchronously (the page's change functions do: they update the page and queue
// the requests). undo() and redo() may call the same change functions: whatever they record meanwhile is
// ignored. `keys` name the things a step touches ("m3": the mention of local key 3, "s12": suggestion 12,
// "c5": the article's stance toward claim 5); forget(key) drops every step touching a thing whose stored
// state turned out not to be what the page thought (a refused change), so no step replays a stale state.

const LIMIT = 500; // steps kept per page visit (the oldest go first)

export class History {
  #done = [];
  #undone = [];
  #collecting = null; // the steps of the group() being run
  #replaying = null; // "undo" | "redo" while a step is being replayed

  /** `recorded(step)` is told of every new step (to withdraw an offer such as "Mention deleted. Undo"). */
  constructor({ recorded = () => {} } = {}) {
    this.recorded = recorded;
  }

  get canUndo() { return this.#done.length > 0; }
  get canRedo() { return this.#undone.length > 0; }

  /** "undo" or "redo" while a step is being replayed, else null (the page marks the requests it sends). */
  get replaying() { return this.#replaying; }

  /** A change just made: { label, keys?, undo(), redo() }. A new change ends what could be redone. */
  record(step) {
    if (this.#replaying) return;
    if (this.#collecting) {
      this.#collecting.push(step);
      return;
    }
    this.#push(step);
  }

  /** Run `run()`; the steps it records become one step named `label`. Returns what `run` returns. */
  group(label, run) {
    if (this.#collecting || this.#replaying) return run(); // inside another group or a replay: part of that
    const steps = [];
    this.#collecting = steps;
    try {
      return run();
    } finally {
      this.#collecting = null;
      if (steps.length) {
        this.#push({
          label,
          keys: steps.flatMap((step) => step.keys || []),
          undo: () => [...steps].reverse().forEach((step) => step.undo()),
          redo: () => steps.forEach((step) => step.redo()),
        });
      }
    }
  }

  /** Take the latest step back; returns it (null when there is none). */
  undo() {
    const step = this.#done.pop();
    if (!step) return null;
    this.#replay("undo", step);
    this.#undone.push(step);
    return step;
  }

  /** Make the latest undone step again; returns it (null when there is none). */
  redo() {
    const step = this.#undone.pop();
    if (!step) return null;
    this.#replay("redo", step);
    this.#done.push(step);
    return step;
  }

  /** Drop every step touching `key`, from both stacks. */
  forget(key) {
    const keep = (step) => !(step.keys || []).includes(key);
    this.#done = this.#done.filter(keep);
    this.#undone = this.#undone.filter(keep);
  }

  #push(step) {
    this.#done.push(step);
    if (this.#done.length > LIMIT) this.#done.shift();
    this.#undone = [];
    this.recorded(step);
  }

  #replay(direction, step) {
    this.#replaying = direction;
    try {
      step[direction]();
    } finally {
      this.#replaying = null;
    }
  }
}
