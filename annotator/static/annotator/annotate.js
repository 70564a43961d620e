// The annotate page: read the article, mark who claimed what, save every change at once.
// This module holds the page's state (the mentions, what the editor shows, the suggestions, the article's
// own stances) and wires it to the page; the queue that saves (save_queue.js), the status line, the
// highlighted text, the combo boxes and the key table are modules of their own.

import { ApiError } from "./api.js";
import { ArticleView } from "./article_view.js";
import { Combo } from "./combobox.js";
import { markCard, showCards } from "./keyed_list.js";
import { RANK, annotateKeys, helpRows, listenForKeys } from "./keys.js";
import { TextIndex, domOffset, guessQuoteType } from "./offsets.js";
import { $, el, openPage } from "./page.js";
import { SaveQueue } from "./save_queue.js";
import { keepTextAboveSheet } from "./sheet.js";
import { StatusLine } from "./status.js";
import { SuggestionPanel, suggestionKeys } from "./suggestion_groups.js";

const { main, data, api } = openPage("main.annotate");
const { project, article, assignment } = data;
const canEdit = data.can_edit;
const index = new TextIndex(article.body);
const bodyEl = $("#article-body");
const mentionLabels = project.stance_labels.filter((label) => label.for_mentions);
const articleLabels = project.stance_labels.filter((label) => label.for_articles);
const status = new StatusLine($("#status"));

// --- state -----------------------------------------------------------------------------------
/** The assignment's mentions by local key: a mention has its key at once, its id once the server has it. */
class LocalMentions extends Map {
  #nextKey = 1;

  /** Keep `mention` (server shape) under a new key; returns the local copy. */
  add(mention) {
    const local = { ...mention, key: this.#nextKey++ };
    this.set(local.key, local);
    return local;
  }

  /** In text order. */
  sorted() {
    return [...this.values()].sort((a, b) => a.start - b.start || a.end - b.end || a.key - b.key);
  }
}

const mentions = new LocalMentions();
let openKey = null; // the mention in the editor
let draft = null; // a selection not yet saved: {start, end, text, quote_type} in code points
let markMode = null; // "source" | "cue": the next selection fills that span
const articleStances = new Map(); // claim id → {id, claim, stance, version}
const suggestions = new Map((data.suggestions || []).map((s) => [s.id, s])); // drafts not yet decided here
let openSuggestion = null; // id of the suggestion in focus
const extraClaims = new Map(); // claims added for the article's stance before a stance is chosen

assignment.mentions.forEach((mention) => mentions.add(mention));
assignment.article_stances.forEach((s) => articleStances.set(s.claim.id, s));

// --- saving: every change goes through one queue (save_queue.js) -----------------------------
const saves = new SaveQueue({ perform, refused, changed: renderList, status });
saves.warnBeforeLeaving();

function payloadOf(mention) {
  return {
    start: mention.start, end: mention.end, text: mention.text,
    speaker_id: mention.speaker ? mention.speaker.id : null,
    source: mention.source, cue: mention.cue, quote_type: mention.quote_type,
    claim_id: mention.claim ? mention.claim.id : null, stance: mention.stance,
  };
}

function fieldsPayload(fields) {
  const body = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name === "speaker") body.speaker_id = value ? value.id : null;
    else if (name === "claim") body.claim_id = value ? value.id : null;
    else body[name] = value;
  }
  return body;
}

async function perform(op) {
  const mention = op.key !== undefined ? mentions.get(op.key) : null;
  if (op.kind === "create") {
    if (!mention) return;
    const { data: saved } = await api("POST", `/api/assignments/${assignment.id}/mentions/`, { body: payloadOf(mention) });
    Object.assign(mention, { id: saved.id, version: saved.version });
    if (assignment.status === "assigned") setStatusChip("in_progress");
  } else if (op.kind === "patch") {
    if (!mention || mention.id === null) return;
    const { data: saved } = await api("PATCH", `/api/mentions/${mention.id}/`, { body: fieldsPayload(op.fields), ifMatch: mention.version });
    mention.version = saved.version;
  } else if (op.kind === "delete") {
    if (op.mention.id === null) return; // never reached the server
    await api("DELETE", `/api/mentions/${op.mention.id}/`, { ifMatch: op.mention.version });
  } else if (op.kind === "article-stance") {
    const { data: saved } = await api("POST", `/api/assignments/${assignment.id}/article-stances/`,
      { body: { claim_id: op.claim.id, stance: op.stance } });
    articleStances.set(op.claim.id, saved);
    if (assignment.status === "assigned") setStatusChip("in_progress");
  } else if (op.kind === "accept") {
    const { data: saved } = await api("POST", `/api/assignments/${assignment.id}/suggestions/${op.suggestion.id}/accept/`);
    // The mention is on the page already (decide); it now has its id, version and, if new, its speaker's id.
    if (mention) Object.assign(mention, { id: saved.id, version: saved.version, speaker: saved.speaker });
    if (assignment.status === "assigned") setStatusChip("in_progress");
    render();
  } else if (op.kind === "reject") {
    await api("POST", `/api/assignments/${assignment.id}/suggestions/${op.suggestion.id}/reject/`);
  } else if (op.kind === "decide-many") {
    const { data: decided } = await api("POST", `/api/assignments/${assignment.id}/suggestions/decisions/`,
      { body: { ids: op.ids, decision: op.decision } });
    // Where undo hooks in: `decided.results` pairs each draft with the mention it became (id and version), so
    // the undo stack (undo.js) records this step here as one entry; its reverse withdraws each decision,
    // deleting the mention made only if it is still at that version (If-Match), as a single accept's undo does.
    for (const { suggestion, mention } of decided.results) {
      suggestions.delete(suggestion);
      if (mention) mentions.add(mention);
    }
    if (!suggestions.has(openSuggestion)) openSuggestion = null;
    if (op.decision === "accepted" && assignment.status === "assigned") setStatusChip("in_progress");
    status.show(`${op.decision === "accepted" ? "Accepted" : "Rejected"} ${op.what}.`, "ok");
    render();
  } else if (op.kind === "article-stance-delete") {
    const current = articleStances.get(op.claim.id);
    if (!current || !current.id) return;
    await api("DELETE", `/api/article-stances/${current.id}/`, { ifMatch: current.version });
    articleStances.delete(op.claim.id);
  }
}

/** The server refused `op` (the queue has dropped it and the later changes to the same mention). */
async function refused(op, error) {
  const mention = op.key !== undefined ? mentions.get(op.key) : null;
  if (error.status === 412) {
    status.show("Someone else changed this mention meanwhile; showing their latest version.", "warn");
  } else {
    status.show(`Not saved: ${error.message}`, "warn");
  }
  if ((op.kind === "create" || op.kind === "accept") && mention) {
    mentions.delete(op.key);
    if (openKey === op.key) closeEditor();
  } else if (op.kind === "delete") {
    try {
      const { data: latest } = await api("GET", `/api/mentions/${op.mention.id}/`);
      mentions.add(latest); // it is still there (changed by someone else): show it again
    } catch { /* already gone */ }
  } else if (mention && mention.id !== null) {
    try {
      const { data: latest } = await api("GET", `/api/mentions/${mention.id}/`);
      Object.assign(mention, latest);
    } catch (reloadError) {
      if (reloadError instanceof ApiError && reloadError.status === 404) mentions.delete(op.key);
    }
  } else if (op.kind === "accept" || op.kind === "reject") {
    suggestions.delete(op.suggestion.id); // decided elsewhere meanwhile, or no longer possible
  } else if (op.kind.startsWith("article-stance")) {
    try {
      const { data: latest } = await api("GET", `/api/assignments/${assignment.id}/article-stances/?page_size=500`);
      articleStances.clear();
      latest.results.forEach((s) => articleStances.set(s.claim.id, s));
    } catch { /* the next successful save will show the state */ }
  }
  render();
}

function setStatusChip(value) {
  assignment.status = value;
  $("#assignment-status").textContent = { assigned: "Assigned", in_progress: "In progress", submitted: "Submitted", skipped: "Skipped" }[value];
}

// --- the article with its highlights ---------------------------------------------------------
function describe(mention) {
  const who = mention.speaker ? mention.speaker.name : "the outlet (no speaker)";
  const stance = mention.stance ? `, ${mention.stance}` : "";
  const claim = mention.claim ? ` toward “${mention.claim.text}”` : "";
  return `${who} — ${mention.quote_type}${stance}${claim}`;
}

function render() {
  renderBody();
  renderList();
  renderSuggestions();
  renderEditor();
  renderArticleStances();
}

const articleView = new ArticleView(bodyEl, index, decorateMarks);

function renderBody() {
  // A mark's sig says all decorateMarks reads of it: the blocks whose marks changed are redrawn, no others.
  const marks = [];
  for (const m of mentions.values()) {
    const sig = `${m.key}|${m.key === openKey}|${describe(m)}`;
    marks.push({ start: m.start, end: m.end, cls: "hl-content", m, sig: `hl-content|${sig}` });
    if (m.source) marks.push({ start: m.source.start, end: m.source.end, cls: "hl-source", m, sig: `hl-source|${sig}` });
    if (m.cue) marks.push({ start: m.cue.start, end: m.cue.end, cls: "hl-cue", m, sig: `hl-cue|${sig}` });
  }
  if (draft) marks.push({ start: draft.start, end: draft.end, cls: "hl-draft", m: null, sig: "hl-draft" });
  for (const s of suggestions.values()) {
    const cls = s.id === openSuggestion ? "hl-pending hl-pending-active" : "hl-pending";
    marks.push({ start: s.start, end: s.end, cls, m: null, suggestion: s, sig: `${cls}|${s.id}` });
  }
  articleView.render(marks);
}

/** One stretch of the article: its classes, the mentions it belongs to (data-keys) and what they are (title). */
function decorateMarks(span, marks) {
  const classes = new Set(["hl"]);
  const keys = [];
  const titles = [];
  for (const mark of marks) {
    for (const name of mark.cls.split(" ")) classes.add(name);
    if (mark.suggestion) {
      span.dataset.suggestion = mark.suggestion.id;
      titles.push(`suggested: ${mark.suggestion.speaker ? mark.suggestion.speaker.name : mark.suggestion.speaker_name || "no speaker"} — ${mark.suggestion.quote_type}`);
    }
    if (mark.m) {
      keys.push(mark.m.key);
      if (mark.m.key === openKey && mark.cls === "hl-content") classes.add("hl-active");
      const role = { "hl-content": "claim", "hl-source": "speaker named", "hl-cue": "cue" }[mark.cls];
      titles.push(`${role}: ${describe(mark.m)}`);
    }
  }
  span.className = [...classes].join(" ");
  if (keys.length) span.dataset.keys = [...new Set(keys)].join(" ");
  if (titles.length) span.title = [...new Set(titles)].join("\n");
}

// --- suggestions from the pre-annotator (grouped, folding, decided many at once: suggestion_groups.js) ----
const suggestionPanel = new SuggestionPanel({
  list: $("#suggestion-list"), tools: $("#suggestion-tools"), canEdit,
  open: (id) => focusSuggestion(id, { scroll: true }), decide, decideMany,
});

function renderSuggestions() {
  const waiting = new Set(saves.waiting().flatMap((op) => (op.suggestion ? [op.suggestion.id] : op.ids || [])));
  suggestionPanel.render(suggestions.values(), { openId: openSuggestion, waiting });
  $("#suggestion-count").textContent = suggestions.size ? `(${suggestions.size})` : "";
  $("#suggestions-panel").hidden = suggestions.size === 0;
}

/** One request decides `ids` ("accepted" | "rejected"); `what` names them for the status line. */
function decideMany(ids, decision, what) {
  if (!canEdit || !ids.length) return;
  saves.add({ kind: "decide-many", ids, decision, what });
  render();
}

function focusSuggestion(id, { scroll = false } = {}) {
  openKey = null;
  draft = null;
  openSuggestion = id;
  render();
  if (scroll) {
    const mark = bodyEl.querySelector(".hl-pending-active");
    if (mark) mark.scrollIntoView({ block: "center", behavior: "smooth" });
  }
}

function decide(suggestion, kind) {
  if (!canEdit) return;
  suggestions.delete(suggestion.id);
  const wasOpen = openSuggestion === suggestion.id;
  if (wasOpen) openSuggestion = null;
  if (kind === "reject") {
    saves.add({ kind, suggestion });
    render();
    return;
  }
  // Shown at once as a mention, saved when the server answers (as a new mention is): on a long article the
  // page does not wait for the request, and the next key acts on this mention.
  const local = mentions.add({ ...suggestion, id: null, version: 0, claim: null, stance: null,
    speaker: suggestion.speaker || (suggestion.speaker_name ? { id: null, name: suggestion.speaker_name, kind: suggestion.speaker_kind } : null) });
  saves.add({ kind, suggestion, key: local.key });
  if (wasOpen || (openKey === null && !draft)) openMention(local.key); // the annotator goes on with claim and stance
  else render();
}

function renderList() {
  const list = $("#mention-list");
  const unsaved = saves.unsavedKeys();
  // Cards are built again only when what they show changed (keyed_list.js).
  showCards(list, mentions.sorted().map((m) => ({
    key: m.key,
    sig: `${unsaved.has(m.key)}|${describe(m)}|${m.text}|${m.cue ? m.cue.text : ""}`,
    build: () => mentionCard(m, unsaved),
    update: (li) => fillMentionCard(li.firstChild, m, unsaved),
  })));
  markCard(list, "active", "data-key", openKey);
  $("#mention-count").textContent = mentions.size ? `(${mentions.size})` : "";
  main.dataset.pending = String(saves.size); // how many changes wait for the server
  $("#no-mentions").hidden = mentions.size > 0;
}

function mentionCard(m, unsaved) {
  const li = document.createElement("li");
  li.dataset.key = m.key;
  const button = document.createElement("button");
  button.type = "button";
  button.addEventListener("click", () => openMention(m.key, { scroll: true }));
  fillMentionCard(button, m, unsaved);
  li.append(button);
  return li;
}

function fillMentionCard(button, m, unsaved) {
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = m.speaker ? m.speaker.name : "Outlet (no speaker)";
  const what = document.createElement("span");
  what.className = "what";
  what.textContent = `“${m.text}”`;
  const tags = document.createElement("span");
  tags.className = "tags";
  tags.textContent = [m.quote_type, m.cue ? `cue “${m.cue.text}”` : null, m.stance, m.claim ? `→ ${m.claim.text}` : null]
    .filter(Boolean).join(" · ");
  button.replaceChildren(who, what, tags);
  if (unsaved.has(m.key)) {
    const flag = document.createElement("span");
    flag.className = "unsaved";
    flag.textContent = "unsaved";
    button.append(flag);
  }
  button.setAttribute("aria-label", `${who.textContent}: ${m.text}. ${tags.textContent}${unsaved.has(m.key) ? ". Unsaved" : ""}`);
}

// --- the editor ------------------------------------------------------------------------------
const editor = $("#editor");
keepTextAboveSheet(editor, bodyEl);

function current() {
  return openKey !== null ? mentions.get(openKey) : draft;
}

function openMention(key, { scroll = false } = {}) {
  draft = null;
  openSuggestion = null;
  markMode = null;
  openKey = key;
  render();
  if (scroll) {
    const mark = bodyEl.querySelector(`.hl-active`);
    if (mark) mark.scrollIntoView({ block: "center", behavior: "smooth" });
  }
}

function openDraft(span, u16Start, u16End) {
  openKey = null;
  openSuggestion = null;
  markMode = null;
  draft = { ...span, speaker: null, source: null, cue: null, claim: null, stance: null,
            quote_type: guessQuoteType(article.body, u16Start, u16End) };
  renderList();
  renderEditor();
}

function closeEditor() {
  openKey = null;
  draft = null;
  markMode = null;
  openSuggestion = null;
  render();
}

function commitDraft() {
  if (!draft || !canEdit) return null;
  const local = mentions.add({ ...draft, id: null, version: 0 });
  draft = null;
  openKey = local.key;
  saves.add({ kind: "create", key: local.key });
  render();
  return local;
}

/** Change a field of the open mention (saving a draft first), and send the change at once. */
function setField(name, value) {
  if (!canEdit) return;
  let mention = openKey !== null ? mentions.get(openKey) : null;
  if (!mention && draft) {
    draft[name] = value;
    if (name === "claim" && !value) draft.stance = null;
    mention = commitDraft();
    return mention;
  }
  if (!mention) return null;
  const fields = { [name]: value };
  if (name === "claim" && !value && mention.stance) fields.stance = null; // a stance needs a claim
  Object.assign(mention, fields);
  saves.add({ kind: "patch", key: mention.key, fields });
  render();
  return mention;
}

function deleteOpen() {
  const mention = openKey !== null ? mentions.get(openKey) : null;
  if (!mention || !canEdit) return;
  mentions.delete(mention.key);
  saves.dropWaiting(mention.key);
  saves.add({ kind: "delete", key: mention.key, mention });
  closeEditor();
  status.show("Mention deleted.", "ok", { label: "Undo", run() {
    const restored = mentions.add({ ...mention, id: null, version: 0 });
    saves.add({ kind: "create", key: restored.key });
    openMention(restored.key);
  } });
}

function renderEditor() {
  const m = current();
  editor.hidden = !m;
  if (!m) return;
  $("#editor-title").textContent = openKey !== null ? "Claim mention" : "New claim mention";
  $("#editor-state").textContent = markMode ? `select the ${markMode === "source" ? "speaker's name" : "cue words"} in the text` : "";
  $("#editor-state").hidden = !markMode;
  $("#editor-text").textContent = m.text;
  $("#source-text").textContent = m.source ? m.source.text : "—";
  $("#cue-text").textContent = m.cue ? m.cue.text : "—";
  $("#clear-source").hidden = !m.source;
  $("#clear-cue").hidden = !m.cue;
  $("#claim-text").textContent = m.claim ? m.claim.text : "—";
  $("#clear-claim").hidden = !m.claim;
  if (document.activeElement !== speakerInput) speakerInput.value = m.speaker ? m.speaker.name : "";
  for (const radio of document.querySelectorAll("input[name=quote_type]")) {
    radio.checked = radio.value === m.quote_type;
    radio.disabled = !canEdit;
  }
  for (const button of document.querySelectorAll("#stance-buttons .stance")) {
    button.setAttribute("aria-pressed", String(button.dataset.value === m.stance));
    button.disabled = !canEdit || !m.claim;
    button.title = m.claim ? "" : "Link a tracked claim first: a stance is held toward a claim.";
  }
  $("#add-mention").hidden = openKey !== null || !canEdit;
  $("#delete-mention").hidden = openKey === null || !canEdit;
  for (const input of editor.querySelectorAll("input")) input.disabled = !canEdit;
}

function buildStanceButtons() {
  const box = $("#stance-buttons");
  for (const label of mentionLabels) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "stance";
    button.dataset.value = label.value;
    button.style.setProperty("--label-colour", label.colour);
    button.append(label.name);
    if (label.shortcut) {
      const kbd = document.createElement("kbd");
      kbd.textContent = label.shortcut;
      button.append(" ", kbd);
      button.setAttribute("aria-keyshortcuts", label.shortcut);
    }
    button.addEventListener("click", () => setStance(label.value));
    box.append(button);
  }
}

function setStance(value) {
  const m = current();
  if (!m) return;
  if (!m.claim) {
    status.show("Link a tracked claim first: a stance is held toward a claim.", "warn");
    $("#claim-input").focus();
    return;
  }
  setField("stance", m.stance === value ? null : value);
}

// --- combo boxes (speakers, claims) ------------------------------------------------------------
const comboFailed = (error) => status.show(error.message, "warn");

const speakerInput = $("#speaker-input");
new Combo(speakerInput, $("#speaker-options"), {
  failed: comboFailed,
  async search(term) {
    const m = current();
    const q = term || (m && m.source ? m.source.text : "");
    const { data: page } = await api("GET", `/api/projects/${project.id}/speakers/?page_size=8&search=${encodeURIComponent(q)}`);
    const items = page.results.map((s) => ({ speaker: s }));
    if (term && canEdit && !page.results.some((s) => s.name.toLowerCase() === term.toLowerCase())) {
      items.push({ create: true, name: term });
    }
    if (m && m.speaker) items.push({ clear: true });
    return items;
  },
  render(li, item) {
    if (item.create) li.textContent = `＋ Create speaker “${item.name}”`;
    else if (item.clear) li.textContent = "No speaker: the outlet's own claim";
    else {
      li.textContent = item.speaker.name;
      const meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = [item.speaker.kind, ...item.speaker.aliases.slice(0, 3)].join(" · ");
      li.append(meta);
    }
  },
  async choose(item, input) {
    if (item.clear) { setField("speaker", null); input.value = ""; return; }
    let speaker = item.speaker;
    if (item.create) {
      try {
        ({ data: speaker } = await api("POST", `/api/projects/${project.id}/speakers/`, { body: { name: item.name, kind: "person" } }));
      } catch (error) {
        if (error instanceof ApiError) { status.show(`Speaker not created: ${error.message}`, "warn"); return; }
        throw error;
      }
    }
    setField("speaker", { id: speaker.id, name: speaker.name, kind: speaker.kind });
    input.value = speaker.name;
    bodyEl.focus({ preventScroll: true }); // back to the text: the next key is a shortcut again
  },
});

async function claimOptions(term, { fromText }) {
  const q = term || fromText || "";
  const url = q
    ? `/api/projects/${project.id}/claims/?similar_to=${encodeURIComponent(q)}`
    : `/api/projects/${project.id}/claims/?page_size=8`;
  const { data: page } = await api("GET", url);
  const items = page.results.map((c) => ({ claim: c }));
  const proposed = term || fromText; // typed words, or else the selected words themselves
  if (canEdit && proposed && !page.results.some((c) => c.text.toLowerCase() === proposed.toLowerCase())) {
    items.push({ create: true, text: proposed });
  }
  return items;
}

function renderClaimOption(li, item) {
  if (item.create) {
    li.textContent = `＋ Track new claim “${item.text}”`;
    return;
  }
  li.textContent = item.claim.text;
  if (item.claim.score !== undefined && item.claim.score !== null) {
    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = `${Math.round(item.claim.score * 100)}% similar`;
    li.append(meta);
  }
}

async function claimFrom(item) {
  if (!item.create) return item.claim;
  try {
    const { data: claim } = await api("POST", `/api/projects/${project.id}/claims/`, { body: { text: item.text } });
    return claim;
  } catch (error) {
    if (error instanceof ApiError) { status.show(`Claim not created: ${error.message}`, "warn"); return null; }
    throw error;
  }
}

new Combo($("#claim-input"), $("#claim-options"), {
  search: (term) => claimOptions(term, { fromText: current() ? current().text : "" }),
  render: renderClaimOption,
  failed: comboFailed,
  async choose(item, input) {
    const claim = await claimFrom(item);
    if (!claim) return;
    setField("claim", { id: claim.id, text: claim.text });
    input.value = "";
    bodyEl.focus({ preventScroll: true });
  },
});

new Combo($("#article-claim-input"), $("#article-claim-options"), {
  search: (term) => claimOptions(term, { fromText: "" }),
  render: renderClaimOption,
  failed: comboFailed,
  async choose(item, input) {
    const claim = await claimFrom(item);
    if (!claim) return;
    extraClaims.set(claim.id, { id: claim.id, text: claim.text });
    input.value = "";
    renderArticleStances();
  },
});

// --- the article's own stance ------------------------------------------------------------------
function renderArticleStances() {
  const claims = new Map();
  for (const m of mentions.sorted()) if (m.claim) claims.set(m.claim.id, m.claim);
  for (const s of articleStances.values()) claims.set(s.claim.id, s.claim);
  for (const c of extraClaims.values()) claims.set(c.id, c);
  const rows = [...claims.values()].map((claim) => {
    const li = document.createElement("li");
    const text = document.createElement("div");
    text.className = "claim";
    text.textContent = claim.text;
    const group = document.createElement("div");
    group.className = "stances";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", `Article's stance toward: ${claim.text}`);
    const currentStance = articleStances.get(claim.id);
    for (const label of articleLabels) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "stance";
      button.style.setProperty("--label-colour", label.colour);
      button.textContent = label.name;
      button.disabled = !canEdit;
      button.setAttribute("aria-pressed", String(!!currentStance && currentStance.stance === label.value));
      button.addEventListener("click", () => setArticleStance(claim, label.value));
      group.append(button);
    }
    li.append(text, group);
    return li;
  });
  $("#article-stances").replaceChildren(...rows);
}

function setArticleStance(claim, value) {
  const existing = articleStances.get(claim.id);
  if (existing && existing.stance === value) {
    saves.add({ kind: "article-stance-delete", claim });
    articleStances.set(claim.id, { ...existing, stance: null });
  } else {
    articleStances.set(claim.id, { ...(existing || { claim }), stance: value });
    saves.add({ kind: "article-stance", claim, stance: value });
  }
  renderArticleStances();
}

// --- selecting text ----------------------------------------------------------------------------
function selectionSpan() {
  const selection = document.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
  const range = selection.getRangeAt(0);
  if (!range.intersectsNode(bodyEl)) return null;
  // A drag that runs past either end of the article is clipped to the article.
  const start = bodyEl.contains(range.startContainer) ? domOffset(bodyEl, range.startContainer, range.startOffset) : 0;
  const end = bodyEl.contains(range.endContainer)
    ? domOffset(bodyEl, range.endContainer, range.endOffset)
    : article.body.length;
  const span = index.span(start, end);
  return span ? { span, u16: [index.toU16(span.start), index.toU16(span.end)] } : null;
}

function takeSelection() {
  const picked = selectionSpan();
  if (!picked) return false;
  if (!canEdit) return false;
  if (markMode && current()) {
    const field = markMode;
    markMode = null;
    const value = { start: picked.span.start, end: picked.span.end, text: picked.span.text };
    setField(field, value);
    document.getSelection().removeAllRanges();
    if (field === "source" && !current().speaker) {
      speakerInput.value = "";
      speakerInput.focus(); // searches the catalogue for the words just selected
    }
    render();
    return true;
  }
  openDraft(picked.span, ...picked.u16);
  return true;
}

function watchSelections() {
  // Handled at once (not deferred): a shortcut typed right after the mouse is released must find
  // the selection already taken.
  // A drag that starts in the article may end anywhere (below the text, over the sidebar).
  let dragFromBody = false;
  bodyEl.addEventListener("mousedown", () => { dragFromBody = true; });
  document.addEventListener("mouseup", (event) => {
    if (!dragFromBody) return;
    dragFromBody = false;
    if (takeSelection()) return;
    const selection = document.getSelection();
    if (selection && selection.isCollapsed && event.target.closest) {
      const marked = event.target.closest("[data-keys]");
      const drafted = event.target.closest("[data-suggestion]");
      if (marked) openMention(Number(marked.dataset.keys.split(" ")[0]));
      else if (drafted) focusSuggestion(Number(drafted.dataset.suggestion));
    }
  });
}

function extendSelection(event) {
  const selection = document.getSelection();
  if (!selection.rangeCount || !bodyEl.contains(selection.anchorNode)) {
    const first = document.createTreeWalker(bodyEl, NodeFilter.SHOW_TEXT).nextNode();
    if (!first) return;
    selection.setPosition(first, 0);
  }
  const direction = event.key === "ArrowLeft" || event.key === "ArrowUp" ? "backward" : "forward";
  const granularity = event.key === "ArrowUp" || event.key === "ArrowDown" ? "line" : event.ctrlKey || event.altKey ? "word" : "character";
  selection.modify("extend", direction, granularity);
  takeSelection();
}

// --- keyboard (the table is in keys.js) ----------------------------------------------------------
const keyTable = annotateKeys({
  stanceLabels: mentionLabels,
  current,
  hasDraft: () => Boolean(draft),
  hasOpenMention: () => openKey !== null,
  openSuggestion: () => (openSuggestion !== null && suggestions.has(openSuggestion) ? suggestions.get(openSuggestion) : null),
  submit,
  extendSelection,
  showHelp: () => $("#help-dialog").showModal(),
  cancel() {
    if (markMode) { markMode = null; renderEditor(); } else closeEditor();
    document.getSelection().removeAllRanges();
  },
  commitDraft,
  deleteOpen,
  decide,
  setStance,
  setField,
  startMarking,
  focusSpeaker: () => speakerInput.focus(),
  focusClaim: () => $("#claim-input").focus(),
  step: stepMention,
}).concat(suggestionKeys(suggestionPanel, {
  openSuggestionId: () => openSuggestion,
  open: (id) => focusSuggestion(id, { scroll: true }),
}, RANK.MENTION));

function stepMention(step) {
  const list = mentions.sorted();
  if (!list.length) return;
  const at = list.findIndex((m) => m.key === openKey);
  const next = list[(at + step + list.length) % list.length];
  openMention(next.key, { scroll: true });
  const item = document.querySelector(`#mention-list li[data-key="${next.key}"] button`);
  if (item) item.focus({ preventScroll: true });
}

function startMarking(field) {
  if (!canEdit || !current()) return;
  markMode = field;
  renderEditor();
  status.show(`Select the ${field === "source" ? "words that name the speaker" : "reporting words (said, warned, according to…)"} in the text.`, "ok");
  bodyEl.focus({ preventScroll: true });
}

// --- buttons -----------------------------------------------------------------------------------
$("#editor-close").addEventListener("click", closeEditor);
$("#add-mention").addEventListener("click", commitDraft);
$("#delete-mention").addEventListener("click", deleteOpen);
$("#mark-source").addEventListener("click", () => startMarking("source"));
$("#mark-cue").addEventListener("click", () => startMarking("cue"));
$("#clear-source").addEventListener("click", () => setField("source", null));
$("#clear-cue").addEventListener("click", () => setField("cue", null));
$("#clear-claim").addEventListener("click", () => setField("claim", null));
for (const radio of document.querySelectorAll("input[name=quote_type]")) {
  radio.addEventListener("change", () => setField("quote_type", radio.value));
}
$("#open-help").addEventListener("click", () => $("#help-dialog").showModal());
$("#open-guidelines").addEventListener("click", () => $("#guidelines-dialog").showModal());
$("#submit-button").addEventListener("click", submit);
$("#skip-button").addEventListener("click", () => $("#skip-dialog").showModal());
$("#skip-cancel").addEventListener("click", () => $("#skip-dialog").close());
$("#skip-form").addEventListener("submit", (event) => {
  const reason = $("#skip-reason").value.trim();
  if (!reason) { event.preventDefault(); $("#skip-reason").focus(); return; }
  finish("skipped", reason);
});

// --- submit, skip, next --------------------------------------------------------------------------
async function submit() {
  if (!canEdit) return;
  await finish("submitted");
}

async function finish(outcome, reason = "") {
  if (!(await saves.flush())) {
    status.show("Some changes are not saved yet; the page keeps retrying. Submit again once they are saved.", "warn");
    return;
  }
  try {
    const { version } = await api("GET", `/api/assignments/${assignment.id}/`);
    const body = outcome === "skipped" ? { status: outcome, skip_reason: reason } : { status: outcome };
    await api("PATCH", `/api/assignments/${assignment.id}/`, { body, ifMatch: version });
    setStatusChip(outcome);
    const next = await api("POST", `/api/projects/${project.id}/assignments/next/`);
    window.location.assign(next.status === 204 ? main.dataset.home : main.dataset.annotateUrl.replace("/0/", `/${next.data.id}/`));
  } catch (error) {
    if (error instanceof ApiError) status.show(`Not ${outcome}: ${error.message}`, "warn");
    else throw error;
  }
}

// --- start -------------------------------------------------------------------------------------
buildStanceButtons();
$("#help-dialog table.keys").replaceChildren(el("tbody", {}, ...helpRows(keyTable)));
listenForKeys(keyTable);
watchSelections();
if (!canEdit) {
  $("#readonly-note").hidden = false;
  for (const id of ["#submit-button", "#skip-button", "#article-claim-input"]) $(id).disabled = true;
}
render();
performance.mark("annotate:drawn"); // the article and the sidebar are on the page (bench/annotate_long_article.py)
bodyEl.dataset.ready = "true";
