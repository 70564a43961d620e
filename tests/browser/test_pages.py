"""Sign-in, home, help and guidelines; markup in any user-supplied text shows as text and runs nothing;
every page carries a Content-Security-Policy without inline scripts."""

import pytest
from django.core.cache import cache

from claims.models import Role
from claims.services.labels import article_stance_set
from tests.browser.conftest import screenshot
from tests.browser.helpers import open_annotate, select_text
from tests.builders import (
    add_member,
    make_article,
    make_assignment,
    make_claim,
    make_mention,
    make_project,
    make_speaker,
    make_user,
)

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = "<script>alert('xss')</script>"
IMG = '<img src=x onerror="alert(1)">'


def test_home_shows_projects_with_progress_and_the_help_overlay(page, sign_in, live_server):
    mia = make_user("mia")
    project = make_project(manager=mia, name="Elections 2026", annotators_per_article=2)
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    articles = [make_article(project, external_id=f"e{i}") for i in range(4)]
    done = make_assignment(articles[0], bob)
    from claims.services.assignments import assignment_submit

    assignment_submit(assignment=done)
    make_mention(make_assignment(articles[1], bob))
    sign_in(bob)
    page.goto("/")
    card = page.get_by_role("region", name="Elections 2026")
    assert card.locator("progress").get_attribute("value") == "1"
    assert card.locator("progress").get_attribute("max") == "8"
    counts = card.get_by_label("Your work").inner_text()
    assert "In progress\n1" in counts and "Submitted\n1" in counts and "Remaining for you\n2" in counts
    screenshot(page, "home")

    page.get_by_role("link", name="Continue").click()
    page.wait_for_selector("#article-body[data-ready=true]")
    page.keyboard.press("?")
    assert page.get_by_role("dialog", name="Keyboard").is_visible()
    screenshot(page, "help")


def test_sign_in_form_and_its_errors(page, live_server):
    cache.clear()
    make_user("bob")
    page.goto("/")
    assert page.url.endswith("/accounts/login/?next=/")
    page.fill("#id_username", "bob")
    page.fill("#id_password", "wrong password")
    page.click("button[type=submit]")
    assert page.get_by_role("alert").inner_text().startswith("Your username and password did not match")
    page.fill("#id_username", "bob")
    page.fill("#id_password", "correct horse battery")
    page.click("button[type=submit]")
    assert page.get_by_role("heading", name="Your projects").is_visible()


def test_every_page_has_a_csp_without_inline_scripts(page, sign_in, live_server):
    mia = make_user("mia", is_staff=True)
    project = make_project(manager=mia)
    work = make_assignment(make_article(project), mia)
    sign_in(mia)
    for path in ["/", f"/assignments/{work.pk}/", "/api/docs/", "/accounts/password/"]:
        response = page.goto(path)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp, path


def test_markup_in_user_text_shows_as_text_and_runs_nothing(page, sign_in, live_server):
    mia = make_user("mia")
    project = make_project(
        manager=mia, name=f"Project {SCRIPT}", annotators_per_article=1,
        guidelines=f"# Rules\n\n{SCRIPT}\n\n{IMG}\n\n[click me](javascript:alert(2)) and <b onclick=alert(3)>bold</b>",
    )  # fmt: skip
    bob = make_user("bob")
    add_member(project, bob, Role.ANNOTATOR)
    body = f"Hello {SCRIPT} and {IMG} world. “We won,” said the mayor."
    article = make_article(project, body=body, title=f"Title {IMG}", source=f"Source {SCRIPT}")
    work = make_assignment(article, bob)
    speaker = make_speaker(project, f"Mayor {IMG}", aliases=[f"alias {SCRIPT}"])
    claim = make_claim(project, f"Claim {SCRIPT}")
    make_mention(work, "We won", speaker=speaker, claim=claim, stance="support")
    article_stance_set(assignment=work, claim=claim, stance="neutral")
    sign_in(bob)

    page.goto("/")
    assert page.get_by_role("heading", name=f"Project {SCRIPT}").is_visible()
    open_annotate(page, work)
    assert page.inner_text("#article-title") == f"Title {IMG}"
    assert SCRIPT in page.inner_text("#article-body") and IMG in page.inner_text("#article-body")
    assert page.locator("#article-body img, #article-body script").count() == 0
    page.keyboard.press("j")
    assert page.input_value("#speaker-input") == f"Mayor {IMG}"
    assert page.inner_text("#claim-text") == f"Claim {SCRIPT}"
    page.fill("#speaker-input", "Mayor")
    page.wait_for_selector("#speaker-options li")
    assert IMG in page.inner_text("#speaker-options")
    page.click("#open-guidelines")
    guidelines = page.locator(".guidelines")
    assert guidelines.locator("script, img, [onclick], a[href^='javascript']").count() == 0
    assert "bold" in guidelines.inner_text()
    page.keyboard.press("Escape")
    select_text(page, "world")
    page.wait_for_timeout(300)
    assert page.dialogs == [], "a script ran"
