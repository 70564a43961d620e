// The annotate page: read the article, mark who claimed what, save every change at once.
// This module holds the page's state (the mentions, what the editor shows, the suggestions, the article's
// own stances) and wires it to the page; the queue that saves (save_queue.js), the status line, the
// highlighted text, the combo boxes, the key table, the caret (caret.js) and the span handles (span_edit.js)
// are modules of their own.

import { ApiError } from "./api.js";
import { ArticleView } from "./article_view.js";
import { Caret, caretKeys } from "./caret.js";
import { claimPicker } from "./claim_picker.js";
import { markCard, showCards } from "./keyed_list.js";
import { RANK, annotateKeys, helpRows, listenForKeys } from "./keys.js";
import { TextIndex, domOffset, guessQuoteType } from "./offsets.js";
import { lightMentions, markEdges, suggestionMeets } from "./overlaps.js";
import { $, el, openPage } from "./page.js";
import { SaveQueue } from "./save_queue.js";
import { keepTextAboveSheet } from "./sheet.js";
import { SpanHandles, spanKeys } from "./span_edit.js";
import { speakerBox } from "./speaker_box.js";
import { StatusLine } from "./status.js";
import { confirmSubmit, gapsOf } from "./submit_check.js";
import { SuggestionPanel, suggestionKeys } from "./suggestion_groups.js";
import { TextUnits } from "./text_units.js";
import { History } from "./undo.js";

const { main, data, api } = openPage("main.annotate");
const { project, article, assignment } = data;
const canEdit = data.can_edit;
const index = new TextIndex(article.body);
const units = new TextUnits(article.body);
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

// Focus: at most one thing is open — a mention (openKey), an unsaved selection (draft) or a suggestion
// (openSuggestion) — and every key and editor button acts on that one alone. Every change goes through a
// function that updates the page, queues the request and records how to undo it (undo.js): changeMention,
// removeMention/restoreMention, acceptSuggestion, rejectSuggestion, setArticleStance. Where mentions and
// suggestions meet is drawn by overlaps.js.
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
const history = new History({ recorded: () => status.withdraw() }); // a new change ends an "Undo" offer

/** Queue a change; one an undo or a redo makes is marked so, to name it if the server refuses it. */
function queue(op) {
  saves.add(history.replaying ? { ...op, replay: history.replaying } : op);
}

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

// A mention's op carries the local object it was made for (`op.mention`): a mention deleted and restored by
// undo keeps its key but is a new object, so the old one's queued requests never touch the new one.
const mentionOf = (op) => op.mention || (op.key !== undefined ? mentions.get(op.key) : undefined);

async function perform(op) {
  const mention = mentionOf(op);
  if (op.kind === "create") {
    if (!mention || mentions.get(op.key) !== mention) return; // deleted before it was sent: its delete is skipped too
    const { data: saved } = await api("POST", `/api/assignments/${assignment.id}/mentions/`, { body: payloadOf(mention) });
    Object.assign(mention, { id: saved.id, version: saved.version });
    if (assignment.status === "assigned") setStatusChip("in_progress");
  } else if (op.kind === "patch") {
    if (!mention || mention.id === null) return;
    const { data: saved } = await api("PATCH", `/api/mentions/${mention.id}/`, { body: fieldsPayload(op.fields), ifMatch: mention.version });
    mention.version = saved.version;
  } else if (op.kind === "delete") {
    if (mention.id === null) return; // never reached the server
    await api("DELETE", `/api/mentions/${mention.id}/`, { ifMatch: mention.version });
  } else if (op.kind === "article-stance-patch") {
    const stored = articleStances.get(op.claim.id);
    const { data: saved } = await api("PATCH", `/api/article-stances/${stored.id}/`, { body: { stance: op.stance }, ifMatch: stored.version });
    articleStances.set(op.claim.id, saved);
  } else if (op.kind === "article-stance") {
    const { data: saved } = await api("POST", `/api/assignments/${assignment.id}/article-stances/`,
      { body: { claim_id: op.claim.id, stance: op.stance } });
    articleStances.set(op.claim.id, saved);
    if (assignment.status === "assigned") setStatusChip("in_progress");
  } else if (op.kind === "accept") {
    // The mention is on the page (and open) already: keys pressed meanwhile queue their changes behind this.
    const { data: saved } = await api("POST", `/api/assignments/${assignment.id}/suggestions/${op.suggestion.id}/accept/`);
    Object.assign(mention, { id: saved.id, version: saved.version, acceptedId: saved.id });
    if (mention.speaker && mention.speaker.id === null) mention.speaker = saved.speaker; // created by the accept
    if (assignment.status === "assigned") setStatusChip("in_progress");
    render();
  } else if (op.kind === "reject") {
    await api("POST", `/api/assignments/${assignment.id}/suggestions/${op.suggestion.id}/reject/`);
  } else if (op.kind === "undecide") {
    const url = `/api/assignments/${assignment.id}/suggestions/${op.suggestion.id}/decision/`;
    if (mention && mention.id !== null && mention.id === mention.acceptedId) {
      await api("DELETE", url, { ifMatch: mention.version }); // deletes the accepted mention, if unchanged
    } else {
      await api("DELETE", url, { ifMatch: "*" }); // a rejection, or an acceptance whose mention was remade
      if (mention && mention.id !== null) await api("DELETE", `/api/mentions/${mention.id}/`, { ifMatch: mention.version });
    }
  } else if (op.kind === "decide-many") {
    const { data: decided } = await api("POST", `/api/assignments/${assignment.id}/suggestions/decisions/`,
      { body: { ids: op.ids, decision: op.decision } });
    const made = [];
    for (const { suggestion, mention } of decided.results) {
      const s = suggestions.get(suggestion) || op.drafts.get(suggestion);
      suggestions.delete(suggestion);
      if (mention) made.push({ s, key: mentions.add({ ...mention, acceptedId: mention.id }).key });
      else made.push({ s, key: undefined });
    }
    if (!suggestions.has(openSuggestion)) openSuggestion = null;
    if (op.decision === "accepted" && assignment.status === "assigned") setStatusChip("in_progress");
    status.show(`${op.decision === "accepted" ? "Accepted" : "Rejected"} ${op.what}.`, "ok");
    // One step of undo for the whole action: each decision is withdrawn as a single accept's or reject's undo
    // is (an accepted mention goes only while it is still at the version the server gave it: If-Match). A redo
    // makes new mentions, so the step keeps the latest `made`.
    if (op.step) {
      op.step.made = made;
    } else {
      const step = { made };
      history.record({ label: op.what, keys: made.flatMap(({ s, key }) => [`s${s.id}`, ...(key ? [`m${key}`] : [])]),
        undo: () => {
          step.made.forEach(({ s, key }) => returnSuggestion(s, key, { focus: false }));
          render();
        },
        redo: () => decideMany(step.made.map(({ s }) => s.id), op.decision, op.what, step) });
    }
    render();
  } else if (op.kind === "article-stance-delete") {
    const current = articleStances.get(op.claim.id);
    if (!current || !current.id) return;
    await api("DELETE", `/api/article-stances/${current.id}/`, { ifMatch: current.version });
    articleStances.delete(op.claim.id);
  }
}

const WORK_RELEASED = "This work is no longer yours: a manager gave it back to the pool, so nothing more is saved "
  + "here. Your projects page shows the work that is yours now.";

/** Whether this assignment is gone (404): a manager released it, and its labels with it. */
async function workGone() {
  try {
    await api("GET", `/api/assignments/${assignment.id}/`);
    return false;
  } catch (error) {
    return error instanceof ApiError && error.status === 404;
  }
}

/** The server refused `op` (the queue has dropped it and the later changes to the same mention). */
async function refused(op, error) {
  if (error.status === 404 && (await workGone())) {
    status.show(WORK_RELEASED, "warn");
    return;
  }
  const mention = mentionOf(op);
  const undoing = op.replay ? `Not ${op.replay === "undo" ? "undone" : "redone"}: ` : "";
  if (error.status === 412) {
    status.show(`${undoing}Someone else changed this ${op.claim ? "stance" : "mention"} meanwhile; showing their latest version.`, "warn");
  } else {
    status.show(`${undoing || (op.kind === "accept" ? "Not accepted: " : "Not saved: ")}${error.message}`, "warn");
  }
  // The page's idea of this thing was wrong: no step may replay it.
  if (op.key !== undefined) history.forget(`m${op.key}`);
  if (op.suggestion) history.forget(`s${op.suggestion.id}`);
  if (op.claim) history.forget(`c${op.claim.id}`);
  const current = op.key !== undefined && mentions.get(op.key) === mention;
  if ((op.kind === "create" || op.kind === "accept") && current) {
    mentions.delete(op.key);
    if (openKey === op.key) closeEditor();
  }
  if (op.kind === "delete" || op.kind === "undecide") {
    if (mention && mention.id !== null) {
      try {
        const { data: latest } = await api("GET", `/api/mentions/${mention.id}/`);
        mentions.set(op.key, { ...latest, key: op.key }); // it is still there (changed by someone else): show it again
      } catch { /* already gone */ }
    }
  } else if (op.kind === "patch" && mention && mention.id !== null) {
    try {
      const { data: latest } = await api("GET", `/api/mentions/${mention.id}/`);
      Object.assign(mention, latest);
    } catch (reloadError) {
      if (reloadError instanceof ApiError && reloadError.status === 404 && current) mentions.delete(op.key);
    }
  }
  if (op.suggestion || op.ids) await reloadSuggestions(); // decided elsewhere meanwhile, or not possible: show the server's
  if (op.kind.startsWith("article-stance")) {
    try {
      const { data: latest } = await api("GET", `/api/assignments/${assignment.id}/article-stances/?page_size=500`);
      articleStances.clear();
      latest.results.forEach((s) => articleStances.set(s.claim.id, s));
    } catch { /* the next successful save will show the state */ }
  }
  render();
}

/** The server's pending suggestions, but for those a waiting change decides or undecides here. */
async function reloadSuggestions() {
  try {
    const { data: pending } = await api("GET", `/api/assignments/${assignment.id}/suggestions/`);
    const waiting = saves.waiting().filter((op) => op.suggestion);
    const deciding = new Set(waiting.filter((op) => op.kind !== "undecide").map((op) => op.suggestion.id));
    suggestions.clear();
    for (const s of pending) if (!deciding.has(s.id)) suggestions.set(s.id, s);
    for (const op of waiting) if (op.kind === "undecide") suggestions.set(op.suggestion.id, op.suggestion);
  } catch { /* shown as it was; the next change tells */ }
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

lightMentions(bodyEl, $("#mention-list")); // hover or focus lights one mention alone
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
function decorateMarks(span, marks, edges) {
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
      if (mark.m.key === openKey) classes.add(mark.cls === "hl-content" ? "hl-active" : "hl-active-part");
      const role = { "hl-content": "claim", "hl-source": "speaker named", "hl-cue": "cue" }[mark.cls];
      titles.push(`${role}: ${describe(mark.m)}`);
    }
  }
  markEdges(classes, marks, edges);
  span.className = [...classes].join(" ");
  if (classes.has("hl-active")) span.setAttribute("aria-current", "true");
  if (keys.length) span.dataset.keys = [...new Set(keys)].join(" ");
  if (titles.length) span.title = [...new Set(titles)].join("\n");
}

// --- suggestions from the pre-annotator (grouped, folding, decided many at once: suggestion_groups.js) ----
const suggestionPanel = new SuggestionPanel({
  list: $("#suggestion-list"), tools: $("#suggestion-tools"), canEdit,
  open: (id) => focusSuggestion(id, { scroll: true }), decide, decideMany,
  meets: (s) => suggestionMeets(s, mentions.values()), // "already marked" / "overlaps a mention" on its card
});

function renderSuggestions() {
  const waiting = new Set(saves.waiting().flatMap((op) => (op.suggestion ? [op.suggestion.id] : op.ids || [])));
  suggestionPanel.render(suggestions.values(), { openId: openSuggestion, waiting });
  $("#suggestion-count").textContent = suggestions.size ? `(${suggestions.size})` : "";
  $("#suggestions-panel").hidden = suggestions.size === 0;
}

/** One request decides `ids` ("accepted" | "rejected"); `what` names them for the status line. */
function decideMany(ids, decision, what, step = null) {
  if (!canEdit || !ids.length) return;
  // The drafts themselves, for undo: the server's answer names them by id, and they leave the page.
  const drafts = new Map(ids.filter((id) => suggestions.has(id)).map((id) => [id, suggestions.get(id)]));
  queue({ kind: "decide-many", ids, decision, what, drafts, step });
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
  if (kind === "accept") acceptSuggestion(suggestion);
  else rejectSuggestion(suggestion);
}

/** The mention accepting `s` makes, as the page shows it until the server answers. */
function mentionFrom(s) {
  const named = s.speaker_name ? { id: null, name: s.speaker_name, kind: s.speaker_kind || "person" } : null;
  return { start: s.start, end: s.end, text: s.text, source: s.source, cue: s.cue, quote_type: s.quote_type,
           speaker: s.speaker || named, claim: null, stance: null, id: null, version: 0 };
}

/** Accept `s`: its mention is on the page and open at once (and only it), saved behind earlier changes. */
function acceptSuggestion(s) {
  const { key } = mentions.add(mentionFrom(s));
  takeSuggestion(s, key, mentions.get(key));
  history.record({ label: "accept a suggestion", keys: [`m${key}`, `s${s.id}`],
    undo: () => returnSuggestion(s, key), redo: () => takeSuggestion(s, key, { ...mentionFrom(s), key }) });
}

function takeSuggestion(s, key, mention) {
  mentions.set(key, mention);
  suggestions.delete(s.id);
  queue({ kind: "accept", key, mention, suggestion: s });
  openMention(key); // the annotator goes on with claim and stance
}

function rejectSuggestion(s) {
  dropSuggestion(s);
  history.record({ label: "reject a suggestion", keys: [`s${s.id}`],
    undo: () => returnSuggestion(s), redo: () => dropSuggestion(s) });
}

function dropSuggestion(s) {
  suggestions.delete(s.id);
  if (openSuggestion === s.id) openSuggestion = null;
  queue({ kind: "reject", suggestion: s });
  render();
}

/** Undo of an accept (the mention `key` goes) or a reject: the suggestion is pending again, and open. */
function returnSuggestion(s, key, { focus = true } = {}) {
  const mention = key === undefined ? undefined : mentions.get(key);
  if (mention) mentions.delete(key);
  suggestions.set(s.id, s);
  queue({ kind: "undecide", key: mention ? key : undefined, mention, suggestion: s });
  if (focus) focusSuggestion(s.id, { scroll: true });
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
const spanHandles = new SpanHandles(bodyEl, index, units, { current, move: moveSpan, canEdit });

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
  queue({ kind: "create", key: local.key, mention: local });
  const { key } = local;
  let removed = null;
  history.record({ label: "add a mention", keys: [`m${key}`],
    undo: () => { removed = removeMention(key); }, redo: () => restoreMention(key, removed) });
  render();
  return local;
}

const FIELD_NAMES = { quote_type: "quote type", source: "speaker's name in the text", start: "span", end: "span", text: "span" };

/** Change a field of the open mention (saving a draft first), and send the change at once. */
function setField(name, value) {
  if (!canEdit) return;
  const mention = openKey !== null ? mentions.get(openKey) : null;
  if (!mention && draft) {
    draft[name] = value;
    if (name === "claim" && !value) draft.stance = null;
    return commitDraft();
  }
  if (!mention) return null;
  const fields = { [name]: value };
  if (name === "claim" && !value && mention.stance) fields.stance = null; // a stance needs a claim
  return changeMention(mention.key, fields, `change the ${FIELD_NAMES[name] || name}`);
}

/** Change `fields` of mention `key` (any of them: a span change too), send it, and record how to undo it. */
function changeMention(key, fields, label = "change a mention") {
  const mention = mentions.get(key);
  if (!mention || !canEdit) return null;
  const before = Object.fromEntries(Object.keys(fields).map((name) => [name, mention[name]]));
  Object.assign(mention, fields);
  queue({ kind: "patch", key, mention, fields: { ...fields } });
  history.record({ label, keys: [`m${key}`],
    undo: () => changeMention(key, before, label), redo: () => changeMention(key, fields, label) });
  if (openKey === key) render();
  else openMention(key); // an undo shows what it changed
  return mention;
}

/** Take mention `key` off the page and delete it on the server; returns it (for restoreMention). */
function removeMention(key) {
  const mention = mentions.get(key);
  if (!mention) return null;
  mentions.delete(key);
  queue({ kind: "delete", key, mention });
  if (openKey === key) closeEditor();
  else render();
  return mention;
}

/** Put a removed mention back under its key, as a new object (the old one's requests stay its own). */
function restoreMention(key, removed) {
  if (!removed) return;
  const restored = { ...removed, key, id: null, version: 0 };
  mentions.set(key, restored);
  queue({ kind: "create", key, mention: restored });
  openMention(key, { scroll: true });
}

function deleteOpen() {
  const mention = openKey !== null ? mentions.get(openKey) : null;
  if (!mention || !canEdit) return;
  const { key } = mention;
  let removed = removeMention(key);
  history.record({ label: "delete a mention", keys: [`m${key}`],
    undo: () => restoreMention(key, removed), redo: () => { removed = removeMention(key); } });
  status.offer("Mention deleted.", { label: "Undo", run: undo });
}

/** Ctrl+Z: take the latest change back (a real request, like any change). */
function undo() {
  if (!canEdit) return;
  status.withdraw();
  const step = history.undo();
  status.show(step ? `Undone: ${step.label}.` : "Nothing to undo.", "ok");
}

/** Ctrl+Shift+Z, Ctrl+Y: make the latest undone change again. */
function redo() {
  if (!canEdit) return;
  const step = history.redo();
  status.show(step ? `Redone: ${step.label}.` : "Nothing to redo.", "ok");
}

let editorShows = null; // the mention (or draft) the editor showed last
function renderEditor() {
  editor.dataset.key = openKey ?? ""; // which mention the editor's keys and buttons act on
  const m = current();
  if (m !== editorShows) picker.closeForm(); // the new-claim form belongs to the mention it was opened for
  editorShows = m;
  editor.hidden = !m;
  if (!m) { spanHandles.draw(); return; }
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
  spanHandles.draw();
}

/** Move the open mention's spans (span_edit.js): one change of start, end and text, or of its source or cue. */
function moveSpan(fields) {
  const m = current();
  if (!m || !canEdit) return;
  if (m === draft) {
    Object.assign(m, fields);
    render();
  } else {
    changeMention(m.key, fields, "move a span"); // one request with If-Match, and one step of undo
  }
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

/** Whether `target` is still what is open after a wait: a choice made for one mention never lands on another. */
function stillOpen(target) {
  if (current() === target) return true;
  status.show("Not set: another mention was opened meanwhile.", "warn");
  return false;
}

const speakerInput = $("#speaker-input");
const speakers = speakerBox({
  input: speakerInput, list: $("#speaker-options"), api, projectId: project.id, canEdit, current,
  setSpeaker: (speaker) => setField("speaker", speaker), stillOpen, failed: comboFailed, status,
  done: () => bodyEl.focus({ preventScroll: true }), // back to the text: the next key is a shortcut again
});

// From CLAIM_MATCH_THRESHOLD (annotator/settings.py): a claim scoring this (0–1) is offered before "track new".
const claimMatchThreshold = Number(main.dataset.claimMatchThreshold);
const picker = claimPicker({
  input: $("#claim-input"), list: $("#claim-options"), form: $("#claim-create"), api, projectId: project.id, canEdit,
  threshold: claimMatchThreshold, mentionText: () => (current() ? current().text : ""),
  target: current,
  failed: comboFailed, status,
  link(claim) {
    setField("claim", { id: claim.id, text: claim.text });
    $("#claim-input").value = "";
    bodyEl.focus({ preventScroll: true });
  },
});

// The article's own stance toward a claim no mention links: the same picker, with no mention's words.
claimPicker({
  input: $("#article-claim-input"), list: $("#article-claim-options"), form: $("#article-claim-create"), api,
  projectId: project.id, canEdit, threshold: claimMatchThreshold, mentionText: () => "",
  target: () => null, failed: comboFailed, status,
  link(claim) {
    extraClaims.set(claim.id, { id: claim.id, text: claim.text });
    $("#article-claim-input").value = "";
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
  if (!canEdit) return;
  const existing = articleStances.get(claim.id);
  const before = existing ? existing.stance : null;
  const after = before === value ? null : value; // a second click clears it
  applyArticleStance(claim, after);
  history.record({ label: "set the article's stance", keys: [`c${claim.id}`],
    undo: () => applyArticleStance(claim, before), redo: () => applyArticleStance(claim, after) });
}

/** Set (null: clear) the article's stance toward `claim`: a stored one changes with If-Match. */
function applyArticleStance(claim, value) {
  const existing = articleStances.get(claim.id);
  const stored = existing && existing.id && existing.stance !== null; // not one waiting to be deleted
  if (value === null) {
    if (!existing || existing.stance === null) return;
    queue({ kind: "article-stance-delete", claim });
  } else if (stored) {
    queue({ kind: "article-stance-patch", claim, stance: value });
  } else {
    queue({ kind: "article-stance", claim, stance: value });
  }
  articleStances.set(claim.id, { ...(existing || { claim }), stance: value });
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
    if (field === "source" && !current().speaker) speakers.open(); // the words just selected, to find or create
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

// A keyboard selection opens a draft at once, as a mouse one does; while marking a source or cue it waits
// for Enter, so that it can grow word by word first.
const caret = new Caret(bodyEl, units, { selected: () => { if (!markMode) takeSelection(); } });

// --- keyboard (the table is in keys.js; the caret's and span edges' keys in their modules) -------------
const keyTable = annotateKeys({
  stanceLabels: mentionLabels,
  undo,
  redo,
  current,
  hasDraft: () => Boolean(draft),
  hasOpenMention: () => openKey !== null,
  openSuggestion: () => (openSuggestion !== null && suggestions.has(openSuggestion) ? suggestions.get(openSuggestion) : null),
  submit,
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
  focusSpeaker: () => speakers.open(),
  focusClaim: () => picker.open(),
  step: stepMention,
}).concat(suggestionKeys(suggestionPanel, {
  openSuggestionId: () => openSuggestion,
  open: (id) => focusSuggestion(id, { scroll: true }),
}, RANK.MENTION));
const allKeys = [
  ...caretKeys(caret, { marking: () => markMode !== null, takeSelection }),
  ...spanKeys(spanHandles, { editing: () => canEdit && Boolean(current()) }),
  ...keyTable,
];

function stepMention(step) {
  const list = mentions.sorted();
  if (!list.length) return;
  const at = list.findIndex((m) => m.key === openKey);
  const next = list[(at + step + list.length) % list.length];
  openMention(next.key, { scroll: true });
  caret.moveTo(index.toU16(next.start)); // the arrows go on from the mention just opened
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
$("#reopen-button").addEventListener("click", reopen);
$("#skip-button").addEventListener("click", () => $("#skip-dialog").showModal());
$("#skip-cancel").addEventListener("click", () => $("#skip-dialog").close());
$("#skip-form").addEventListener("submit", (event) => {
  const reason = $("#skip-reason").value.trim();
  if (!reason) { event.preventDefault(); $("#skip-reason").focus(); return; }
  finish("skipped", reason);
});

// --- submit, skip, next --------------------------------------------------------------------------
async function submit() {
  if (!canEdit || $("#submit-dialog").open) return;
  const gaps = gapsOf({
    mentions: mentions.sorted(), stanceRequired: mentionLabels.length > 0,
    suggestions: [...suggestions.values()].sort((a, b) => a.start - b.start),
  });
  if (gaps.length && !(await confirmSubmit($("#submit-dialog"), gaps))) return;
  await finish("submitted");
}

async function reopen() {
  try {
    const { version } = await api("GET", `/api/assignments/${assignment.id}/`);
    await api("PATCH", `/api/assignments/${assignment.id}/`, { body: { status: "in_progress" }, ifMatch: version });
    window.location.reload(); // the page is drawn again as open work
  } catch (error) {
    if (error instanceof ApiError) status.show(`Not reopened: ${error.message}`, "warn");
    else throw error;
  }
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
$("#help-dialog table.keys").replaceChildren(el("tbody", {}, ...helpRows(allKeys)));
listenForKeys(allKeys);
watchSelections();
if (!canEdit) {
  $("#readonly-note").hidden = false;
  for (const id of ["#submit-button", "#skip-button", "#article-claim-input"]) $(id).disabled = true;
}
render();
performance.mark("annotate:drawn"); // the article and the sidebar are on the page (bench/annotate_long_article.py)
bodyEl.dataset.ready = "true";
