"""A project's set-up without the Django admin: create it, its settings, its stance labels, its guidelines
(Markdown with a live preview, sanitised as annotators will see it), and archiving it.

Managers only (annotators and reviewers get 403, outsiders 404, as in the API); every write is one service
of claims/services/projects.py, whose messages come back on the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotator.markdown import render_markdown
from claims.access import MANAGING, project_for, require_project_creator
from claims.models import EmergentLabel, Fnc1Label, SemevalLabel
from claims.services.errors import RuleViolation
from claims.services.projects import project_archive, project_create, project_restore, project_update

PROJECT_CREATED = "{name} is ready: set its labels and guidelines, then add your team and import articles."
SETTINGS_SAVED = "Settings saved."
LABELS_SAVED = "Stance labels saved."
GUIDELINES_SAVED = "Guidelines saved."
ARCHIVED = "{name} is archived: read-only and hidden from its annotators. Exports still work."
RESTORED = "{name} is active again."
PREVIEW_MAX_CHARS = 200_000
LABEL_MAPPINGS = (("fnc1", "FNC-1", Fnc1Label), ("emergent", "Emergent", EmergentLabel),
                  ("semeval", "SemEval", SemevalLabel))  # fmt: skip


_LABEL_TEXT_FIELDS = ("value", "name", "shortcut", "colour", *(key for key, _, _ in LABEL_MAPPINGS))


def _settings_fields(post) -> dict:
    """The settings form's fields as the service takes them; an overlap that is not a number is passed on
    as it is, so that the service's own message names the problem."""
    overlap = post.get("annotators_per_article", "").strip()
    return {
        "name": post.get("name", ""),
        "description": post.get("description", ""),
        "annotators_per_article": int(overlap) if overlap.isdigit() else overlap,
        "blind_annotation": post.get("blind_annotation") == "on",
        "preannotate_on_import": post.get("preannotate_on_import") == "on",
    }


_FORM_FIELDS = ("name", "description", "annotators_per_article", "guidelines")


def _field_errors(request, error: RuleViolation) -> dict[str, list[str]]:
    """The messages of the form's own fields, to show beside them; any other (the project is archived, say)
    goes to the page's messages."""
    for field, field_messages in error.errors.items():
        if field not in _FORM_FIELDS:
            for message in field_messages:
                messages.error(request, message)
    return {field: list(field_messages) for field, field_messages in error.errors.items()}


@login_required
def project_new(request):
    require_project_creator(request.user)
    errors, values = {}, {"annotators_per_article": 2, "blind_annotation": True, "preannotate_on_import": True}
    if request.method == "POST":
        values = _settings_fields(request.POST)
        try:
            project = project_create(created_by=request.user, **values)
        except RuleViolation as error:
            errors = _field_errors(request, error)
        else:
            messages.success(request, PROJECT_CREATED.format(name=project.name))
            return redirect("project-labels", pk=project.pk)
    status = 400 if errors else 200
    return render(request, "projects/new.html", {"values": values, "errors": errors}, status=status)


@login_required
def project_settings(request, pk: int):
    project = project_for(request.user, pk, MANAGING)
    errors = {}
    if request.method == "POST":
        try:
            project_update(project=project, **_settings_fields(request.POST))
        except RuleViolation as error:
            errors = _field_errors(request, error)
        else:
            messages.success(request, SETTINGS_SAVED)
            return redirect("project-settings", pk=pk)
    context = {"project": project, "errors": errors, "values": request.POST if errors else None}
    return render(request, "projects/settings.html", context, status=400 if errors else 200)


def _posted_labels(post) -> list[dict]:
    """The label rows of the form, in their order: `label-<i>-<field>`; a row marked for removal, or a new
    row left empty, is not part of the set."""
    try:
        rows = min(int(post.get("label-count", "0")), 100)
    except ValueError:
        rows = 0
    labels = []
    for i in range(rows):
        row = {name: post.get(f"label-{i}-{name}", "").strip() for name in _LABEL_TEXT_FIELDS}
        if post.get(f"label-{i}-remove") == "on" or not row["value"]:
            continue
        row["colour"] = row["colour"] or "#546e7a"
        row["for_mentions"] = post.get(f"label-{i}-for_mentions") == "on"
        row["for_articles"] = post.get(f"label-{i}-for_articles") == "on"
        labels.append(row)
    return labels


@login_required
def project_labels(request, pk: int):
    project = project_for(request.user, pk, MANAGING)
    errors: list[str] = []
    labels = list(project.stance_labels.order_by("position", "value").values())
    if request.method == "POST":
        labels = _posted_labels(request.POST)
        try:
            project_update(project=project, stance_labels=labels)
        except RuleViolation as error:
            errors = [message for field_messages in error.errors.values() for message in field_messages]
        else:
            messages.success(request, LABELS_SAVED)
            return redirect("project-labels", pk=pk)
    context = {
        "project": project, "labels": labels, "errors": errors, "new_rows": range(len(labels), len(labels) + 1),
        "mappings": [(key, name, choices.choices) for key, name, choices in LABEL_MAPPINGS],
    }  # fmt: skip
    return render(request, "projects/labels.html", context, status=400 if errors else 200)


@login_required
def project_guidelines(request, pk: int):
    project = project_for(request.user, pk, MANAGING)
    text, errors = project.guidelines, {}
    if request.method == "POST":
        text = request.POST.get("guidelines", "")
        try:
            project_update(project=project, guidelines=text)
        except RuleViolation as error:
            errors = _field_errors(request, error)
        else:
            messages.success(request, GUIDELINES_SAVED)
            return redirect("project-guidelines", pk=pk)
    context = {"project": project, "text": text, "preview": render_markdown(text), "errors": errors}
    return render(request, "projects/guidelines.html", context, status=400 if errors else 200)


@login_required
@require_POST
def guidelines_preview(request, pk: int):
    """The Markdown as annotators will see it: the same sanitiser as the annotate page."""
    project_for(request.user, pk, MANAGING)
    html = render_markdown(request.POST.get("guidelines", "")[:PREVIEW_MAX_CHARS])
    return HttpResponse(html, content_type="text/html; charset=utf-8", headers={"Cache-Control": "no-store"})


@login_required
@require_POST
def project_archive_page(request, pk: int):
    project = project_for(request.user, pk, MANAGING)
    try:
        if request.POST.get("action") == "restore":
            project_restore(project=project)
            messages.success(request, RESTORED.format(name=project.name))
        else:
            project_archive(project=project)
            messages.success(request, ARCHIVED.format(name=project.name))
    except RuleViolation as error:
        for field_messages in error.errors.values():
            for message in field_messages:
                messages.error(request, message)
    return redirect("project-settings", pk=pk)
