"""The agreement page: every figure of claims.agreement for the project, with its filters.

Same access as the progress dashboard (reviewers and managers). The figures are the API's
(`GET /api/projects/{id}/agreement/`), drawn for people: alpha per layer as a chart, then tables.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.dateparse import parse_date

from annotator.charts import Bar, bar_chart
from claims.access import REVIEWING, project_for
from claims.agreement import project_agreement
from claims.models import Assignment, AssignmentStatus, Claim, Speaker

LAYERS = [
    ("mention_speaker", "Speaker of matched mentions"),
    ("mention_stance", "Speaker's stance"),
    ("mention_quote_type", "Quote type"),
    ("mention_claim", "Tracked claim"),
    ("article_stance", "Article's own stance"),
]


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _day_start(day: dt.date | None, *, after: bool = False) -> dt.datetime | None:
    """Midnight UTC of the day (of the next day for an inclusive end date)."""
    if day is None:
        return None
    return dt.datetime.combine(day + dt.timedelta(days=1 if after else 0), dt.time(), tzinfo=dt.UTC)


def _date(raw: str | None) -> dt.date | None:
    try:
        return parse_date(raw or "")
    except ValueError:
        return None


@login_required
def agreement_page(request, pk: int):
    project = project_for(request.user, pk, REVIEWING)
    submitted = Assignment.objects.filter(article__project=project, is_gold=False, status=AssignmentStatus.SUBMITTED)
    everyone = sorted(set(submitted.values_list("annotator__username", flat=True)))
    chosen = [name for name in request.GET.getlist("annotator") if name in everyone]
    start, end = _date(request.GET.get("from")), _date(request.GET.get("to"))
    figures = project_agreement(
        project=project,
        annotators=list(get_user_model().objects.filter(username__in=chosen)) if chosen else None,
        submitted_from=_day_start(start),
        submitted_to=_day_start(end, after=True),
    )
    # Speakers and claims are compared by id; people read them by name.
    names = {
        "mention_speaker": {
            str(pk): name for pk, name in Speaker.objects.filter(project=project).values_list("pk", "name")
        },
        "mention_claim": {
            str(pk): text[:40] for pk, text in Claim.objects.filter(project=project).values_list("pk", "text")
        },
    }
    layers = [
        {
            "name": name,
            "figures": figures[key],
            "alpha": _figure(figures[key]["krippendorff_alpha_nominal"]),
            "fleiss": _figure(figures[key]["fleiss_kappa"]),
            "percent": _figure(figures[key]["percent_agreement"]),
            "confusion_labels": [names.get(key, {}).get(label, label) for label in figures[key]["confusion"]["labels"]],
            "confusion_rows": [
                {"label": names.get(key, {}).get(label, label), "cells": cells}
                for label, cells in zip(
                    figures[key]["confusion"]["labels"], figures[key]["confusion"]["matrix"], strict=True
                )
            ],
        }
        for key, name in LAYERS
    ]
    chart = bar_chart(
        chart_id="chart-alpha",
        title="Krippendorff's alpha per layer",
        desc="Nominal alpha of each layer on a 0 to 1 scale; an undefined or negative alpha draws no bar.",
        bars=[
            Bar(label=layer["name"], value=layer["figures"]["krippendorff_alpha_nominal"] or 0, text=layer["alpha"])
            for layer in layers
        ],
        maximum=1,
    )
    context = {"project": project, "figures": figures, "layers": layers, "chart": chart, "everyone": everyone,
               "chosen": chosen, "start": start, "end": end}  # fmt: skip
    return render(request, "projects/agreement.html", context)
