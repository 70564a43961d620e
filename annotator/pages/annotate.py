"""The annotate page: a server-rendered shell with the assignment's data; annotate.js does the rest
through the REST API scripts use."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from annotator.markdown import render_markdown
from claims.access import can_edit_labels, visible_projects
from claims.api.articles import ArticleOutput
from claims.api.assignments import AssignmentDetailOutput
from claims.api.projects import ProjectOutput
from claims.api.suggestions import SuggestionOutput
from claims.models import Assignment, Suggestion


@login_required
def annotate(request, pk: int):
    assignment = get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related("article__project", "annotator"), pk=pk
    )
    project = visible_projects(request.user).get(pk=assignment.article.project_id)
    can_edit = can_edit_labels(request.user, assignment)
    can_reopen = Assignment.objects.reopenable_by(request.user).filter(pk=assignment.pk).exists()
    page_data = {
        "assignment": AssignmentDetailOutput(assignment).data,
        "article": ArticleOutput(assignment.article).data,
        "project": ProjectOutput(project).data,
        "can_edit": can_edit,
        # Drafts only matter to someone who can still accept them.
        "suggestions": SuggestionOutput(Suggestion.objects.pending_for(assignment), many=True).data if can_edit else [],
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
            "claim_match_threshold": settings.CLAIM_MATCH_THRESHOLD,
            "can_reopen": can_reopen,
        },
    )
