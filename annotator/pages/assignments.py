"""Assignment control: the work queue by article (who holds it, in which state, since when), and the
managers' levers on it: release open work (one assignment, or every stale one), give an article to a
chosen member, set an article's priority in the `next` queue and mark it as a qualification item.

Reviewers read the page; managers also see and use its forms; annotators get 403, anyone else 404.
Every form posts to a small view that calls the same service as the API, then comes back to the page.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from claims.access import MANAGING, REVIEWING, has_role, project_for, require_role
from claims.models import Article, Assignment
from claims.models.articles import PRIORITY_MAX, PRIORITY_MIN
from claims.reads.assignments import PAGE_SIZE, QUEUE_SHOWS, assignment_queue
from claims.services.assignments import (
    PRIORITY_INVALID,
    article_queue_settings,
    assignment_assign,
    assignment_release,
    assignments_release_stale,
)
from claims.services.errors import RuleViolation

NO_SUCH_MEMBER = "Choose a member of the project."
RELEASED = "Released {annotator}'s work on “{article}”: the article is back in the pool."
RELEASED_STALE = "Released {n} stale assignment{s} (idle {days} days or more)."
ASSIGNED = "“{article}” assigned to {annotator}."
SETTINGS_SAVED = "Saved “{article}”: priority {priority}{qualification}."


def _failed(request, error: RuleViolation) -> None:
    for field_messages in error.errors.values():
        for message in field_messages:
            messages.error(request, message)


def _show_and_offset(query) -> tuple[str, int]:
    show = query.get("show", "open")
    offset = query.get("offset", "0")
    return (show if show in QUEUE_SHOWS else "open"), (int(offset) if offset.isdigit() and len(offset) < 10 else 0)


def _back(request, project_id: int):
    """To the page as it was (same filter and page), read from the form's own hidden fields."""
    show, offset = _show_and_offset(request.POST)
    return redirect(
        reverse("project-assignments", args=[project_id]) + "?" + urlencode({"show": show, "offset": offset})
    )


@login_required
def assignments_page(request, pk: int):
    project = project_for(request.user, pk, REVIEWING)
    show, offset = _show_and_offset(request.GET)
    queue = assignment_queue(project=project, show=show, offset=offset)
    members = project.memberships.select_related("user").order_by("user__username")
    return render(
        request,
        "projects/assignments.html",
        {
            "project": project,
            "queue": queue,
            "show": show,
            "shows": QUEUE_SHOWS,
            "previous_offset": max(0, offset - PAGE_SIZE) if offset else None,
            "is_manager": has_role(request.user, project, MANAGING),
            "members": [m.user.get_username() for m in members],
            "priority_min": PRIORITY_MIN,
            "priority_max": PRIORITY_MAX,
        },
    )


@login_required
@require_POST
def release_stale(request, pk: int):
    project = project_for(request.user, pk, MANAGING)
    try:
        n = assignments_release_stale(project=project)
    except RuleViolation as error:
        _failed(request, error)
    else:
        days = settings.ASSIGNMENT_STALE_DAYS
        messages.success(request, RELEASED_STALE.format(n=n, s="" if n == 1 else "s", days=days))
    return _back(request, project.pk)


@login_required
@require_POST
def release(request, pk: int):
    assignment = get_object_or_404(Assignment.objects.visible_to(request.user).select_related("article", "annotator"),
                                   pk=pk)  # fmt: skip
    require_role(request.user, assignment.article.project_id, MANAGING)
    try:
        assignment_release(assignment=assignment)
    except RuleViolation as error:
        _failed(request, error)
    else:
        article = assignment.article.title or assignment.article.external_id
        messages.success(request, RELEASED.format(annotator=assignment.annotator.get_username(), article=article))
    return _back(request, assignment.article.project_id)


def _managed_article(request, pk: int) -> Article:
    article = get_object_or_404(Article.objects.visible_to(request.user), pk=pk)
    require_role(request.user, article.project_id, MANAGING)
    return article


@login_required
@require_POST
def assign(request, pk: int):
    article = _managed_article(request, pk)
    username = request.POST.get("annotator", "")
    annotator = get_user_model().objects.filter(username=username, memberships__project=article.project_id).first()
    if annotator is None:
        messages.error(request, NO_SUCH_MEMBER)
        return _back(request, article.project_id)
    try:
        assignment_assign(article=article, annotator=annotator)
    except RuleViolation as error:
        _failed(request, error)
    else:
        messages.success(request, ASSIGNED.format(article=article.title or article.external_id, annotator=username))
    return _back(request, article.project_id)


@login_required
@require_POST
def queue_settings(request, pk: int):
    article = _managed_article(request, pk)
    raw = request.POST.get("priority", "").strip()
    try:
        priority = int(raw)
    except ValueError:
        messages.error(request, PRIORITY_INVALID)
        return _back(request, article.project_id)
    qualification = request.POST.get("qualification") == "on"
    try:
        article = article_queue_settings(article=article, priority=priority, qualification=qualification)
    except RuleViolation as error:
        _failed(request, error)
    else:
        messages.success(
            request,
            SETTINGS_SAVED.format(
                article=article.title or article.external_id, priority=article.priority,
                qualification=", qualification item" if article.is_qualification else "",
            ),
        )  # fmt: skip
    return _back(request, article.project_id)
