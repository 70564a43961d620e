"""Home: the user's projects with their progress and open work; "Start annotating" hands out the next article."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from claims.access import can_create_projects
from claims.models import Assignment, Project
from claims.reads.progress import project_progress_for
from claims.services.assignments import assignment_next
from claims.services.errors import RuleViolation

NOTHING_LEFT = "Nothing is left to annotate in {project}. Thank you!"


@login_required
def home(request):
    open_work = (
        Assignment.objects.visible_to(request.user)
        .for_annotator(request.user)
        .open()
        .filter(article__project__archived_at__isnull=True)  # archived: nothing there can change
        .select_related("article__project")
        .order_by("-status", "-updated_at")[:50]
    )
    # Handed in, and no reviewer has started on it yet: the annotator may still take it back.
    reopenable = (
        Assignment.objects.visible_to(request.user)
        .reopenable_by(request.user)
        .select_related("article__project")
        .order_by("-submitted_at")[:50]
    )
    context = {
        "progress": project_progress_for(request.user),
        "open_work": open_work,
        "reopenable": reopenable,
        "can_create_projects": can_create_projects(request.user),
    }
    return render(request, "projects/home.html", context)


@login_required
@require_POST
def start_annotating(request, pk: int):
    project = get_object_or_404(Project.objects.for_user(request.user), pk=pk)
    try:
        assignment, _ = assignment_next(project=project, user=request.user)
    except RuleViolation as error:  # an archived project hands out nothing
        for field_messages in error.errors.values():
            for message in field_messages:
                messages.error(request, message)
        return redirect("home")
    if assignment is None:
        messages.info(request, NOTHING_LEFT.format(project=project.name))
        return redirect("home")
    return redirect("annotate", pk=assignment.pk)
