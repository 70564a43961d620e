// On a narrow screen the editor is a sheet fixed at the foot of the window (app.css). When it opens, the
// words it is about may lie under it: scroll them into the part of the page still in sight. The page's
// scroll-padding keeps "in sight" above the sheet, so `nearest` moves the page only as far as needed.

export function keepTextAboveSheet(editor, body) {
  const opened = () => {
    if (editor.hidden || getComputedStyle(editor).position !== "fixed") return;
    const mark = [...body.querySelectorAll(".hl-draft, .hl-active, .hl-pending-active")].pop();
    const selection = document.getSelection();
    const target = mark || (selection.rangeCount && body.contains(selection.anchorNode) ? selection.getRangeAt(0) : null);
    if (!target) return;
    const { top, bottom } = target.getBoundingClientRect();
    if (top >= 0 && bottom <= editor.getBoundingClientRect().top) return;
    if (mark) mark.scrollIntoView({ block: "nearest" });
    else window.scrollBy(0, bottom - editor.getBoundingClientRect().top + 16);
  };
  new MutationObserver((records) => {
    if (records.some((record) => record.oldValue !== null)) opened();
  }).observe(editor, { attributes: true, attributeFilter: ["hidden"], attributeOldValue: true });
}
