// A type-ahead combo box (the speaker box, the claim pickers): typing searches (after a short pause),
// arrows move through the options, Enter or a click picks one, Escape closes the list and leaves the box.
// Options follow the ARIA combobox pattern: the input keeps focus, aria-activedescendant names the option.

import { ApiError } from "./api.js";

const TYPING_PAUSE_MS = 150;

export class Combo {
  /**
   * search(term) → items (may throw ApiError: `failed(error)` is told); render(li, item) draws one option;
   * choose(item, input) acts on the picked one. An item with `create: true` proposes what is typed.
   */
  constructor(input, list, { search, render, choose, failed }) {
    Object.assign(this, { input, list, search, renderOption: render, choose, failed });
    Object.assign(this, { items: [], active: -1, timer: null, seq: 0 });
    input.addEventListener("input", () => this.schedule());
    input.addEventListener("focus", () => this.schedule(0));
    input.addEventListener("keydown", (event) => this.keydown(event));
    // Closed a moment after the box is left (a click on an option lands first), unless it is back in the box.
    input.addEventListener("blur", () => setTimeout(() => { if (document.activeElement !== input) this.close(); }, 150));
  }

  schedule(delay = TYPING_PAUSE_MS) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), delay);
  }

  async refresh() {
    const seq = ++this.seq;
    let items;
    try {
      items = await this.search(this.input.value.trim());
    } catch (error) {
      if (error instanceof ApiError) { this.failed(error); return; }
      throw error;
    }
    // An older search answering late, or the box left meanwhile: nothing to show.
    if (seq !== this.seq || document.activeElement !== this.input) return;
    this.items = items;
    this.active = this.initialActive(items);
    this.draw();
  }

  /** The option highlighted when the list opens. */
  initialActive(items) {
    return items.length ? 0 : -1;
  }

  draw() {
    this.list.replaceChildren(...this.items.map((item, i) => {
      const li = document.createElement("li");
      li.id = `${this.list.id}-${i}`;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", String(i === this.active));
      if (item.create) li.classList.add("create");
      this.renderOption(li, item);
      li.addEventListener("mousedown", (event) => { event.preventDefault(); this.pick(i); });
      return li;
    }));
    this.list.hidden = !this.items.length;
    this.input.setAttribute("aria-expanded", String(!this.list.hidden));
    if (this.active >= 0) this.input.setAttribute("aria-activedescendant", `${this.list.id}-${this.active}`);
  }

  keydown(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!this.items.length) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      this.active = (this.active + step + this.items.length) % this.items.length;
      this.draw();
    } else if (event.key === "Enter" && !event.ctrlKey) {
      event.preventDefault();
      event.stopPropagation();
      if (this.active >= 0) this.pick(this.active);
    } else if (event.key === "Escape") {
      event.stopPropagation();
      this.close();
      this.input.blur();
    }
  }

  async pick(i) {
    // Options can lag a keystroke behind the input; "create" always means what is typed now.
    const typed = this.input.value.trim();
    const item = this.items[i].create && typed ? { ...this.items[i], name: typed, text: typed } : this.items[i];
    this.close();
    await this.choose(item, this.input);
  }

  close() {
    this.list.hidden = true;
    this.items = [];
    this.input.setAttribute("aria-expanded", "false");
  }
}
