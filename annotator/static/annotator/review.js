// The review page: every annotator's labels on one article, lined up; differences named; one
// click copies a label into the gold version; mark reviewed; send work back with a comment.

import { ApiError } from "./api.js";
import { highlightedText } from "./highlights.js";
import { TextIndex } from "./offsets.js";
import { $, el, openPage } from "./page.js";
import { StatusLine } from "./status.js";

const { main, data, api } = openPage("main.review");
const labelName = new Map(data.project.stance_labels.map((label) => [label.value, label.name]));
const status = new StatusLine($("#status"), { fadeMs: 2000 });
let review = null;
let index = null;

// Work a reviewer sent back keeps its column, marked, while its annotator reworks it.
const OPEN = ["assigned", "in_progress"];
const sentBack = (assignment) => Boolean(assignment.sent_back_at) && OPEN.includes(assignment.status);
const compared = () => review.assignments.filter((a) => a.status === "submitted" || sentBack(a));

async function act(message, call) {
  try {
    await call();
    status.show(message);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    status.show(error.message, "warn");
  }
  await load();
}

async function load() {
  ({ data: review } = await api("GET", `/api/articles/${data.article_id}/review/`));
  index = index || new TextIndex(review.article.body);
  render();
}

// --- the article with everyone's marks -----------------------------------------------------------
function renderBody() {
  const units = review.units.map((unit, i) => ({ i, start: unit.start, end: unit.end, unit }));
  $("#review-body").replaceChildren(highlightedText(index, units, (span, covering) => {
    const differs = covering.some((u) => !u.unit.agreed);
    const gold = covering.some((u) => u.unit.gold);
    span.className = `unit ${differs ? "unit-differs" : "unit-agreed"}${gold ? " unit-gold" : ""}`;
    span.dataset.unit = covering[0].i;
    span.title = differs ? `Annotators differ: ${covering.flatMap((u) => u.unit.differs).join(", ")}` : "All annotators agree";
  }));
}

$("#review-body").addEventListener("click", (event) => {
  const target = event.target.closest("[data-unit]");
  if (!target) return;
  const row = document.getElementById(`unit-${target.dataset.unit}`);
  if (row) {
    row.scrollIntoView({ block: "center", behavior: "smooth" });
    row.classList.add("flash");
    setTimeout(() => row.classList.remove("flash"), 1200);
  }
});

// --- the units table ---------------------------------------------------------------------------
function mentionCell(mention, differs) {
  if (!mention) return el("td", { text: "— not marked", className: "none diff" });
  const part = (field, text, className = "") => {
    const node = el("span", { text, className: `${className} ${differs.includes(field) ? "diff" : ""}`.trim() });
    if (differs.includes(field)) node.title = `Annotators differ on the ${field.replace("_", " ")}`;
    return node;
  };
  const cell = el("td", { className: "mention-cell" });
  if (differs.includes("span")) cell.append(el("div", {}, part("span", `“${mention.text}”`, "quote-text")));
  cell.append(
    el("div", {}, part("speaker", mention.speaker ? mention.speaker.name : "outlet (no speaker)", "who")),
    el("div", { className: "small" },
      part("source", mention.source ? `as “${mention.source.text}”` : "not named"), " · ",
      part("cue", mention.cue ? `cue “${mention.cue.text}”` : "no cue")),
    el("div", { className: "small" },
      part("quote_type", mention.quote_type), " · ",
      part("stance", mention.stance ? labelName.get(mention.stance) || mention.stance : "no stance")),
    el("div", { className: "small muted" }, part("claim", mention.claim ? `→ ${mention.claim.text}` : "no claim")),
  );
  return cell;
}

async function ensureGold() {
  if (review.gold) return review.gold;
  const { data: gold } = await api("POST", `/api/articles/${data.article_id}/gold/`);
  return gold;
}

function copyButton(mention, unitIndex, annotator) {
  const gold = review.units[unitIndex].gold;
  const button = el("button", { text: "Copy to gold", attrs: { type: "button", "aria-label": `Copy ${annotator}'s mention to gold` } });
  const goldOpen = !review.gold || OPEN.includes(review.gold.status);
  button.disabled = !goldOpen || Boolean(gold);
  button.addEventListener("click", () => act("Copied into gold.", async () => {
    const target = await ensureGold();
    await api("POST", `/api/assignments/${target.id}/copy/`, { body: { mention_id: mention.id } });
  }));
  return button;
}

function columnHead(assignment) {
  const head = el("th", { attrs: { scope: "col" } }, el("span", { text: assignment.annotator }));
  if (sentBack(assignment)) {
    head.classList.add("sent-back");
    head.append(el("div", { className: "small warn", text: "sent back" }));
    if (assignment.review_comment) head.append(el("div", { className: "small muted", text: `“${assignment.review_comment}”` }));
  }
  return head;
}

function renderUnits() {
  const columns = compared();
  const annotators = columns.map((a) => a.annotator);
  const head = el("tr", {}, el("th", { text: "Where", attrs: { scope: "col" } }),
    ...columns.map(columnHead),
    el("th", { text: "Gold", attrs: { scope: "col" } }));
  const rows = review.units.map((unit, i) => {
    const where = el("th", { attrs: { scope: "row" } },
      el("div", { text: `“${index.slice(unit.start, unit.end).slice(0, 80)}”` }),
      el("div", { text: unit.agreed ? "all agree" : `differ: ${unit.differs.join(", ")}`, className: unit.agreed ? "ok small" : "warn small" }));
    const cells = annotators.map((name) => {
      const mention = unit.mentions[name];
      const cell = mentionCell(mention, unit.differs);
      if (mention) cell.append(copyButton(mention, i, name));
      return cell;
    });
    const goldCell = unit.gold ? mentionCell(unit.gold, []) : el("td", { text: "—", className: "none" });
    goldCell.classList.add("gold-cell");
    return el("tr", { attrs: { id: `unit-${i}` }, className: unit.agreed ? "" : "differs" }, where, ...cells, goldCell);
  });
  $("#units").replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
}

function renderStances() {
  const columns = compared();
  const annotators = columns.map((a) => a.annotator);
  const head = el("tr", {}, el("th", { text: "Claim", attrs: { scope: "col" } }),
    ...columns.map(columnHead),
    el("th", { text: "Gold", attrs: { scope: "col" } }));
  const goldOpen = !review.gold || OPEN.includes(review.gold.status);
  const rows = review.stances.map((row) => {
    const cells = annotators.map((name) => {
      const value = row.by[name];
      const cell = el("td", { text: value ? labelName.get(value) || value : "— none", className: row.differs ? "diff" : "" });
      const id = review.article_stance_ids[name]?.[String(row.claim.id)];
      if (id && goldOpen && row.gold !== value) {
        const button = el("button", { text: "Use", attrs: { type: "button", "aria-label": `Use ${name}'s stance as gold` } });
        button.addEventListener("click", () => act("Article stance copied into gold.", async () => {
          const gold = await ensureGold();
          await api("POST", `/api/assignments/${gold.id}/copy/`, { body: { article_stance_id: id } });
        }));
        cell.append(" ", button);
      }
      return cell;
    });
    return el("tr", { className: row.differs ? "differs" : "" },
      el("th", { text: row.claim.text, attrs: { scope: "row" } }), ...cells,
      el("td", { text: row.gold ? labelName.get(row.gold) || row.gold : "—", className: "gold-cell" }));
  });
  $("#stances").replaceChildren(el("thead", {}, head), el("tbody", {}, ...rows));
}

// --- sending work back, marking reviewed ------------------------------------------------------------
let sendBackTarget = null;

function renderSendBack() {
  const items = review.assignments.map((assignment) => {
    const button = el("button", { text: "Send back…", attrs: { type: "button" } });
    button.disabled = assignment.status !== "submitted";
    button.addEventListener("click", () => {
      sendBackTarget = assignment;
      $("#send-back-name").textContent = assignment.annotator;
      $("#send-back-comment").value = "";
      $("#send-back-dialog").showModal();
    });
    const comment = sentBack(assignment) ? ` — sent back${assignment.review_comment ? `: “${assignment.review_comment}”` : ""}` : "";
    return el("li", {}, button, el("span", { text: `${assignment.annotator}: ${assignment.status.replace("_", " ")}${comment}` }));
  });
  $("#send-back").replaceChildren(...items);
}

$("#send-back-cancel").addEventListener("click", () => $("#send-back-dialog").close());
$("#send-back-form").addEventListener("submit", (event) => {
  const comment = $("#send-back-comment").value.trim();
  if (!comment) { event.preventDefault(); return; }
  const target = sendBackTarget;
  act(`Sent back to ${target.annotator}.`, () => api("PATCH", `/api/assignments/${target.id}/`,
    { body: { status: "in_progress", review_comment: comment }, ifMatch: target.version }));
});

function renderToolbar() {
  const gold = review.gold;
  const open = gold && OPEN.includes(gold.status);
  const reviewed = gold && gold.status === "submitted";
  $("#review-status").textContent = reviewed ? "reviewed" : gold ? "gold in progress" : "not reviewed";
  $("#start-gold").hidden = Boolean(gold);
  $("#edit-gold").hidden = !open;
  if (open) $("#edit-gold").href = main.dataset.annotateUrl.replace("/0/", `/${gold.id}/`);
  $("#mark-reviewed").hidden = !open;
  $("#reopen-gold").hidden = !reviewed;
  const names = review.assignments.map((a) => `${a.annotator} (${a.status.replace("_", " ")})`);
  $("#review-annotators").textContent = names.length ? `Annotated by ${names.join(", ")}` : "Nobody has handed in work yet.";
}

$("#start-gold").addEventListener("click", () => act("Gold version started.", ensureGold));
$("#mark-reviewed").addEventListener("click", () => act("Marked reviewed.", () =>
  api("PATCH", `/api/assignments/${review.gold.id}/`, { body: { status: "submitted" }, ifMatch: review.gold.version })));
$("#reopen-gold").addEventListener("click", () => act("Gold reopened for editing.", () =>
  api("PATCH", `/api/assignments/${review.gold.id}/`, { body: { status: "in_progress", review_comment: "" }, ifMatch: review.gold.version })));

function render() {
  renderToolbar();
  renderBody();
  renderUnits();
  renderStances();
  renderSendBack();
  main.dataset.ready = "true";
}

load();
