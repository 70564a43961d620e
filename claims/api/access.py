"""Who may do what, once an object is known to be visible to the caller.

Visibility (404 for anything outside the caller's projects, and for other annotators' work in
blind projects) comes from the QuerySets' `visible_to` / `for_user`; these checks add the role
rules inside a project (403).
"""

from __future__ import annotations

from rest_framework.exceptions import PermissionDenied

from claims.models import Assignment, Membership, Project, Role

ROLE_REQUIRED = "This needs the {roles} role in the project; yours is {role}."
NOT_YOUR_WORK = "Only the annotator of this assignment can change its labels."
CREATE_PROJECT_DENIED = "Only staff and project managers can create projects."


def role_of(user, project: Project | int) -> str | None:
    project_id = project.pk if isinstance(project, Project) else project
    return Membership.objects.filter(project_id=project_id, user=user).values_list("role", flat=True).first()


def require_role(user, project: Project | int, *roles: str) -> str:
    role = getattr(project, "my_role", None) if isinstance(project, Project) else None
    role = role or role_of(user, project)
    if role not in roles:
        raise PermissionDenied(ROLE_REQUIRED.format(roles=" or ".join(roles), role=role or "none"))
    return role


def require_label_writer(user, assignment: Assignment) -> None:
    """Labels change only in the caller's own work; gold work belongs to the project's reviewers."""
    if assignment.is_gold:
        require_role(user, assignment.article.project_id, Role.REVIEWER, Role.MANAGER)
    elif assignment.annotator_id != user.pk:
        raise PermissionDenied(NOT_YOUR_WORK)


def require_project_creator(user) -> None:
    if not (user.is_staff or Membership.objects.filter(user=user, role=Role.MANAGER).exists()):
        raise PermissionDenied(CREATE_PROJECT_DENIED)
