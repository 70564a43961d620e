// The stance label editor: each colour's contrast against white (the annotate page draws a label as a
// coloured edge on white, and WCAG asks 3:1 of such a mark), updated as the colour changes, and a button
// that adds one more empty row to the form.

const MIN_CONTRAST = 3;

function luminance(hex) {
  const channels = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of a #rrggbb colour against white. */
export function contrastWithWhite(hex) {
  return 1.05 / (luminance(hex) + 0.05);
}

function showContrast(input) {
  const output = document.getElementById(input.getAttribute("aria-describedby"));
  if (!output || !/^#[0-9a-fA-F]{6}$/.test(input.value)) return;
  const ratio = contrastWithWhite(input.value);
  const low = ratio < MIN_CONTRAST;
  output.textContent = `${ratio.toFixed(1)}:1${low ? " — too light against white" : ""}`;
  output.classList.toggle("error", low);
}

function renumber(row, index) {
  for (const node of row.querySelectorAll("[id], [name], [for], [aria-describedby]")) {
    for (const attribute of ["id", "name", "for", "aria-describedby"]) {
      const value = node.getAttribute(attribute);
      if (value) node.setAttribute(attribute, value.replace(/^label-\d+-/, `label-${index}-`));
    }
  }
}

function addRow(rows, count) {
  const template = rows.querySelector("tr[data-new]");
  const row = template.cloneNode(true);
  const index = Number(count.value);
  renumber(row, index);
  for (const input of row.querySelectorAll("input[type=text]")) input.value = "";
  rows.append(row);
  count.value = String(index + 1);
  showContrast(row.querySelector("input[type=color]"));
  row.querySelector(".label-value").focus();
}

const rows = document.getElementById("label-rows");
const count = document.getElementById("label-count");
const add = document.getElementById("add-label");
if (rows && count) {
  rows.addEventListener("input", (event) => {
    if (event.target.matches("input[type=color]")) showContrast(event.target);
  });
  for (const input of rows.querySelectorAll("input[type=color]")) showContrast(input);
  add.hidden = false;
  add.addEventListener("click", () => addRow(rows, count));
}
