// The speaker box of the annotate page's editor: a type-ahead over the project's speaker catalogue,
// names and aliases. Opening it (key `/`, or after marking the words that name the speaker) puts the
// current speaker's name, or else those words, in the box with all of it selected, so typing replaces
// it. What is in the box and not in the catalogue (as a name or an alias) is offered as a new speaker,
// so a name just selected in the text is one Enter away. Each option lists the speaker's aliases, the
// one that matched what was typed first.

import { ApiError } from "./api.js";
import { Combo } from "./combobox.js";

/** Lower case without accents: how the server compares names (unaccent, lower). */
const folded = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/** The aliases to show for `speaker`, the ones containing `term` first. */
export function aliasesFor(speaker, term) {
  const wanted = folded(term);
  const matching = wanted ? speaker.aliases.filter((alias) => folded(alias).includes(wanted)) : [];
  return [...matching, ...speaker.aliases.filter((alias) => !matching.includes(alias))];
}

/**
 * Wire the box: `current()` is the mention in the editor (or the draft); `setSpeaker(speaker | null)`
 * sets its speaker; `stillOpen(target)` says whether the mention a choice was made for is still the open
 * one after waiting for a new speaker to be created; `done()` is called after a choice (back to the text).
 * Returns { open() }.
 */
export function speakerBox({ input, list, api, projectId, canEdit, current, setSpeaker, stillOpen, done, failed, status }) {
  const speakersUrl = `/api/projects/${projectId}/speakers/`;

  async function search(term) {
    const m = current();
    const named = m && m.source ? m.source.text : "";
    const q = term || named;
    const { data: page } = await api("GET", `${speakersUrl}?page_size=8&search=${encodeURIComponent(q)}`);
    const items = page.results.map((speaker) => ({ speaker, term: q }));
    const known = (name) => page.results.some((s) => [s.name, ...s.aliases].some((n) => folded(n) === folded(name)));
    if (canEdit && q && !known(q)) items.push({ create: true, name: q });
    if (m && m.speaker) items.push({ clear: true });
    return items;
  }

  function render(li, item) {
    if (item.create) {
      li.textContent = `＋ Create speaker “${item.name}”`;
    } else if (item.clear) {
      li.textContent = "No speaker: the outlet's own claim";
    } else {
      li.textContent = item.speaker.name;
      const meta = document.createElement("span");
      meta.className = "meta";
      const aliases = aliasesFor(item.speaker, item.term);
      meta.textContent = [item.speaker.kind, aliases.length ? `also ${aliases.join(", ")}` : null].filter(Boolean).join(" · ");
      li.append(meta);
    }
  }

  async function choose(item) {
    if (item.clear) { setSpeaker(null); input.value = ""; done(); return; }
    let speaker = item.speaker;
    const target = current();
    if (item.create) {
      try {
        ({ data: speaker } = await api("POST", speakersUrl, { body: { name: item.name, kind: "person" } }));
      } catch (error) {
        if (error instanceof ApiError) { status.show(`Speaker not created: ${error.message}`, "warn"); return; }
        throw error;
      }
    }
    if (!stillOpen(target)) return; // a choice made for one mention never lands on another
    setSpeaker({ id: speaker.id, name: speaker.name, kind: speaker.kind });
    input.value = speaker.name;
    done();
  }

  new Combo(input, list, { search, render, choose, failed });

  return {
    /** Into the box, its words selected: the current speaker's name, or the words that name them in the text. */
    open() {
      const m = current();
      if (!m) return;
      input.value = m.speaker ? m.speaker.name : m.source ? m.source.text : "";
      input.focus();
      input.select();
    },
  };
}
