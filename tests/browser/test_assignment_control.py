"""A manager controls the work queue in the browser (priority, qualification item, assign, release), a reviewer
confirms a merge after seeing what moves, and sent-back work keeps its column on the review page."""

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from claims.models import Article, Assignment, Claim, ClaimMention, Role
from claims.services.assignments import assignment_reopen, assignment_submit
from tests.browser.conftest import screenshot
from tests.builders import add_member, make_article, make_assignment, make_claim, make_mention, make_project, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def blocking_violations(page) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']}: {n['target']}" for v in violations if v["impact"] in ("critical", "serious") for n in v["nodes"]
    ]


def test_a_manager_prioritises_assigns_and_releases_work(page, sign_in):
    mia, bob, carol = make_user("mia"), make_user("bob"), make_user("carol")
    project = make_project(manager=mia, name="Newsroom")
    add_member(project, bob, Role.ANNOTATOR)
    add_member(project, carol, Role.ANNOTATOR)
    quiz = make_article(project, title="Harbour works")
    idle = make_assignment(make_article(project, title="Port strike"), bob)
    make_mention(idle)
    Assignment.objects.filter(pk=idle.pk).update(updated_at=timezone.now() - timedelta(days=30))
    ClaimMention.objects.filter(assignment=idle).update(updated_at=timezone.now() - timedelta(days=30))
    sign_in(mia)

    page.goto("/")
    page.get_by_role("link", name="Assignments").click()
    page.wait_for_selector("h1:text('Assignments')")
    assert "1 open assignment with no sign of work" in page.locator("#stale-summary").inner_text()
    assert blocking_violations(page) == []
    screenshot(page, "assignments")

    row = page.locator(f"#article-{quiz.pk}")
    row.get_by_label("Priority of Harbour works").fill("10")
    row.get_by_label("qualification item").check()
    row.get_by_role("button", name="Save").click()
    page.wait_for_selector(".message:has-text('priority 10, qualification item')")
    quiz.refresh_from_db()
    assert (quiz.priority, quiz.is_qualification) == (10, True)
    # Highest priority first: the row moved to the top.
    assert page.locator("tbody tr").first.get_attribute("id") == f"article-{quiz.pk}"

    page.locator(f"#article-{quiz.pk}").get_by_label("Assign Harbour works to").select_option("carol")
    page.locator(f"#article-{quiz.pk}").get_by_role("button", name="Assign").click()
    page.wait_for_selector(".message:has-text('assigned to carol')")
    assert Assignment.objects.filter(article=quiz, annotator=carol).exists()

    page.get_by_role("button", name="Release bob's work on Port strike").click()
    page.wait_for_selector(".message:has-text('back in the pool')")
    assert not Assignment.objects.filter(pk=idle.pk).exists()
    assert page.locator("#release-stale").is_disabled()
    assert Article.objects.get(pk=idle.article_id).needs_annotators


def test_a_reviewer_sees_what_a_merge_moves_before_confirming_it(page, sign_in):
    mia, rita, bob = make_user("mia"), make_user("rita"), make_user("bob")
    project = make_project(manager=mia, name="Newsroom")
    add_member(project, rita, Role.REVIEWER)
    add_member(project, bob, Role.ANNOTATOR)
    duplicate = make_claim(project, "The plan is reckless")
    kept = make_claim(project, "The plan is dangerous")
    make_mention(make_assignment(make_article(project), bob), claim=duplicate, stance="refute")
    sign_in(rita)

    page.goto(f"/claims/{duplicate.pk}/")
    page.get_by_label("Merge this claim into").select_option(str(kept.pk))
    page.get_by_role("button", name="Merge…").click()
    page.wait_for_selector("h1:text('Merge this claim?')")
    assert "1 mention will point at the claim that stays" in page.locator(".merge-counts").inner_text()
    assert Claim.objects.get(pk=duplicate.pk).merged_into is None  # nothing moved yet
    assert blocking_violations(page) == []
    screenshot(page, "merge-confirmation")

    page.get_by_role("button", name="Merge the claims").click()
    page.wait_for_selector(".message:has-text('Claims merged')")
    assert page.url.endswith(f"/claims/{kept.pk}/")
    assert Claim.objects.get(pk=duplicate.pk).merged_into == kept


def test_sent_back_work_keeps_its_column_on_the_review_page(page, sign_in):
    mia, rita, bob, carol = (make_user(name) for name in ("mia", "rita", "bob", "carol"))
    project = make_project(manager=mia, name="Newsroom")
    for user in (bob, carol):
        add_member(project, user, Role.ANNOTATOR)
    add_member(project, rita, Role.REVIEWER)
    article = make_article(project, title="Minister stands firm")
    for user in (bob, carol):
        work = make_assignment(article, user)
        make_mention(work)
        done = assignment_submit(assignment=work)
    assignment_reopen(assignment=done, comment="Name the speaker.")  # carol's
    sign_in(rita)

    page.goto(f"/review/articles/{article.pk}/")
    page.wait_for_selector("main[data-ready=true]")
    heads = page.locator("#units thead th").all_inner_texts()
    assert heads[1] == "bob" and heads[2].startswith("carol") and "sent back" in heads[2]
    assert "Name the speaker." in heads[2]
    assert page.locator("#units tbody tr").count() == 1
