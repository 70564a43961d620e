"""On a phone (390×844) no page scrolls sideways, wide tables scroll inside their card, and the annotate
page's editor opens as a sheet at the foot of the screen, beside the selection, not below the whole article."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.browser.tour import ANNOTATE_STATES, CLOSING, build_site, open_editor_at_the_end, pages, wait_ready

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}

# The page's width, and the first elements that reach past the window (to tell where to look).
WIDTHS = """() => ({ scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth,
  past: [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > window.innerWidth)
    .slice(0, 3).map((e) => e.outerHTML.slice(0, 80)) })"""

SELECTED = """() => { const { top, bottom } = document.getSelection().getRangeAt(0).getBoundingClientRect();
  return { top, bottom }; }"""


def sideways(page) -> dict | None:
    widths = page.evaluate(WIDTHS)
    return widths if widths["scrollWidth"] > widths["innerWidth"] else None


def test_no_page_scrolls_sideways_on_a_phone(page, sign_in):
    site = build_site()
    page.set_viewport_size(PHONE)
    overflowing = {}
    page.goto("/accounts/login/")
    overflowing["sign-in"] = sideways(page)
    sign_in(site.manager)
    for name, path in pages(site).items():
        page.goto(path)
        wait_ready(page, name)
        overflowing[name] = sideways(page)
        screenshot(page, f"phone-{name.replace(' ', '-')}")
    for name, reach in ANNOTATE_STATES.items():
        reach(page, site)
        overflowing[name] = sideways(page)
    page.context.set_offline(False)
    wide = {name: widths for name, widths in overflowing.items() if widths}
    assert wide == {}, "\n".join(f"{name}: {widths}" for name, widths in wide.items())


def test_on_a_phone_the_editor_opens_beside_a_selection_at_the_end_of_a_long_article(page, sign_in):
    site = build_site()
    page.set_viewport_size(PHONE)
    sign_in(site.manager)

    open_editor_at_the_end(page, site)
    screenshot(page, "phone-annotate-editor")
    editor = page.locator("#editor").bounding_box()
    assert editor["y"] >= 0 and editor["y"] + editor["height"] <= PHONE["height"], editor
    assert editor["height"] <= PHONE["height"] * 0.6, "the sheet leaves the text in sight"
    # The words just selected stay in sight above the sheet.
    words = page.evaluate(SELECTED)
    assert words["top"] >= 0 and words["bottom"] <= editor["y"], (words, editor)
    assert CLOSING in page.inner_text("#editor-text")
    # The sheet scrolls within itself to its last control.
    page.locator("#add-mention").scroll_into_view_if_needed()
    button = page.locator("#add-mention").bounding_box()
    assert button["y"] + button["height"] <= PHONE["height"]
