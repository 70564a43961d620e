"""The managers' progress dashboard: its figures against a hand computation, the CSV tables, who may
open it, its query count, and that names typed by users come out escaped."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator.charts import Bar, Group, Series, bar_chart, grouped_bar_chart, line_chart
from annotator.pages.dashboard import neutralise
from claims.models import Assignment, Role
from claims.reads.dashboard import annotator_figures, overall_progress, stance_distribution, weekly_agreement
from claims.services.assignments import article_queue_settings, assignment_next, assignment_skip, assignment_submit
from claims.services.labels import article_stance_set
from tests.builders import (
    add_member,
    make_article,
    make_assignment,
    make_claim,
    make_mention,
    make_project,
    make_user,
)

QUOTE, REPORTED, OFFICIALS = "We will not back down", "called the plan reckless", "Officials met on Tuesday"
WEEK_2 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # Monday of ISO week 2026-W02
WEEK_4 = datetime(2026, 1, 19, 9, 0, tzinfo=UTC)  # 2026-W04; nothing is submitted in W03


def submit(assignment: Assignment, *, started: datetime, minutes: float) -> None:
    """Submit through the service, then move the work to a controlled time (test data only)."""
    assignment_submit(assignment=assignment)
    Assignment.objects.filter(pk=assignment.pk).update(
        started_at=started, submitted_at=started + timedelta(minutes=minutes)
    )


def label(assignment, *mentions: tuple[str, object, str | None], stances: dict | None = None) -> None:
    for text, claim, stance in mentions:
        make_mention(assignment, text, claim=claim, stance=stance)
    for claim, stance in (stances or {}).items():
        article_stance_set(assignment=assignment, claim=claim, stance=stance)


@pytest.fixture
def dave(db):
    return make_user("dave")


@pytest.fixture
def worked(project, bob, carol, dave, rita):
    """Four articles, overlap 2, worked on as follows (minutes from first label to submission):

    a1 (W02): Bob 10 min, Carol 30 min, the same two mentions (support, refute), no article stance.
              Rita's gold: submitted, one mention (support), article stance neutral -> a1 is reviewed.
    a2 (W04): Bob 20 min: QUOTE support, REPORTED refute, OFFICIALS without stance; X neutral, Y support.
              Carol 15 min: QUOTE refute, REPORTED support; X support, Y support.
              Rita's gold: in progress, one mention (refute) -> not reviewed, not counted.
    a3 (W04): Bob 60 min, nothing marked. Carol skipped it. Dave has it assigned.
    a4:       Dave in progress, one mention (support), not submitted.
    """
    add_member(project, dave, Role.ANNOTATOR)
    a1, a2, a3, a4 = (make_article(project, external_id=f"a{i}") for i in range(1, 5))
    x, y = make_claim(project, "Turkey will buy the S-400"), make_claim(project, "The plan is reckless")

    work, _ = assignment_next(project=project, user=bob)
    assert work.article == a1
    label(work, (QUOTE, x, "support"), (REPORTED, y, "refute"))
    submit(work, started=WEEK_2, minutes=10)
    work, _ = assignment_next(project=project, user=carol)
    label(work, (QUOTE, x, "support"), (REPORTED, y, "refute"))
    submit(work, started=WEEK_2 + timedelta(hours=1), minutes=30)

    work, _ = assignment_next(project=project, user=bob)
    assert work.article == a2
    label(
        work,
        (QUOTE, x, "support"),
        (REPORTED, y, "refute"),
        (OFFICIALS, None, None),
        stances={x: "neutral", y: "support"},
    )
    submit(work, started=WEEK_4, minutes=20)
    work, _ = assignment_next(project=project, user=carol)
    label(work, (QUOTE, x, "refute"), (REPORTED, y, "support"), stances={x: "support", y: "support"})
    submit(work, started=WEEK_4 + timedelta(days=2), minutes=15)

    work, _ = assignment_next(project=project, user=bob)
    assert work.article == a3
    submit(work, started=WEEK_4 + timedelta(days=3), minutes=60)
    work, _ = assignment_next(project=project, user=carol)
    assignment_skip(assignment=work, reason="Not news")
    work, _ = assignment_next(project=project, user=dave)
    assert work.article == a3
    label(make_assignment(a4, dave), (QUOTE, x, "support"))

    gold = make_assignment(a1, rita, is_gold=True)
    label(gold, (QUOTE, x, "support"), stances={x: "neutral"})
    assignment_submit(assignment=gold)
    label(make_assignment(a2, rita, is_gold=True), (QUOTE, x, "refute"))
    return project


# --- figures ----------------------------------------------------------------------------------------------------------


def test_per_annotator_counts_reviews_median_times_and_shares(worked):
    figures = {
        a.username: (a.assigned, a.in_progress, a.submitted, a.skipped, a.reviewed, a.median_minutes, a.share_percent)
        for a in annotator_figures(project=worked)
    }
    assert figures == {
        "bob": (0, 0, 3, 0, 1, 20.0, 60.0),  # median of 10, 20, 60
        "carol": (0, 0, 2, 1, 1, 22.5, 40.0),  # halfway between 15 and 30
        "dave": (1, 1, 0, 0, 0, None, 0.0),  # nothing submitted: the median is unknown
    }


def test_annotators_are_members_with_the_role_and_anyone_with_non_gold_work(project, alice, rita):
    article = make_article(project)
    assignment_submit(assignment=make_assignment(article, rita, is_gold=True))  # gold work makes no annotator
    rows = annotator_figures(project=project)
    assert [a.username for a in rows] == ["bob", "carol"]
    assert all(a.share is None and a.median_time is None for a in rows)  # nothing submitted yet
    make_assignment(article, alice)  # the manager annotates too
    assert [(a.username, a.assigned) for a in annotator_figures(project=project)] == [
        ("alice", 1), ("bob", 0), ("carol", 0),
    ]  # fmt: skip


def test_overall_progress(worked):
    progress = overall_progress(project=worked)
    assert (progress.articles, progress.needed, progress.submitted, progress.reviewed) == (4, 8, 5, 1)
    assert (progress.percent_submitted, progress.percent_reviewed) == (62, 25)


def test_agreement_per_iso_week_with_an_empty_week_between(worked):
    weeks = weekly_agreement(project=worked)
    assert [(w.label, w.starts.isoformat(), w.n_submissions, w.n_articles) for w in weeks] == [
        ("2026-W02", "2026-01-05", 2, 1),
        ("2026-W03", "2026-01-12", 0, 0),
        ("2026-W04", "2026-01-19", 3, 2),
    ]
    w02, w03, w04 = (w.figures for w in weeks)
    # W02: the same spans and stances -> full agreement; no article stance at all -> undefined.
    assert w02 == (1.0, 1.0, None)
    assert w03 == (None, None, None)
    # W04, on a2 (a3 has one submission only): spans 2 matched of 3 + 2 -> F1 = 4/5.
    # Mention stances: units {support, refute} and {refute, support}; n = 4, all 4 coincidences disagree,
    # expected n_s * n_r * 2 = 8 -> alpha = 1 - (n - 1) * 4 / 8 = -0.5 (OFFICIALS is a unit of one value).
    # Article stances: units {neutral, support}, {support, support}; D_o = 2/4, D_e = 1*3*2 / (4*3) -> alpha = 0.
    assert w04 == pytest.approx((0.8, -0.5, 0.0))
    assert w04[2] == 0.0 and w04[2] is not None


def test_weeks_follow_the_iso_calendar_across_new_year(project, bob):
    work = make_assignment(make_article(project), bob)
    submit(work, started=datetime(2027, 1, 1, 12, 0, tzinfo=UTC), minutes=5)  # a Friday in ISO week 2026-W53
    [week] = weekly_agreement(project=project)
    assert (week.label, week.starts.isoformat()) == ("2026-W53", "2026-12-28")


def test_no_submitted_work_means_no_weeks(project):
    assert weekly_agreement(project=project) == []


def test_stance_distribution_counts_submitted_work_and_submitted_gold_separately(worked):
    stances = stance_distribution(project=worked)
    assert [(c.value, c.annotators, c.gold) for c in stances.mentions] == [
        ("support", 4, 1), ("refute", 4, 0), ("neutral", 0, 0), ("query", 0, 0),
    ]  # fmt: skip
    assert [(c.value, c.annotators, c.gold) for c in stances.article_stances] == [
        ("support", 3, 0), ("refute", 0, 0), ("neutral", 1, 1), ("query", 0, 0), ("unrelated", 0, 0),
    ]  # fmt: skip
    assert stances.mentions_without_stance == (1, 0)
    assert (stances.mentions[0].name, stances.mentions[0].colour) == ("Support", "#2e7d32")


# --- the page --------------------------------------------------------------------------------------------------------


def test_the_page_shows_every_part(client, worked, alice):
    client.force_login(alice)
    html = client.get(f"/projects/{worked.pk}/dashboard/").content.decode()
    assert html.count('class="bar"') == 3 + 4 * 2 + 5 * 2  # annotators, mention labels × 2, article labels × 2
    assert html.count('class="point"') == 2 + 3 + 3  # W02 has two defined figures, W04 three, legend three
    assert '<title id="chart-agreement-title">Agreement per week of submission</title>' in html
    assert "22.5 min" in html and "unknown" in html and "-0.50" in html and "0.00" in html
    assert "Annotation: 5 of 8 submitted (62%)" in html and "Review: 1 of 4 articles with submitted gold (25%)" in html
    assert "Not counted: mentions without a stance (1 by annotators, 0 in gold work)" in html


def test_an_undefined_figure_is_a_gap_in_the_line_not_a_zero(worked, alice, client):
    client.force_login(alice)
    html = client.get(f"/projects/{worked.pk}/dashboard/").content.decode()
    paths = [part.split('"')[0] for part in html.split('class="line" d="')[1:]]
    assert len(paths) == 3
    # Span F1 and mention alpha: W02 and W04 are defined, W03 is not -> two separate moves, no line across.
    assert paths[0].count("M") == 2 and "L" not in paths[0]
    # Article alpha: only W04 (0.0, drawn at the zero line).
    assert paths[2].count("M") == 1


def test_home_links_to_the_dashboard_for_managers_and_reviewers_only(client, project, alice, rita, bob):
    link = f'href="/projects/{project.pk}/dashboard/"'
    for user, shown in ((alice, True), (rita, True), (bob, False)):
        client.force_login(user)
        assert (link in client.get("/").content.decode()) is shown, user.username


# --- CSV -------------------------------------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_csv_tables_have_a_header_and_the_page_numbers(client, worked, alice):
    client.force_login(alice)
    url = f"/projects/{worked.pk}/dashboard.csv?table="
    response = client.get(url + "annotators")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="newsroom-annotators.csv"'
    assert read_csv(response) == [
        ["annotator", "assigned", "in_progress", "submitted", "skipped", "reviewed", "median_minutes", "share_percent"],
        ["bob", "0", "0", "3", "0", "1", "20.0", "60.0"],
        ["carol", "0", "0", "2", "1", "1", "22.5", "40.0"],
        ["dave", "1", "1", "0", "0", "0", "", "0.0"],
    ]
    weekly = read_csv(client.get(url + "weekly_agreement"))
    assert weekly[0] == [
        "week", "week_starts", "submissions", "articles",
        "mention_spans_f1_overlap", "mention_stance_alpha", "article_stance_alpha",
    ]  # fmt: skip
    assert weekly[1:] == [
        ["2026-W02", "2026-01-05", "2", "1", "1.0", "1.0", ""],
        ["2026-W03", "2026-01-12", "0", "0", "", "", ""],
        ["2026-W04", "2026-01-19", "3", "2", "0.8", "-0.5", "0.0"],
    ]
    stances = read_csv(client.get(url + "stances"))
    assert stances[:2] == [
        ["layer", "label", "name", "annotators", "gold"],
        ["mentions", "support", "Support", "4", "1"],
    ]
    assert ["article_stances", "neutral", "Neutral", "1", "1"] in stances and len(stances) == 1 + 4 + 5
    assert read_csv(client.get(url + "progress")) == [
        ["articles", "needed", "submitted", "reviewed"],
        ["4", "8", "5", "1"],
    ]


def test_csv_asks_for_a_known_table(client, project, alice):
    client.force_login(alice)
    for query in ("", "?table=users", "?table="):
        response = client.get(f"/projects/{project.pk}/dashboard.csv{query}")
        assert response.status_code == 400
        assert "annotators|weekly_agreement|stances|progress" in response.content.decode()


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(client, alice):
    project = make_project(
        manager=alice,
        name="Injection",
        stance_labels=[
            {"value": "-minus", "name": '=HYPERLINK("http://evil")'},
            {"value": "plain", "name": "+SUM(A1)"},
            {"value": "tab", "name": "\tTAB"},
            {"value": "cr", "name": "\rCR"},
        ],
    )
    for username in ("@at", "=eq", "ok-name"):
        add_member(project, make_user(username), Role.ANNOTATOR)
    client.force_login(alice)
    url = f"/projects/{project.pk}/dashboard.csv?table="
    assert [row[0] for row in read_csv(client.get(url + "annotators"))[1:]] == ["'=eq", "'@at", "ok-name"]
    rows = read_csv(client.get(url + "stances"))[1:5]
    assert [row[1:3] for row in rows] == [
        ["'-minus", "'=HYPERLINK(\"http://evil\")"], ["plain", "'+SUM(A1)"], ["tab", "'\tTAB"], ["cr", "'\rCR"],
    ]  # fmt: skip


def test_numbers_are_never_quoted():
    assert neutralise(-0.5) == -0.5 and neutralise(-3) == -3 and neutralise(None) is None
    assert neutralise("-0.5") == "'-0.5"  # text, even text that looks like a number, is


# --- who may open it -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/projects/{pk}/dashboard/", "/projects/{pk}/dashboard.csv?table=progress"])
def test_access_anonymous_outsider_annotator_reviewer_manager(
    client, project, other_project, alice, bob, rita, charlie, path
):
    url = path.format(pk=project.pk)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    for user, status in ((charlie, 404), (bob, 403), (rita, 200), (alice, 200)):
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
    client.force_login(charlie)
    assert client.get(path.format(pk=other_project.pk)).status_code == 200  # charlie manages his own


# --- queries ---------------------------------------------------------------------------------------------------------


def project_of_size(manager, n_annotators: int, n_articles: int, n_weeks: int):
    project = make_project(manager=manager, name=f"Size {n_annotators}x{n_articles}", annotators_per_article=2)
    annotators = [make_user(f"ann{n_annotators}_{i}") for i in range(n_annotators)]
    for user in annotators:
        add_member(project, user, Role.ANNOTATOR)
    claim = make_claim(project)
    for i in range(n_articles):
        article = make_article(project)
        article_queue_settings(article=article, qualification=True)  # every article scores its annotators too
        for j in range(2):
            work = make_assignment(article, annotators[(i + j) % n_annotators])
            label(work, (QUOTE, claim, "support" if j else "refute"), stances={claim: "neutral"})
            submit(work, started=WEEK_2 + timedelta(weeks=i % n_weeks), minutes=5 + i)
        gold = make_assignment(article, manager, is_gold=True)
        label(gold, (QUOTE, claim, "support"))
        assignment_submit(assignment=gold)
    return project


def test_query_count_does_not_grow_with_annotators_articles_or_weeks(client, alice):
    small = project_of_size(alice, 2, 1, 1)
    large = project_of_size(alice, 6, 12, 5)
    client.force_login(alice)
    counts = {}
    for name, project in (("small", small), ("large", large)):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/projects/{project.pk}/dashboard/").status_code == 200
        counts[name] = len(queries)
    # 11 for the figures, 5 for the qualification items' scores, 6 for session, user, the first-password
    # check, project, history
    assert counts["small"] == counts["large"] <= 22, counts
    assert len(weekly_agreement(project=large)) == 5


# --- escaping --------------------------------------------------------------------------------------------------------

SCRIPT = "<script>alert('label')</script>"
IMG = '<img src=x onerror="alert(1)">'


def test_names_typed_by_users_are_escaped_in_the_svg_and_the_html(client, alice):
    project = make_project(
        manager=alice, name="Escapes", stance_labels=[{"value": "evil", "name": SCRIPT, "colour": "#123456"}]
    )
    annotator = make_user(IMG)
    add_member(project, annotator, Role.ANNOTATOR)
    claim = make_claim(project)
    work = make_assignment(make_article(project), annotator)
    label(work, (QUOTE, claim, "evil"))
    submit(work, started=WEEK_2, minutes=3)
    client.force_login(alice)
    html = client.get(f"/projects/{project.pk}/dashboard/").content.decode()
    assert SCRIPT not in html and IMG not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#x27;label&#x27;)&lt;/script&gt;" in html
    svg = html[html.index('<svg class="chart" id="chart-annotators"') :]
    assert svg.index("<title>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;: 1 (100%)</title>") < svg.index("</svg>")


def test_chart_helpers_escape_every_text_they_are_given():
    evil = "</text><script>x</script>"
    markup = str(bar_chart(chart_id="c1", title=evil, desc=evil, bars=[Bar(evil, 1, evil)]))
    markup += str(
        line_chart(chart_id="c2", title=evil, desc=evil, x_labels=[evil], series=[Series(evil, [0.5], "#000")])
    )
    markup += str(
        grouped_bar_chart(chart_id="c3", title=evil, desc=evil, groups=[Group(evil, "#000", [1])], series=[evil])
    )
    assert "<script>" not in markup and "</text><script>" not in markup
    assert markup.count("&lt;/text&gt;&lt;script&gt;") == 6 + 7 + 6  # every place each chart shows a text
