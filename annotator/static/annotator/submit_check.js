// Before work is handed in: what is still incomplete by the project's rules (a mention without a
// speaker, a tracked claim, or a stance when the project has stance labels for mentions; a suggestion
// neither accepted nor rejected), shown in a dialog that asks to confirm. Enter submits anyway, Escape
// goes back to the article. Complete work is submitted without a question.

const QUOTE_CHARS = 60;

function quoted(text) {
  const chars = [...text];
  return `“${chars.length > QUOTE_CHARS ? `${chars.slice(0, QUOTE_CHARS - 1).join("")}…` : text}”`;
}

function counted(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The gaps of the work on the page: [{ what, texts }], in the order the rules are listed above.
 * `mentions` and `suggestions` are in text order; `stanceRequired` is whether the project labels a
 * mention's stance at all.
 */
export function gapsOf({ mentions, suggestions, stanceRequired }) {
  const rules = [
    ["mention without a speaker", "mentions without a speaker", (m) => !m.speaker],
    ["mention without a tracked claim", "mentions without a tracked claim", (m) => !m.claim],
    ...(stanceRequired ? [["mention without a stance", "mentions without a stance", (m) => !m.stance]] : []),
  ];
  const gaps = [];
  for (const [one, many, lacks] of rules) {
    const texts = mentions.filter(lacks).map((m) => m.text);
    if (texts.length) gaps.push({ what: counted(texts.length, one, many), texts });
  }
  if (suggestions.length) {
    gaps.push({
      what: counted(suggestions.length, "suggestion neither accepted nor rejected", "suggestions neither accepted nor rejected"),
      texts: suggestions.map((s) => s.text),
    });
  }
  return gaps;
}

/** Show `gaps` in `dialog` (#submit-dialog) and resolve true when the annotator submits anyway. */
export function confirmSubmit(dialog, gaps) {
  const list = dialog.querySelector("#submit-gaps");
  list.replaceChildren(...gaps.map((gap) => {
    const li = document.createElement("li");
    const what = document.createElement("strong");
    what.textContent = gap.what;
    li.append(what, `: ${gap.texts.map(quoted).join(", ")}`);
    return li;
  }));
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "submit"), { once: true });
    dialog.showModal();
    dialog.querySelector("#submit-confirm").focus();
  });
}
