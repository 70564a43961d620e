"""Running a project from the app alone: a new manager on an empty instance creates a project, sets its
stance labels and guidelines, creates an account for an annotator, imports articles, assigns one to the
annotator and marks another as a qualification item, and the annotator signs in with the one-time link and
starts on the article she was given. No page of /admin/ is ever requested, and axe-core
finds no critical or serious violation on any of the set-up pages on the way."""

from __future__ import annotations

import json

import pytest
from axe_playwright_python.sync_playwright import Axe

from claims.models import Article, Membership, Project
from tests.browser.conftest import screenshot
from tests.builders import make_user
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING = ("critical", "serious")
PASSWORD = "correct horse battery"
ARTICLE = {"external_id": "turnout-1", "title": "Turnout falls",
           "body": "“Turnout will recover,” the electoral commissioner said on Monday."}  # fmt: skip
QUALIFIER = {"external_id": "turnout-2", "title": "Polls close early",
             "body": "Polls will close early, the mayor said."}  # fmt: skip

axe = Axe()


def blocking_violations(page) -> list[str]:
    return [
        f"{page.url} {v['id']} ({v['impact']}): {node['target']}"
        for v in axe.run(page).response["violations"] if v["impact"] in BLOCKING for node in v["nodes"]
    ]  # fmt: skip


def test_a_new_manager_runs_a_project_without_the_admin(page, browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    make_user("mia", is_staff=True, is_superuser=True)  # the instance's only account, as `make run` leaves it
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    findings = []

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("mia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="New project").click()

    # 1. The project.
    findings += blocking_violations(page)
    page.get_by_label("Name").fill("Elections 2026")
    page.get_by_label("Description").fill("Who claimed what about turnout.")
    page.get_by_label("Annotators per article").fill("1")
    page.get_by_role("button", name="Create the project").click()
    project = Project.objects.get(name="Elections 2026")
    page.wait_for_url(f"**/projects/{project.pk}/labels/")

    # 2. Its stance labels: rename one, add one (its colour's contrast is checked as it is picked).
    findings += blocking_violations(page)
    page.locator("#label-3-name").fill("Question")
    page.get_by_role("button", name="Add another label").click()
    page.locator("#label-6-value").fill("sarcasm")
    page.locator("#label-6-name").fill("Sarcastic")
    page.locator("#label-6-colour").fill("#eeeeee")
    assert "too light against white" in page.locator("#label-6-contrast").inner_text()
    page.locator("#label-6-colour").fill("#6a1b9a")
    assert "too light" not in page.locator("#label-6-contrast").inner_text()
    page.locator("#label-6-fnc1").select_option("omit")
    page.get_by_role("button", name="Save labels").click()
    page.get_by_text("Stance labels saved.").wait_for()
    assert list(project.stance_labels.order_by("position").values_list("value", "name"))[-3:] == [
        ("query", "Question"), ("unrelated", "Unrelated"), ("sarcasm", "Sarcastic")]  # fmt: skip

    # 3. Its guidelines, with the live preview annotators will see.
    page.get_by_role("navigation", name="Project Elections 2026").get_by_role("link", name="Guidelines").click()
    page.get_by_label("Guidelines (Markdown)").fill("# Quotes\n\nMark **every** quote. <script>alert(1)</script>")
    page.locator("#guidelines-preview h1", has_text="Quotes").wait_for()
    assert page.locator("#guidelines-preview script").count() == 0
    findings += blocking_violations(page)
    page.get_by_role("button", name="Save guidelines").click()
    page.get_by_text("Guidelines saved.").wait_for()

    # 4. The team: an account for a new annotator, with a one-time sign-in link shown once.
    page.get_by_role("navigation", name="Project Elections 2026").get_by_role("link", name="Team").click()
    page.locator("#new-username").fill("nina")
    page.locator("#new-email").fill("nina@example.org")
    page.get_by_role("button", name="Create the account").click()
    link = page.get_by_label("Sign-in link", exact=True).input_value()
    findings += blocking_violations(page)
    screenshot(page, "running-a-project-team")
    page.reload()
    assert page.get_by_label("Sign-in link", exact=True).count() == 0
    assert Membership.objects.get(project=project, user__username="nina").role == "annotator"

    # 5. An article, imported on the data page.
    page.get_by_role("navigation", name="Project Elections 2026").get_by_role("link", name="Import & export").click()
    page.get_by_label("File", exact=True).set_input_files(
        files=[{"name": "articles.jsonl", "mimeType": "application/json",
                "buffer": f"{json.dumps(QUALIFIER)}\n{json.dumps(ARTICLE)}\n".encode()}]
    )  # fmt: skip
    page.get_by_role("button", name="Import").click()
    page.get_by_text("articles.jsonl is being imported").wait_for()
    run_jobs()
    article = Article.objects.get(project=project, external_id="turnout-1")
    qualifier = Article.objects.get(project=project, external_id="turnout-2")

    # 6. Assignment control: the second article becomes a qualification item, the first goes to Nina.
    page.get_by_role("navigation", name="Project Elections 2026").get_by_role("link", name="Assignments").click()
    findings += blocking_violations(page)
    page.locator(f"#qualification-{qualifier.pk}").check()
    page.locator(f"#qualification-{qualifier.pk}").locator("xpath=ancestor::form").get_by_role("button").click()
    page.locator(f"#qualification-{qualifier.pk}:checked").wait_for()
    page.locator(f"#assign-{article.pk}").select_option("nina")
    page.locator(f"#assign-{article.pk}").locator("xpath=ancestor::form").get_by_role("button").click()
    page.get_by_role("button", name=f"Release nina's work on {ARTICLE['title']}").wait_for()
    assert Article.objects.get(pk=qualifier.pk).is_qualification

    # 7. The settings page too, then the annotator's first sign-in and the article she was given.
    page.get_by_role("navigation", name="Project Elections 2026").get_by_role("link", name="Settings").click()
    findings += blocking_violations(page)
    nina = browser.new_context(base_url=live_server.url).new_page()
    nina.goto(link)
    nina.get_by_label("New password", exact=True).fill("nina's own password 1")
    nina.get_by_label("New password confirmation").fill("nina's own password 1")
    nina.get_by_role("button", name="Set my password and sign in").click()
    nina.get_by_role("heading", name="Elections 2026").wait_for()
    nina.get_by_role("button", name="Continue annotating").click()  # the article she was given
    nina.locator("#article-body[data-ready=true]").wait_for()
    assert "Turnout will recover" in nina.locator("#article-body").inner_text()
    nina.context.close()

    assert not [url for url in requested if "/admin/" in url]
    assert findings == []
