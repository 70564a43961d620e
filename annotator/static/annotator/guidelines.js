// The guidelines editor's live preview: the server renders and sanitises the Markdown (annotator/markdown.py,
// as the annotate page shows it), so the preview is exactly what annotators will read and no unsafe HTML
// is ever produced here. Typing is debounced; an answer that arrives after a newer request is dropped.

const DELAY_MS = 300;

const form = document.querySelector(".guidelines-editor");
const text = document.getElementById("guidelines-text");
const preview = document.getElementById("guidelines-preview");
let timer = null;
let latest = 0;

async function refresh() {
  const mine = ++latest;
  const body = new URLSearchParams({ guidelines: text.value });
  try {
    const response = await fetch(form.dataset.preview, {
      method: "POST", body, credentials: "same-origin", headers: { "X-CSRFToken": form.dataset.csrf },
    });
    if (!response.ok || mine !== latest) return;
    const html = await response.text();
    if (mine === latest) preview.innerHTML = html; // sanitised by the server (nh3)
  } catch {
    // Offline: the preview waits for the next change; saving the form still works.
  }
}

if (form && text && preview) {
  text.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, DELAY_MS);
  });
  // Typed before this module ran (it loads after the page is shown): preview that at once.
  if (text.value !== text.defaultValue) refresh();
}
