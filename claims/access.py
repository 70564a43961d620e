"""Who may see and do what: the one home of the project roles' rules, asked by every page and API view.

Two answers, in this order:
- **visibility**: anything outside the caller's projects (and, in a blind project, other annotators'
  work) does not exist for them: a 404, so ids reveal nothing. The QuerySets' `visible_to` / `for_user`
  methods filter by it (claims/models), through `member_project_ids` and `open_project_ids`.
- **role**: inside a project the caller belongs to, a role that may not do something is a 403 that
  names the role needed.

The roles themselves (Role, REVIEWING) are declared beside Membership in claims/models/projects.py,
since the database's membership table stores them; nothing else spells a role tuple out.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from claims.models import OPEN_STATUSES, Assignment, AssignmentStatus, Membership, Project, Role
from claims.models.projects import REVIEWING

MANAGING = (Role.MANAGER,)
EVERY_ROLE = tuple(Role)

ROLE_REQUIRED = "This needs the {roles} role in the project; yours is {role}."
NOT_YOUR_WORK = "Only the annotator of this assignment can change its labels."
ONLY_OWN_STATUS = "Only the annotator of this assignment can submit or skip it."
SEND_BACK_ROLE = "Only reviewers and managers send work back; annotators reopen their own."
CREATE_PROJECT_DENIED = "Only staff and project managers can create projects."

__all__ = [
    "CREATE_PROJECT_DENIED",
    "EVERY_ROLE",
    "MANAGING",
    "NOT_YOUR_WORK",
    "ONLY_OWN_STATUS",
    "REVIEWING",
    "ROLE_REQUIRED",
    "SEND_BACK_ROLE",
    "can_create_projects",
    "can_edit_labels",
    "has_role",
    "project_for",
    "require_label_writer",
    "require_project_creator",
    "require_role",
    "require_status_change",
    "role_of",
    "visible_projects",
]


def visible_projects(user) -> QuerySet[Project]:
    """The projects the user is a member of, each with `my_role` (the user's role in it)."""
    return Project.objects.for_user(user).with_role_of(user)


def role_of(user, project: Project | int) -> str | None:
    """The user's role in the project, None when they are not a member."""
    if isinstance(project, Project) and hasattr(project, "my_role"):
        return project.my_role
    project_id = project.pk if isinstance(project, Project) else project
    return Membership.objects.filter(project_id=project_id, user=user).values_list("role", flat=True).first()


def has_role(user, project: Project | int, roles: tuple[str, ...]) -> bool:
    return role_of(user, project) in roles


def require_role(user, project: Project | int, roles: tuple[str, ...]) -> str:
    """The user's role, when it is one of `roles`; otherwise PermissionDenied (403) naming what is needed."""
    role = role_of(user, project)
    if role not in roles:
        raise PermissionDenied(ROLE_REQUIRED.format(roles=" or ".join(roles), role=role or "none"))
    return role


def project_for(user, pk: int, roles: tuple[str, ...] = EVERY_ROLE) -> Project:
    """The project `pk` as `visible_projects` gives it: a 404 when the user is not a member, a 403 when
    their role is not one of `roles`."""
    project = get_object_or_404(visible_projects(user), pk=pk)
    require_role(user, project, roles)
    return project


def can_edit_labels(user, assignment: Assignment) -> bool:
    """Labels change only in open work, and only the annotator's own; gold work is the project's
    reviewers' and managers'."""
    if assignment.status not in OPEN_STATUSES:
        return False
    if assignment.is_gold:
        return has_role(user, assignment.article.project_id, REVIEWING)
    return assignment.annotator_id == user.pk


def require_label_writer(user, assignment: Assignment) -> None:
    """As can_edit_labels, for who may write (whether the work is still open is the services' 400)."""
    if assignment.is_gold:
        require_role(user, assignment.article.project_id, REVIEWING)
    elif assignment.annotator_id != user.pk:
        raise PermissionDenied(NOT_YOUR_WORK)


def require_status_change(user, assignment: Assignment, status: str) -> None:
    """Who may move work to `status`: annotators submit, skip or reopen their own (whether reopening is
    still possible is the service's 400); reviewers and managers send anyone's work back and mark an
    article's gold version reviewed."""
    project_id = assignment.article.project_id
    if status == AssignmentStatus.IN_PROGRESS:
        if assignment.annotator_id == user.pk and not assignment.is_gold:
            return
        if not has_role(user, project_id, REVIEWING):
            raise PermissionDenied(SEND_BACK_ROLE)
    elif assignment.is_gold and status == AssignmentStatus.SUBMITTED:
        # Gold is the project's, not one reviewer's: any reviewer or manager marks it reviewed.
        require_role(user, project_id, REVIEWING)
    elif assignment.annotator_id != user.pk:
        raise PermissionDenied(ONLY_OWN_STATUS)


def can_create_projects(user) -> bool:
    return user.is_staff or Membership.objects.filter(user=user, role=Role.MANAGER).exists()


def require_project_creator(user) -> None:
    if not can_create_projects(user):
        raise PermissionDenied(CREATE_PROJECT_DENIED)
