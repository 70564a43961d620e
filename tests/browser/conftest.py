"""Browser tests: Playwright drives the system Chromium (Debian package `chromium`) against a live server.

Where no Chromium is installed these tests are skipped with a plain message (and only these).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

# Playwright's sync API keeps an event loop running in the test thread; the test's own database
# calls are still plain synchronous code, so Django's guard against async misuse does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
NO_CHROMIUM = "Chromium is not installed (apt-get install chromium): browser tests skipped."

# As the machine's notes advise: no sandbox as root, and no background traffic on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM:
                item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context at 1280×800; JavaScript errors on the page fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server.url)
    page = context.new_page()
    page.errors = []
    page.dialogs = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))

    def on_dialog(dialog):
        page.dialogs.append((dialog.type, dialog.message))
        dialog.dismiss()

    page.on("dialog", on_dialog)
    # Requests the page still has in flight when the test ends: the live server answers them on its own
    # thread, and one that reads while the test database is being emptied can deadlock with it.
    in_flight = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    page.set_default_timeout(10_000)
    yield page
    for _ in range(100):  # at most about 5 s
        if not in_flight:
            break
        page.wait_for_timeout(50)
    context.close()
    assert page.errors == [], f"JavaScript errors on the page: {page.errors}"


@pytest.fixture
def sign_in(page, live_server):
    """Put a real session for a user into the browser (the login form has its own test)."""

    def sign_in_as(user):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
        )

    return sign_in_as


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
