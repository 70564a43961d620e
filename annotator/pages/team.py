"""A project's team: its members with their role and progress; managers add existing users, create
accounts (the one-time secret is shown once), change roles and remove members, releasing their unsubmitted
work back to the pool when they hold some. Reviewers read the page; annotators get 403, outsiders 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from claims.access import MANAGING, REVIEWING, has_role, project_for
from claims.models import Role
from claims.reads.dashboard import annotator_figures
from claims.services.accounts import SIGN_IN_METHODS, account_create
from claims.services.errors import RuleViolation
from claims.services.projects import membership_remove, membership_set

NO_SUCH_USER = "No active user is called {username}. Create an account for them below instead."
MEMBER_ADDED = "{username} is now {role} in this project."
ROLE_CHANGED = "{username} is now {role}."
MEMBER_REMOVED = "{username} is no longer a member."
WORK_RELEASED = "{count} unsubmitted assignment(s) went back to the pool."
# The one-time secret waits in the session between the POST and the page that shows it, and is taken out
# as it is shown: a reload shows it no more.
NEW_ACCOUNT_KEY = "team_new_account"


def _failed(request, error: RuleViolation) -> None:
    for field_messages in error.errors.values():
        for message in field_messages:
            messages.error(request, message)


@login_required
@never_cache
def team_page(request, pk: int):
    project = project_for(request.user, pk, REVIEWING)
    figures = {row.username: row for row in annotator_figures(project=project)}
    members = [
        (membership, figures.get(membership.user.username))
        for membership in project.memberships.select_related("user").order_by("user__username")
    ]
    new_account = request.session.pop(NEW_ACCOUNT_KEY, None)
    if new_account and new_account.get("project") != project.pk:
        new_account = None
    context = {
        "project": project, "members": members, "roles": Role.choices, "new_account": new_account,
        "is_manager": has_role(request.user, project, MANAGING), "sign_in_methods": SIGN_IN_METHODS,
    }  # fmt: skip
    return render(request, "projects/team.html", context)


@login_required
@require_POST
def member_add(request, pk: int):
    project = project_for(request.user, pk, MANAGING)
    username = request.POST.get("username", "").strip()
    user = get_user_model().objects.filter(username=username, is_active=True).first() if username else None
    if user is None:
        messages.error(request, NO_SUCH_USER.format(username=username or "that"))
        return redirect("project-team", pk=pk)
    try:
        membership = membership_set(project=project, user=user, role=request.POST.get("role", Role.ANNOTATOR))
    except RuleViolation as error:
        _failed(request, error)
    else:
        messages.success(request, MEMBER_ADDED.format(username=user.username, role=membership.role))
    return redirect("project-team", pk=pk)


@login_required
@require_POST
def account_new(request, pk: int):
    project = project_for(request.user, pk, MANAGING)
    try:
        account = account_create(
            project=project, username=request.POST.get("username", ""), email=request.POST.get("email", ""),
            role=request.POST.get("role", Role.ANNOTATOR), sign_in=request.POST.get("sign_in", ""),
        )  # fmt: skip
    except RuleViolation as error:
        _failed(request, error)
    else:
        request.session[NEW_ACCOUNT_KEY] = {
            "project": project.pk, "username": account.membership.user.username,
            "password": account.password,
            "sign_in_url": account.sign_in_path and request.build_absolute_uri(account.sign_in_path),
        }  # fmt: skip
    return redirect("project-team", pk=pk)


def _member(project, user_id: int):
    return get_object_or_404(project.memberships.select_related("user"), user_id=user_id)


@login_required
@require_POST
def member_role(request, pk: int, user_id: int):
    project = project_for(request.user, pk, MANAGING)
    membership = _member(project, user_id)
    try:
        membership = membership_set(project=project, user=membership.user, role=request.POST.get("role", ""))
    except RuleViolation as error:
        _failed(request, error)
    else:
        messages.success(request, ROLE_CHANGED.format(username=membership.user.username, role=membership.role))
    return redirect("project-team", pk=pk)


@login_required
@require_POST
def member_remove(request, pk: int, user_id: int):
    project = project_for(request.user, pk, MANAGING)
    membership = _member(project, user_id)
    try:
        released = membership_remove(
            project=project, user=membership.user, release_work=request.POST.get("release_work") == "on"
        )
    except RuleViolation as error:
        _failed(request, error)
    else:
        messages.success(request, MEMBER_REMOVED.format(username=membership.user.username))
        if released:
            messages.info(request, WORK_RELEASED.format(count=released))
    return redirect("project-team", pk=pk)
