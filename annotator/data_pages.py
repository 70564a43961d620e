"""The project's data page: import a file of articles, download exports, cut dataset releases.

The page posts to the same services as the API (`articles_file_import`, `release_create`) and links
to the API's export route for downloads (the session is enough to authenticate a GET).
"""

from __future__ import annotations

import pghistory
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from claims.api.projects import visible_projects
from claims.exports.query import SCOPES
from claims.imports import FileTooLarge
from claims.models import Role
from claims.services.errors import RuleViolation
from claims.services.exports import FORMATS
from claims.services.imports import IMPORT_FORMATS, articles_file_import
from claims.services.releases import release_create
from claims.services.suggestions import imported_articles_preannotate

NO_FILE = "Choose a file to import."
FORMAT_NAMES = {
    "jsonl": "JSON lines (native, lossless)", "csv": "CSV, one row per mention", "fnc1": "FNC-1 (zip)",
    "emergent": "Emergent CSV", "semeval2016": "SemEval-2016 task 6 (TSV)", "citron": "Citron JSON (zip)",
    "brat": "brat standoff (zip)",
}  # fmt: skip


def _project(request, pk: int, *roles: str):
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    if project.my_role not in roles:
        raise PermissionDenied
    return project


@login_required
def data_page(request, pk: int, report=None):
    project = _project(request, pk, Role.REVIEWER, Role.MANAGER)
    context = {
        "project": project,
        "is_manager": project.my_role == Role.MANAGER,
        "formats": [(key, FORMAT_NAMES.get(key, key)) for key in FORMATS],
        "scopes": SCOPES,
        "import_formats": IMPORT_FORMATS,
        "releases": project.releases.select_related("created_by").order_by("-number"),
        "report": report,
    }
    return render(request, "projects/data.html", context)


@login_required
@require_POST
def import_upload(request, pk: int):
    project = _project(request, pk, Role.MANAGER)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, NO_FILE)
        return redirect("project-data", pk=pk)
    try:
        with pghistory.context(page="import"):
            report = articles_file_import(
                project=project, file=upload, filename=upload.name, format=request.POST.get("format") or None
            )
    except (FileTooLarge, RuleViolation) as error:
        messages.error(request, str(error))
        return redirect("project-data", pk=pk)
    drafted = imported_articles_preannotate(project=project, article_ids=[e["id"] for e in report.accepted])
    messages.success(
        request,
        f"{upload.name}: {len(report.accepted)} imported, {len(report.skipped)} already there, "
        f"{len(report.rejected)} rejected; {drafted} attributions drafted.",
    )
    return data_page(request, pk, report=report)


@login_required
@require_POST
def release_cut(request, pk: int):
    project = _project(request, pk, Role.MANAGER)
    try:
        release = release_create(
            project=project, user=request.user, format=request.POST.get("format"), scope=request.POST.get("scope"),
            split=request.POST.get("split") or None,
        )  # fmt: skip
        messages.success(
            request, f"Release {release.number} is frozen ({release.size:,} bytes, sha256 {release.sha256[:12]}…)."
        )
    except RuleViolation as error:
        for field_messages in error.errors.values():
            for message in field_messages:
                messages.error(request, message)
    return redirect("project-data", pk=pk)
