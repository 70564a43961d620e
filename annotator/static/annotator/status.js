// The status line at the foot of a page: one message at a time. A warning stays until something
// replaces it; good news fades. A message may carry one button (Retry now, Undo), and then stays
// long enough to reach it. An offer (offer(): "Mention deleted. Undo") stays until it is withdrawn (the
// next change) or its time is up: good news meanwhile ("All changes saved.") does not push it away.

const WITH_ACTION_MS = 6000;
const OFFER_MS = 10000;

export class StatusLine {
  #element;
  #fadeMs;
  #timer = null;
  #offering = false;

  constructor(element, { fadeMs = 1800 } = {}) {
    this.#element = element;
    this.#fadeMs = fadeMs;
  }

  /** Show `message`; tone "ok" fades, "warn" stays; `action` ({ label, run }) adds a button. */
  show(message, tone = "ok", action = null) {
    if (this.#offering && tone === "ok" && !action) return;
    this.#offering = false;
    this.#put(message, tone, action, action ? WITH_ACTION_MS : this.#fadeMs);
  }

  /** Offer `action` beside `message` until withdraw() or `ms`; its button ends the offer too. */
  offer(message, action, ms = OFFER_MS) {
    const run = () => { this.withdraw(); action.run(); };
    this.#put(message, "ok", { label: action.label, run }, ms);
    this.#offering = true;
  }

  /** End an offer, if one is up. */
  withdraw() {
    if (!this.#offering) return;
    this.#offering = false;
    clearTimeout(this.#timer);
    this.#element.classList.remove("visible");
  }

  #put(message, tone, action, fadeMs) {
    const element = this.#element;
    element.replaceChildren(document.createTextNode(message));
    if (action) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = action.label;
      button.addEventListener("click", action.run);
      element.append(button);
    }
    element.className = `statusbar visible ${tone === "warn" ? "warn" : ""}`;
    clearTimeout(this.#timer);
    if (tone === "ok") {
      this.#timer = setTimeout(() => {
        this.#offering = false;
        element.classList.remove("visible");
      }, fadeMs);
    }
  }
}
