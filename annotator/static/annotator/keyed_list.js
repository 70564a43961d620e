// Lists of cards (the mentions, the suggestions) updated in place: a card is built again only when what it
// shows changed, and moved only when the order changed. Rebuilding 300 mention cards and 500 suggestion
// cards on every change cost a long article a few hundred milliseconds per key press.

const built = new WeakMap(); // list element → Map(key → { sig, node })

/**
 * Make `list`'s children the cards of `items` ({ key, sig, build() → Element, update(node)? }), in that order. A
 * card whose key and `sig` (a string saying everything it shows) are unchanged is kept as it is; a changed one
 * is refilled by `update` when the item has one (the card keeps its place and the focus), else built again.
 */
export function showCards(list, items) {
  const before = built.get(list) || new Map();
  const now = new Map();
  let focused = null; // a card rebuilt while it held the focus hands the focus to its new self
  const nodes = items.map((item) => {
    const old = before.get(item.key);
    let card = old;
    if (old && old.sig !== item.sig && item.update) {
      item.update(old.node);
      card = { sig: item.sig, node: old.node };
    } else if (!old || old.sig !== item.sig) {
      card = { sig: item.sig, node: item.build() };
    }
    if (old && card !== old && old.node.contains(document.activeElement)) focused = card.node;
    now.set(item.key, card);
    return card.node;
  });
  built.set(list, now);
  let cursor = list.firstChild;
  for (const node of nodes) {
    if (node === cursor) cursor = cursor.nextSibling;
    else list.insertBefore(node, cursor);
  }
  // Moved before the old card goes: removing the element that has the focus costs a layout of the whole page.
  if (focused) (focused.querySelector("button") || focused).focus({ preventScroll: true });
  while (cursor) {
    const next = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}

/** Mark the one card of `list` whose `attribute` is `value` with the class `name` (none when value is null). */
export function markCard(list, name, attribute, value) {
  for (const node of list.querySelectorAll(`.${name}`)) {
    if (node.getAttribute(attribute) === String(value)) continue;
    node.classList.remove(name);
    node.querySelector("button")?.removeAttribute("aria-current");
  }
  if (value === null || value === undefined) return;
  const node = list.querySelector(`[${attribute}="${value}"]`);
  if (!node) return;
  node.classList.add(name);
  node.querySelector("button")?.setAttribute("aria-current", "true"); // the one open, for assistive technology too
}
