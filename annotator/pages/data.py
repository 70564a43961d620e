"""The project's data page: import a file of articles, download exports, cut dataset releases.

Imports and releases are background jobs (claims/services/jobs.py): the page queues one through the
same services as the API and lists the project's jobs, whose progress `jobs.js` reads from the API's
job route while they run. Downloads link to the API's export route (the session authenticates a GET).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from claims.access import MANAGING, REVIEWING, has_role, project_for
from claims.exports.query import SCOPES
from claims.imports import FileTooLarge
from claims.services.errors import RuleViolation
from claims.services.exports import FORMATS
from claims.services.imports import IMPORT_FORMATS, import_enqueue
from claims.services.jobs import jobs_fail_stalled
from claims.services.releases import release_enqueue

NO_FILE = "Choose a file to import."
IMPORT_QUEUED = "{name} is being imported: its progress and report are under Jobs below."
RELEASE_QUEUED = "The release is being cut: its progress is under Jobs below."
RECENT_JOBS = 20
FORMAT_NAMES = {
    "jsonl": "JSON lines (native, lossless)", "csv": "CSV, one row per mention", "fnc1": "FNC-1 (zip)",
    "emergent": "Emergent CSV", "semeval2016": "SemEval-2016 task 6 (TSV)", "citron": "Citron JSON (zip)",
    "brat": "brat standoff (zip)",
}  # fmt: skip


def _errors_to_messages(request, error: RuleViolation) -> None:
    for field_messages in error.errors.values():
        for message in field_messages:
            messages.error(request, message)


@login_required
def data_page(request, pk: int):
    project = project_for(request.user, pk, REVIEWING)
    jobs_fail_stalled(project=project)
    context = {
        "project": project,
        "is_manager": has_role(request.user, project, MANAGING),
        "formats": [(key, FORMAT_NAMES.get(key, key)) for key in FORMATS],
        "scopes": SCOPES,
        "import_formats": IMPORT_FORMATS,
        "releases": project.releases.select_related("created_by").order_by("-number"),
        "jobs": project.jobs.select_related("created_by").order_by("-id")[:RECENT_JOBS],
    }
    return render(request, "projects/data.html", context)


@login_required
@require_POST
def import_upload(request, pk: int):
    project = project_for(request.user, pk, MANAGING)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, NO_FILE)
        return redirect("project-data", pk=pk)
    stances = request.FILES.get("stances")
    try:
        import_enqueue(
            project=project, user=request.user, file=upload, filename=upload.name,
            format=request.POST.get("format") or None, second=stances, second_name=stances.name if stances else None,
            gold=request.POST.get("gold") == "1", mapping=request.POST.get("mapping") or None,
        )  # fmt: skip
    except FileTooLarge as error:
        messages.error(request, str(error))
    except RuleViolation as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, IMPORT_QUEUED.format(name=upload.name))
    return redirect("project-data", pk=pk)


@login_required
@require_POST
def release_cut(request, pk: int):
    project = project_for(request.user, pk, MANAGING)
    try:
        release_enqueue(
            project=project, user=request.user, format=request.POST.get("format"), scope=request.POST.get("scope"),
            split=request.POST.get("split") or None,
        )  # fmt: skip
    except RuleViolation as error:
        _errors_to_messages(request, error)
    else:
        messages.success(request, RELEASE_QUEUED)
    return redirect("project-data", pk=pk)
