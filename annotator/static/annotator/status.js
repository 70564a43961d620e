// The status line at the foot of a page: one message at a time. A warning stays until something
// replaces it; good news fades. A message may carry one button (Retry now, Undo), and then stays
// long enough to reach it.

const WITH_ACTION_MS = 6000;

export class StatusLine {
  #element;
  #fadeMs;
  #timer = null;

  constructor(element, { fadeMs = 1800 } = {}) {
    this.#element = element;
    this.#fadeMs = fadeMs;
  }

  /** Show `message`; tone "ok" fades, "warn" stays; `action` ({ label, run }) adds a button. */
  show(message, tone = "ok", action = null) {
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
      this.#timer = setTimeout(() => element.classList.remove("visible"), action ? WITH_ACTION_MS : this.#fadeMs);
    }
  }
}
