"""axe-core checks every page and the annotate page's main states, on a desktop screen and on a phone's: no
critical and no serious violation. And the keyboard's focus shows on every element it reaches.

axe-playwright-python bundles axe.min.js, so the check runs offline. Its findings for every page are printed by
impact (and written to test-artifacts/axe-<screen>.txt); the Django admin and the Swagger page are third-party
markup, listed there with their counts but not asserted.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from tests.browser.tour import ANNOTATE_STATES, build_site, pages, wait_ready

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING = ("critical", "serious")
IMPACTS = ("critical", "serious", "moderate", "minor")
APART = {"Django admin": "/admin/", "API docs (Swagger)": "/api/docs/"}
SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"

axe = Axe()


class Audit:
    def __init__(self, page):
        self.violations = axe.run(page).response["violations"]

    def counts(self) -> Counter:
        counts = Counter()
        for violation in self.violations:
            counts[violation["impact"]] += len(violation["nodes"])
        return counts

    def blocking(self) -> list[str]:
        return [
            f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary']}"
            for v in self.violations if v["impact"] in BLOCKING for node in v["nodes"]
        ]  # fmt: skip

    def line(self, name: str) -> str:
        counts = self.counts()
        rules = ", ".join(f"{v['id']} ({v['impact']}, {len(v['nodes'])})" for v in self.violations)
        return f"{name:32} " + " · ".join(f"{impact} {counts[impact]}" for impact in IMPACTS) + f"   {rules}"


def report(audits: dict[str, Audit], apart: dict[str, Audit]) -> str:
    lines = ["axe-core violations (nodes) by impact", *(audit.line(name) for name, audit in audits.items())]
    lines += ["not asserted (third-party markup):", *(audit.line(name) for name, audit in apart.items())]
    return "\n".join(lines)


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_no_page_has_a_critical_or_serious_accessibility_violation(page, sign_in, screen):
    site = build_site()
    page.set_viewport_size(SCREENS[screen])
    audits = {}
    page.goto("/accounts/login/")
    audits["sign-in"] = Audit(page)
    sign_in(site.manager)
    for name, path in pages(site).items():
        page.goto(path)
        wait_ready(page, name)
        audits[name] = Audit(page)
    apart = {}
    for name, path in APART.items():
        page.goto(path)
        apart[name] = Audit(page)
    for name, reach in ANNOTATE_STATES.items():
        reach(page, site)
        audits[name] = Audit(page)
    page.context.set_offline(False)

    text = report(audits, apart)
    print(f"\n[{screen}] {text}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"axe-{screen}.txt").write_text(text + "\n")
    blocking = [f"{name}: {finding}" for name, audit in audits.items() for finding in audit.blocking()]
    assert blocking == [], text + "\n\n" + "\n".join(blocking)


# The focused element's outline against what lies just outside it (where the ring is drawn), as WCAG
# computes contrast; the worst of the four sides counts.
FOCUS_RING = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  // A date field's calendar button is the browser's own part: the field stays active, no longer :focus.
  if (!element.matches(":focus")) return { name: "browser part", style: "browser", width: 3, contrast: null };
  const style = getComputedStyle(element);
  const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const rgba = (css) => (css.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const backgroundOf = (node) => {
    for (; node && node.nodeType === 1; node = node.parentElement) {
      const [r, g, b, a = 1] = rgba(getComputedStyle(node).backgroundColor);
      if (a > 0.5) return [r, g, b];
    }
    return [255, 255, 255];
  };
  const ring = luminance(rgba(style.outlineColor));
  const rect = element.getBoundingClientRect();
  const gap = parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) / 2;
  const points = [[rect.left - gap, rect.top + rect.height / 2], [rect.right + gap, rect.top + rect.height / 2],
                  [rect.left + rect.width / 2, rect.top - gap], [rect.left + rect.width / 2, rect.bottom + gap]];
  const ratios = points.filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight).map(([x, y]) => {
    const under = document.elementsFromPoint(x, y).find((node) => node !== element && !element.contains(node));
    const back = luminance(backgroundOf(under));
    return (Math.max(ring, back) + 0.05) / (Math.min(ring, back) + 0.05);
  });
  const name = element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") +
    ((element.textContent || "").trim() ? " " + JSON.stringify(element.textContent.trim().slice(0, 30)) : "");
  return { name, style: style.outlineStyle, width: parseFloat(style.outlineWidth),
           contrast: ratios.length ? Math.min(...ratios) : null };
}"""


def unclear_focus(page, tabs: int = 40) -> list[dict]:
    """Tab through the page; every element the keyboard reaches shows a solid ring of 2 px or more at 3:1."""
    unclear = []
    page.locator("body").focus()
    for _ in range(tabs):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS_RING)
        if ring is None:
            break
        if ring["style"] in ("none", "hidden") or ring["width"] < 2 or (ring["contrast"] or 3) < 3:
            unclear.append(ring)
    return unclear


def test_the_keyboard_focus_is_always_visible(page, sign_in):
    site = build_site()
    unclear = {}
    page.goto("/accounts/login/")
    unclear["sign-in"] = unclear_focus(page)
    sign_in(site.manager)
    for name, path in pages(site).items():
        page.goto(path)
        wait_ready(page, name)
        unclear[name] = unclear_focus(page)
    ANNOTATE_STATES["annotate, editor open"](page, site)
    page.locator("#editor-close").focus()
    unclear["annotate, editor open"] = unclear_focus(page)
    unclear = {name: rings for name, rings in unclear.items() if rings}
    assert unclear == {}, "\n".join(f"{name}: {rings}" for name, rings in unclear.items())
