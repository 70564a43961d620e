"""The pages people use: home with their projects, and the annotate page.

Pages are server-rendered shells; the annotate page's module talks to the same REST API as
scripts do. Writes a page triggers itself (start annotating) call the same services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from annotator.markdown import render_markdown
from claims.api.access import role_of
from claims.api.articles import ArticleOutput
from claims.api.assignments import AssignmentDetailOutput
from claims.api.projects import ProjectOutput, visible_projects
from claims.models import Assignment, AssignmentStatus, Project, Role
from claims.progress import project_progress_for
from claims.services.assignments import assignment_next

NOTHING_LEFT = "Nothing is left to annotate in {project}. Thank you!"


@login_required
def home(request):
    open_work = (
        Assignment.objects.visible_to(request.user)
        .for_annotator(request.user)
        .open()
        .select_related("article__project")
        .order_by("-status", "-updated_at")[:50]
    )
    return render(
        request, "projects/home.html", {"progress": project_progress_for(request.user), "open_work": open_work}
    )


@login_required
@require_POST
def start_annotating(request, pk: int):
    project = get_object_or_404(Project.objects.for_user(request.user), pk=pk)
    assignment, _ = assignment_next(project=project, user=request.user)
    if assignment is None:
        messages.info(request, NOTHING_LEFT.format(project=project.name))
        return redirect("home")
    return redirect("annotate", pk=assignment.pk)


def _can_edit(user, assignment: Assignment) -> bool:
    if assignment.status not in (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS):
        return False
    if assignment.is_gold:
        return role_of(user, assignment.article.project_id) in (Role.REVIEWER, Role.MANAGER)
    return assignment.annotator_id == user.pk


@login_required
def annotate(request, pk: int):
    assignment = get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related("article__project", "annotator"), pk=pk
    )
    project = visible_projects(request.user).get(pk=assignment.article.project_id)
    page_data = {
        "assignment": AssignmentDetailOutput(assignment).data,
        "article": ArticleOutput(assignment.article).data,
        "project": ProjectOutput(project).data,
        "can_edit": _can_edit(request.user, assignment),
    }
    return render(
        request,
        "annotate/annotate.html",
        {
            "assignment": assignment,
            "article": assignment.article,
            "project": project,
            "guidelines": render_markdown(project.guidelines),
            "page_data": page_data,
        },
    )
