// Changes reach the server through one serial queue, so they arrive in the order they were made, and
// none is lost: a change the network or the server failed (retryable) is tried again with back-off and
// stays marked unsaved meanwhile; a change the server refused (4xx) is dropped, with the later changes
// to the same thing, and the page is told so it can show the server's state.
//
// An op is { kind, key?, fields?, ... }: `key` names the local thing it changes (a mention), `fields` a
// patch's changes. The page says how to perform each kind and what to do when one is refused.

import { ApiError } from "./api.js";

const LONGEST_WAIT_MS = 15000;

export class SaveQueue {
  #ops = [];
  #running = false;
  #failures = 0; // retryable failures in a row: the back-off grows with them
  #retryTimer = null;
  #wake = null; // ends the back-off early (a new change or "Retry now")

  /**
   * perform(op): send one change; throws ApiError when it does not go through.
   * refused(op, error): the server said no (4xx); the op is already off the queue.
   * changed(): the set of waiting changes changed (to show what is unsaved).
   * status: the page's StatusLine.
   */
  constructor({ perform, refused, changed, status }) {
    Object.assign(this, { perform, refused, changed, status });
  }

  /** How many changes wait for the server (the one on the wire included). */
  get size() { return this.#ops.length; }

  /** The waiting changes, oldest first (a copy). */
  waiting() { return [...this.#ops]; }

  /** Keys of the things with a change not yet saved. */
  unsavedKeys() {
    return new Set(this.#ops.filter((op) => op.key !== undefined).map((op) => op.key));
  }

  add(op) {
    if (op.kind === "patch") {
      // Folded into the same thing's latest waiting change when that is a patch (never the one on the wire):
      // one request, same end state. Not past a delete or a create of it: undo may delete and remake a thing.
      const at = this.#ops.findLastIndex((q) => q.key === op.key);
      const waiting = at > 0 && this.#ops[at].kind === "patch" ? this.#ops[at] : null;
      if (waiting) {
        Object.assign(waiting.fields, op.fields);
        this.#kick();
        return;
      }
    }
    this.#ops.push(op);
    this.changed();
    this.#kick();
  }

  retryNow() {
    this.#failures = 0;
    this.#kick();
  }

  /** Wait until everything is saved, or `timeoutMs` passed; true when nothing waits. */
  async flush(timeoutMs = 8000) {
    const until = Date.now() + timeoutMs;
    this.#kick();
    while (this.#ops.length && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    return this.#ops.length === 0;
  }

  /** The browser asks before a page with unsaved changes is left. */
  warnBeforeLeaving() {
    window.addEventListener("beforeunload", (event) => {
      if (this.#ops.length) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }

  #kick() {
    if (this.#wake) this.#wake();
    if (!this.#running) this.#run();
  }

  #sleep(ms) {
    return new Promise((resolve) => {
      this.#wake = () => { clearTimeout(this.#retryTimer); this.#wake = null; resolve(); };
      this.#retryTimer = setTimeout(() => { this.#wake = null; resolve(); }, ms);
    });
  }

  async #run() {
    this.#running = true;
    let refused = false; // a refusal's message must stay up, not give way to "All changes saved."
    const ops = this.#ops;
    while (ops.length) {
      const op = ops[0];
      try {
        await this.perform(op);
        ops.shift();
        this.#failures = 0;
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        if (error.retryable) {
          this.#failures += 1;
          const wait = Math.min(LONGEST_WAIT_MS, 1000 * 2 ** Math.min(this.#failures - 1, 4));
          this.status.show(`Not saved yet: ${error.message} Retrying in ${Math.round(wait / 1000)} s…`, "warn",
            { label: "Retry now", run: () => this.retryNow() });
          this.changed();
          await this.#sleep(wait);
          continue;
        }
        ops.shift();
        refused = true;
        // Later changes to the same thing were based on the refused one: drop them too.
        for (let i = ops.length - 1; i >= 0; i--) if (op.key !== undefined && ops[i].key === op.key) ops.splice(i, 1);
        await this.refused(op, error);
      }
      this.changed();
    }
    this.#running = false;
    if (!this.#failures && !refused) this.status.show("All changes saved.", "ok");
    this.changed();
  }
}
