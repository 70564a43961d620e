"""The review queue and the review page of one article (reviewers and managers); review.js compares
the annotators' work through the API."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from claims.access import REVIEWING, project_for
from claims.api.projects import ProjectOutput
from claims.models import Article
from claims.reads.review import QUEUE_STATUSES, queue_annotators, review_queue


@login_required
def review_queue_page(request, pk: int):
    project = project_for(request.user, pk, REVIEWING)
    status = request.GET.get("status", "all")
    if status not in QUEUE_STATUSES:
        status = "all"
    annotator = request.GET.get("annotator") or None
    items = review_queue(project=project, status=status, annotator=annotator)
    return render(
        request,
        "review/queue.html",
        {
            "project": project,
            "complete": [item for item in items if item.complete],
            "incomplete": [item for item in items if not item.complete],
            "status": status,
            "statuses": QUEUE_STATUSES,
            "annotator": annotator,
            "annotators": queue_annotators(project=project),
        },
    )


@login_required
def review_article_page(request, pk: int):
    article = get_object_or_404(Article.objects.visible_to(request.user).select_related("project"), pk=pk)
    project = project_for(request.user, article.project_id, REVIEWING)
    page_data = {"article_id": article.pk, "project": ProjectOutput(project).data}
    return render(request, "review/article.html", {"article": article, "project": project, "page_data": page_data})
