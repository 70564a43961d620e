"""Every page, in a real browser, with markup in every user-typed field: nothing runs, nothing is injected."""

import pytest

from tests.security_world import SCRIPT, build_hostile_world, pages

pytestmark = pytest.mark.django_db(transaction=True)

INJECTED = "img[onerror], [onclick], a[href^='javascript'], script:not([src]):not([type='application/json'])"


def test_no_page_runs_or_injects_user_text(page, sign_in, live_server):
    world = build_hostile_world()
    for path, user in pages(world):
        page.context.clear_cookies()
        sign_in(user)
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.locator(INJECTED).count() == 0, path
        assert page.dialogs == [], f"a script ran on {path}"
    # The places where the payload is shown as text, to be sure it was on the pages at all.
    page.goto(f"/assignments/{world.work.pk}/")
    page.wait_for_selector("#article-body[data-ready=true]")
    assert SCRIPT in page.inner_text("#article-body")
    page.click("#open-guidelines")
    assert page.locator(".guidelines script, .guidelines img").count() == 0
