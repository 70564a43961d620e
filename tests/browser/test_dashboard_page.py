"""The progress dashboard in a real browser: the manager opens it and sees every chart, drawn without JavaScript."""

from datetime import UTC, datetime, timedelta

import pytest

from claims.models import Assignment, Role
from claims.services.assignments import assignment_skip, assignment_submit
from claims.services.labels import article_stance_set
from tests.browser.conftest import ARTIFACTS
from tests.builders import add_member, make_article, make_assignment, make_claim, make_mention, make_project, make_user

pytestmark = pytest.mark.django_db(transaction=True)

STANCES = ["support", "refute", "neutral", "query"]
FIRST_MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # ISO week 2026-W10


def submitted(work: Assignment, *, week: int, minutes: int) -> None:
    assignment_submit(assignment=work)
    started = FIRST_MONDAY + timedelta(weeks=week, hours=work.pk % 30)
    Assignment.objects.filter(pk=work.pk).update(started_at=started, submitted_at=started + timedelta(minutes=minutes))


def a_project_under_way():
    """Four annotators, twelve articles over five weeks (none submitted in the third), agreement rising;
    gold for four articles, and some work still open."""
    mia, rita = make_user("mia"), make_user("rita")
    project = make_project(manager=mia, name="Elections 2026", annotators_per_article=2)
    add_member(project, rita, Role.REVIEWER)
    team = [make_user(name) for name in ("amira", "bob", "carol", "dmitri")]
    for user in team:
        add_member(project, user, Role.ANNOTATOR)
    claim, other = make_claim(project, "Turkey will buy the S-400"), make_claim(project)
    articles = [make_article(project, external_id=f"e{i}") for i in range(14)]
    for i, article in enumerate(articles[:12]):
        week = [0, 1, 3, 4][i // 3]
        first, second = (make_assignment(article, team[(i + k) % 4]) for k in (0, 1))
        quote, reported = STANCES[i % 4], STANCES[(i + 1) % 4]
        make_mention(first, "We will not back down", claim=claim, stance=quote)
        make_mention(first, "called the plan reckless", claim=other, stance=reported)
        make_mention(second, "We will not back down", claim=claim, stance=quote if i % 3 else STANCES[(i + 2) % 4])
        make_mention(second, "called the plan reckless", claim=other, stance=reported if week > 1 else "query")
        if week == 0:
            make_mention(second, "Officials met on Tuesday")
        else:
            article_stance_set(assignment=first, claim=claim, stance="neutral")
            article_stance_set(assignment=second, claim=claim, stance="neutral" if i % 2 else "support")
            article_stance_set(assignment=first, claim=other, stance="refute")
            article_stance_set(assignment=second, claim=other, stance="refute")
        submitted(first, week=week, minutes=8 + 3 * i)
        submitted(second, week=week, minutes=25 - i)
        if i < 4:
            gold = make_assignment(article, rita, is_gold=True)
            make_mention(gold, "We will not back down", claim=claim, stance=quote)
            article_stance_set(assignment=gold, claim=claim, stance="neutral")
            assignment_submit(assignment=gold)
    make_mention(make_assignment(articles[12], team[3]), "We will not back down")
    make_assignment(articles[13], team[0])
    assignment_skip(assignment=make_assignment(articles[13], team[2]), reason="Opinion piece")
    return mia, project


def test_the_manager_sees_progress_agreement_and_stances_as_charts(page, sign_in, live_server):
    mia, project = a_project_under_way()
    sign_in(mia)
    page.goto("/")
    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_selector("svg.chart")
    assert page.url.endswith(f"/projects/{project.pk}/dashboard/")
    assert page.get_by_role("heading", name="Progress dashboard").is_visible()

    assert page.locator("#chart-annotators .bar").count() == 4
    assert page.locator("#chart-mention-stances .bar").count() == 4 * 2  # labels × (annotators, gold)
    assert page.locator("#chart-article-stances .bar").count() == 5 * 2
    agreement = page.locator("#chart-agreement")
    assert agreement.locator(".line").count() == 3
    assert agreement.locator("text", has_text="2026-W10").count() == 1
    assert page.get_by_role("img", name="Agreement per week of submission").is_visible()
    assert page.locator("#progress-submitted").get_attribute("value") == "24"
    assert page.locator("#progress-submitted").get_attribute("max") == "28"
    annotators = page.get_by_role("table").filter(has_text="Work per annotator")
    assert annotators.locator("tbody tr").count() == 4

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
