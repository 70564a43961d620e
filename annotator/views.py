"""The pages people use: home with their projects, and the annotate page.

Pages are server-rendered shells; the annotate page's module talks to the same REST API as
scripts do. Writes a page triggers itself (start annotating) call the same services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from annotator.markdown import render_markdown
from claims.api.access import role_of
from claims.api.articles import ArticleOutput
from claims.api.assignments import AssignmentDetailOutput
from claims.api.projects import ProjectOutput, visible_projects
from claims.api.suggestions import SuggestionOutput
from claims.models import Article, Assignment, AssignmentStatus, Project, Role
from claims.progress import project_progress_for
from claims.review import review_queue
from claims.services.assignments import assignment_next
from claims.services.suggestions import pending_suggestions

NOTHING_LEFT = "Nothing is left to annotate in {project}. Thank you!"
REVIEWERS_ONLY = "Reviewing is for the project's reviewers and managers."


@never_cache
@require_safe
@transaction.non_atomic_requests
def healthz(request):
    """Liveness for load balancers, and the framework floor of bench/load_annotators.py.

    It answers from the process alone: no sign-in, no session, no cookie, and no database
    connection (outside the request transaction), so it measures Django and gunicorn, nothing else.
    """
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


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
    can_edit = _can_edit(request.user, assignment)
    page_data = {
        "assignment": AssignmentDetailOutput(assignment).data,
        "article": ArticleOutput(assignment.article).data,
        "project": ProjectOutput(project).data,
        "can_edit": can_edit,
        # Drafts only matter to someone who can still accept them.
        "suggestions": SuggestionOutput(pending_suggestions(assignment), many=True).data if can_edit else [],
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


def _reviewable_project(request, pk: int) -> Project:
    project = get_object_or_404(visible_projects(request.user), pk=pk)
    if project.my_role not in (Role.REVIEWER, Role.MANAGER):
        raise PermissionDenied(REVIEWERS_ONLY)
    return project


@login_required
def review_queue_page(request, pk: int):
    project = _reviewable_project(request, pk)
    status = request.GET.get("status", "all")
    if status not in ("all", "unreviewed", "disagreeing"):
        status = "all"
    annotator = request.GET.get("annotator") or None
    annotators = (
        project.memberships.filter(user__assignments__article__project=project, user__assignments__is_gold=False)
        .values_list("user__username", flat=True)
        .distinct()
        .order_by("user__username")
    )
    return render(
        request,
        "review/queue.html",
        {
            "project": project,
            "items": review_queue(project=project, status=status, annotator=annotator),
            "status": status,
            "annotator": annotator,
            "annotators": annotators,
        },
    )


@login_required
def review_article_page(request, pk: int):
    article = get_object_or_404(Article.objects.visible_to(request.user).select_related("project"), pk=pk)
    project = _reviewable_project(request, article.project_id)
    page_data = {"article_id": article.pk, "project": ProjectOutput(project).data}
    return render(request, "review/article.html", {"article": article, "project": project, "page_data": page_data})
