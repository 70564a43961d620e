"""The managers' progress dashboard: a page of charts and tables, and the same numbers as CSV.

Reviewers and managers of the project may open both; an annotator gets 403, anyone else 404 (the
project's existence is not revealed), and an anonymous visitor is sent to sign in.

CSV and spreadsheet formula injection: a spreadsheet opening the CSV runs a cell that begins with
=, +, - or @ as a formula (and tab or carriage return can smuggle one in). Text cells, which hold
what users typed (usernames, label values and names), get a single quote in front when they begin
with one of these, the OWASP advice; numbers are written as numbers and left alone, so a negative
alpha stays a number.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString

from annotator.charts import Bar, Group, Series, bar_chart, grouped_bar_chart, line_chart
from claims.access import REVIEWING, project_for
from claims.models import Project
from claims.reads.dashboard import (
    AnnotatorFigures,
    StanceCount,
    WeekAgreement,
    annotator_figures,
    overall_progress,
    project_dashboard,
    stance_distribution,
    weekly_agreement,
)
from claims.reads.qualification import LAYERS as QUALIFICATION_LAYERS
from claims.reads.qualification import qualification_results

UNKNOWN_TABLE = "Ask for one of these tables: ?table={tables}"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GOLD_SERIES = ("Annotators", "Gold")


# --- the page -------------------------------------------------------------------------------------------------------


def _percent(figures: AnnotatorFigures) -> str:
    return "—" if figures.share_percent is None else f"{figures.share_percent:.0f}%"


def _annotator_chart(annotators: list[AnnotatorFigures]) -> SafeString:
    return bar_chart(
        chart_id="chart-annotators",
        title="Submitted articles per annotator",
        desc="Horizontal bars: each annotator's submitted articles and their share of all submitted work.",
        bars=[Bar(a.username, a.submitted, f"{a.submitted} ({_percent(a)})") for a in annotators],
    )


def _agreement_chart(weeks: list[WeekAgreement]) -> SafeString:
    return line_chart(
        chart_id="chart-agreement",
        title="Agreement per week of submission",
        desc="Lines over ISO weeks: mean span F1 with overlap matching, and Krippendorff's alpha of mention "
        "stance and of article stance. A gap is a week where the figure is undefined.",
        x_labels=[week.label for week in weeks],
        series=[
            Series("Span F1 (overlap)", [w.mention_spans_f1_overlap for w in weeks], "#1f5fae"),
            Series("Mention stance α", [w.mention_stance_alpha for w in weeks], "#b3261e", "6 4", "square"),
            Series("Article stance α", [w.article_stance_alpha for w in weeks], "#2e7d32", "2 3", "triangle"),
        ],
    )


def _stance_chart(chart_id: str, title: str, counts: list[StanceCount]) -> SafeString:
    return grouped_bar_chart(
        chart_id=chart_id,
        title=title,
        desc="Grouped bars per stance label: the count in annotators' submitted work (solid) and in gold work "
        "(hatched).",
        groups=[Group(c.name, c.colour, (c.annotators, c.gold)) for c in counts],
        series=GOLD_SERIES,
    )


@login_required
def dashboard(request, pk: int):
    project = project_for(request.user, pk, REVIEWING)
    data = project_dashboard(project=project)
    charts = {"annotators": _annotator_chart(data.annotators), "agreement": _agreement_chart(data.weekly_agreement)}
    stance_parts = [
        (_stance_chart(chart_id, heading, counts), counts, heading)
        for chart_id, heading, counts in (
            ("chart-mention-stances", "Speakers' stances in mentions", data.stances.mentions),
            ("chart-article-stances", "Articles' own stances", data.stances.article_stances),
        )
    ]
    csv_links = [(table, table.replace("_", " ")) for table in CSV_TABLES]
    return render(
        request,
        "projects/dashboard.html",
        {
            "project": project, "data": data, "charts": charts, "stance_parts": stance_parts, "csv_links": csv_links,
            "qualification_layers": list(QUALIFICATION_LAYERS.items()),
        },
    )  # fmt: skip


# --- CSV ------------------------------------------------------------------------------------------------------------

Cell = str | int | float | None
Table = tuple[list[str], Iterable[list[Cell]]]


def neutralise(cell: Cell) -> Cell:
    """A text cell a spreadsheet would run as a formula, quoted (see the module docstring)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _annotators_table(project: Project) -> Table:
    header = [
        "annotator", "assigned", "in_progress", "submitted", "skipped", "reviewed", "median_minutes", "share_percent",
    ]  # fmt: skip
    rows = (
        [a.username, a.assigned, a.in_progress, a.submitted, a.skipped, a.reviewed, a.median_minutes, a.share_percent]
        for a in annotator_figures(project=project)
    )
    return header, rows


def _weekly_agreement_table(project: Project) -> Table:
    header = [
        "week", "week_starts", "submissions", "articles",
        "mention_spans_f1_overlap", "mention_stance_alpha", "article_stance_alpha",
    ]  # fmt: skip
    rows = (
        [w.label, w.starts.isoformat(), w.n_submissions, w.n_articles,
         w.mention_spans_f1_overlap, w.mention_stance_alpha, w.article_stance_alpha]
        for w in weekly_agreement(project=project)
    )  # fmt: skip
    return header, rows


def _stances_table(project: Project) -> Table:
    stances = stance_distribution(project=project)
    layers = (("mentions", stances.mentions), ("article_stances", stances.article_stances))
    rows = ([layer, c.value, c.name, c.annotators, c.gold] for layer, counts in layers for c in counts)
    return ["layer", "label", "name", "annotators", "gold"], rows


def _progress_table(project: Project) -> Table:
    p = overall_progress(project=project)
    return ["articles", "needed", "submitted", "reviewed"], [[p.articles, p.needed, p.submitted, p.reviewed]]


def _qualification_table(project: Project) -> Table:
    rows = (
        [a.username, a.items, layer, score.agreed, score.compared, score.accuracy]
        for a in qualification_results(project=project).annotators
        for layer, score in a.layers.items()
    )
    return ["annotator", "items", "layer", "agreed", "compared", "accuracy"], rows


CSV_TABLES: dict[str, Callable[[Project], Table]] = {
    "annotators": _annotators_table,
    "weekly_agreement": _weekly_agreement_table,
    "stances": _stances_table,
    "progress": _progress_table,
    "qualification": _qualification_table,
}


@login_required
def dashboard_csv(request, pk: int):
    project = project_for(request.user, pk, REVIEWING)
    table = request.GET.get("table")
    if table not in CSV_TABLES:
        return HttpResponseBadRequest(UNKNOWN_TABLE.format(tables="|".join(CSV_TABLES)), content_type="text/plain")
    header, rows = CSV_TABLES[table](project)
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition_header(True, f"{project.slug}-{table}.csv"),
        },
    )
    writer = csv.writer(response)
    writer.writerow(header)
    # None (an undefined figure, an unknown median) is an empty cell, as csv writes it.
    writer.writerows([neutralise(cell) for cell in row] for row in rows)
    return response
