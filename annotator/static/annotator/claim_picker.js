// The tracked-claim picker of the annotate page's editor. Opened (key `l` or a click) with nothing typed,
// it offers the claims most similar to the mention's whole text (?similar_to=), then every claim of the
// project, a page at a time ("More claims…", also loaded by scrolling to the end); typing searches all of
// the project's claims instead. "Track new claim…" is never the highlighted default while an existing
// claim scores at least the project's threshold, and it only opens a form, prefilled with the mention's
// (or the typed) words and editable: a claim is created by that form's own button, never by Enter alone.

import { ApiError } from "./api.js";
import { Combo } from "./combobox.js";

const PAGE = 50;

class PickerCombo extends Combo {
  /** The option highlighted when the list opens: the one the search marked `preferred`. */
  initialActive(items) {
    const preferred = items.findIndex((item) => item.preferred);
    return preferred >= 0 ? preferred : super.initialActive(items);
  }

  async refresh() {
    const term = this.input.value.trim();
    const seq = this.seq + 1;
    await super.refresh();
    if (this.seq === seq) this.shownFor = term;
  }

  /** Enter typed before the list caught up with the words acts on the list for those words. */
  keydown(event) {
    if (event.key === "Enter" && !event.ctrlKey && this.shownFor !== this.input.value.trim()) {
      event.preventDefault();
      event.stopPropagation();
      clearTimeout(this.timer);
      this.refresh().then(() => { if (this.active >= 0) this.pick(this.active); });
      return;
    }
    super.keydown(event);
  }

  draw() {
    super.draw();
    for (const [i, item] of this.items.entries()) if (item.more) this.list.children[i].classList.add("more");
    const active = this.list.children[this.active];
    if (active) active.scrollIntoView({ block: "nearest" });
  }

  async pick(i) {
    if (!this.items[i]) return; // Enter before the list has come back
    if (!this.items[i].more) return super.pick(i);
    await this.loadMore(i);
  }

  /** Replace the "More claims…" option at `i` by the next page (and its own "More…" if there is one). */
  async loadMore(i) {
    const more = this.items[i];
    if (more.loading) return;
    more.loading = true;
    let extra;
    try {
      extra = await this.more(more, new Set(this.items.filter((item) => item.claim).map((item) => item.claim.id)));
    } catch (error) {
      more.loading = false;
      if (error instanceof ApiError) { this.failed(error); return; }
      throw error;
    }
    if (this.items[i] !== more) return; // the list was searched again meanwhile
    this.items.splice(i, 1, ...extra);
    this.active = Math.min(i, this.items.length - 1);
    this.draw();
  }
}

// similar_to takes at most as much text as a claim may hold (CLAIM_TEXT_LIMIT), in code points.
const SIMILAR_TO_LIMIT = 2000;

/**
 * Wire the picker: `input`/`list` are the combo box, `form` the "track new claim" form (a textarea and
 * two buttons); `mentionText()` is the open mention's (or draft's) words; `link(claim)` links the chosen
 * claim; `threshold` is the score (0–1) from which an existing claim is the default; `target()` names the
 * mention the editor shows (the form creates a claim only for the mention it was opened on).
 */
export function claimPicker({ input, list, form, api, projectId, canEdit, threshold, mentionText, target, link, failed, status }) {
  const claimsUrl = `/api/projects/${projectId}/claims/`;
  const textArea = form.querySelector("textarea");
  let formTarget = null;

  async function similarTo(text) {
    const q = Array.from(text).slice(0, SIMILAR_TO_LIMIT).join("");
    try {
      const { data } = await api("GET", `${claimsUrl}?similar_to=${encodeURIComponent(q)}`);
      return data.results;
    } catch (error) {
      // A server that cannot rank this text (too long for it, say) still leaves every claim to browse.
      if (error instanceof ApiError && error.status === 400) return [];
      throw error;
    }
  }

  function browsePage(results, next, shown) {
    const items = results.filter((claim) => !shown.has(claim.id)).map((claim) => ({ claim, browsed: true }));
    if (next) items.push({ more: true, url: next });
    return items;
  }

  async function search(term) {
    if (term) {
      const { data } = await api("GET", `${claimsUrl}?search=${encodeURIComponent(term)}`);
      const items = data.results.map((claim, i) => ({ claim, preferred: i === 0 }));
      if (canEdit && !data.results.some((c) => c.text.toLowerCase() === term.toLowerCase())) {
        items.push({ create: true, text: term, preferred: !data.results.length });
      }
      return items;
    }
    const text = mentionText();
    const [candidates, { data: page }] = await Promise.all([
      text ? similarTo(text) : [],
      api("GET", `${claimsUrl}?page_size=${PAGE}`),
    ]);
    const matched = candidates.length > 0 && candidates[0].score >= threshold;
    const items = candidates.map((claim, i) => ({ claim, preferred: matched && i === 0 }));
    if (canEdit && text) items.push({ create: true, text, preferred: !matched });
    return [...items, ...browsePage(page.results, page.next, new Set(candidates.map((c) => c.id)))];
  }

  async function more(item, shown) {
    const { data: page } = await api("GET", item.url);
    return browsePage(page.results, page.next, shown);
  }

  function render(li, item) {
    if (item.create) {
      li.textContent = `＋ Track new claim “${item.text}”…`;
    } else if (item.more) {
      li.textContent = "More claims…";
    } else {
      li.textContent = item.claim.text;
      if (item.claim.score !== undefined && item.claim.score !== null) {
        const meta = document.createElement("span");
        meta.className = "meta";
        meta.textContent = `${Math.round(item.claim.score * 100)}% match`;
        li.append(meta);
      }
    }
  }

  function openForm(text) {
    formTarget = target();
    form.hidden = false;
    textArea.value = text;
    textArea.focus();
    textArea.select();
  }

  function closeForm() {
    form.hidden = true;
    input.focus({ preventScroll: true });
  }

  async function create() {
    const text = textArea.value.trim();
    if (!text) { textArea.focus(); return; }
    if (target() !== formTarget) { form.hidden = true; return; } // another mention is open now
    try {
      const { data: claim } = await api("POST", claimsUrl, { body: { text } });
      form.hidden = true;
      if (target() === formTarget) link(claim);
    } catch (error) {
      if (error instanceof ApiError) { status.show(`Claim not created: ${error.message}`, "warn"); return; }
      throw error;
    }
  }

  const combo = new PickerCombo(input, list, {
    search,
    render,
    failed,
    async choose(item) {
      if (item.create) { openForm(item.text); return; }
      form.hidden = true;
      input.value = "";
      link(item.claim);
    },
  });
  combo.more = more;
  // Scrolling to the end of the list loads the next page, as "More claims…" does.
  list.addEventListener("scroll", () => {
    const last = combo.items.length - 1;
    if (last >= 0 && combo.items[last].more && list.scrollTop + list.clientHeight >= list.scrollHeight - 8) {
      combo.loadMore(last);
    }
  });

  form.addEventListener("submit", (event) => { event.preventDefault(); create(); });
  form.querySelector("[data-action=cancel]").addEventListener("click", closeForm);
  textArea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      create();
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      closeForm();
    }
  });
  return {
    /** Into the picker with nothing typed: the candidates for the mention's words come first. */
    open() {
      input.value = "";
      input.focus();
    },
    closeForm() {
      form.hidden = true;
    },
  };
}
