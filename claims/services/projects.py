"""Projects, their stance label sets and memberships."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from claims.models import (
    DEFAULT_STANCE_LABELS,
    ArticleStance,
    Assignment,
    ClaimMention,
    EmergentLabel,
    Fnc1Label,
    Membership,
    Project,
    Role,
    SemevalLabel,
    StanceLabel,
)

from .errors import Problems, RuleViolation

PROJECT_NAME_REQUIRED = "Give the project a name."
PROJECT_NAME_TOO_LONG = "A project's name has at most 200 characters."
PROJECT_DESCRIPTION_TOO_LONG = "A project's description has at most 2,000 characters."
PROJECT_SLUG_INVALID = "A slug has only lowercase letters, digits, hyphens and underscores."
PROJECT_SLUG_TAKEN = "A project with this slug already exists."
PROJECT_OVERLAP_RANGE = "Annotators per article must be between 1 and 50."
LABELS_EMPTY = "A project needs at least one stance label for mentions and one for articles."
LABEL_NOT_OBJECT = "Each stance label is an object with at least a 'value'."
LABEL_VALUE_INVALID = "Label value {value!r} must be a slug (letters, digits, '-' or '_'), at most 50 characters."
LABEL_DUPLICATE = "Label value {value!r} appears twice."
LABEL_SHORTCUT_INVALID = "Shortcut {shortcut!r} of label {value!r} must be a single character."
LABEL_SHORTCUT_DUPLICATE = "Shortcut {shortcut!r} is used by two labels."
LABEL_COLOUR_INVALID = "Colour {colour!r} of label {value!r} must look like #2e7d32."
LABEL_MAPPING_INVALID = "Label {value!r}: {format} must be one of {allowed}."
LABEL_NO_USE = "Label {value!r} must be usable for mentions, for articles, or both."
LABEL_NAME_INVALID = "Label {value!r}: its name must be text of at most 100 characters."
LABEL_IN_USE = "Label {value!r} is used by stored labels; it cannot be removed or narrowed."
MEMBER_ROLE_UNKNOWN = "Role must be one of annotator, reviewer, manager."
LAST_MANAGER = "A project keeps at least one manager: make someone else manager first."
MEMBER_HOLDS_WORK = (
    "{username} holds {count} unsubmitted assignment(s) in this project: release them back to the pool first "
    "(their unsubmitted labels are deleted; the label history keeps them)."
)
PROJECT_ARCHIVED = "This project is archived: it is read-only. A manager can restore it on its settings page."
PROJECT_NOT_ARCHIVED = "This project is not archived."

_SLUG = re.compile(r"^[a-z0-9_-]{1,100}$")
_VALUE = re.compile(r"^[-a-zA-Z0-9_]{1,50}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_MAPPINGS = {"fnc1": Fnc1Label.values, "emergent": EmergentLabel.values, "semeval": SemevalLabel.values}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "project"
    slug, n = base, 2
    while Project.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_project_fields(
    problems: Problems, *, name=None, slug=None, annotators_per_article=None, description=None, project=None
):
    if name is not None and not str(name).strip():
        problems.add("name", PROJECT_NAME_REQUIRED)
    elif name is not None and len(name.strip()) > Project._meta.get_field("name").max_length:
        problems.add("name", PROJECT_NAME_TOO_LONG)
    if description is not None and len(description) > Project._meta.get_field("description").max_length:
        problems.add("description", PROJECT_DESCRIPTION_TOO_LONG)
    if slug is not None:
        if not _SLUG.match(slug):
            problems.add("slug", PROJECT_SLUG_INVALID)
        elif Project.objects.filter(slug=slug).exclude(pk=getattr(project, "pk", None)).exists():
            problems.add("slug", PROJECT_SLUG_TAKEN)
    if annotators_per_article is not None and not (
        type(annotators_per_article) is int and 1 <= annotators_per_article <= 50
    ):
        problems.add("annotators_per_article", PROJECT_OVERLAP_RANGE)


@transaction.atomic
def project_create(
    *,
    name: str,
    created_by=None,
    slug: str | None = None,
    annotators_per_article: int = 2,
    description: str = "",
    guidelines: str = "",
    blind_annotation: bool = True,
    preannotate_on_import: bool = True,
    stance_labels: list[dict] | None = None,
) -> Project:
    """A new project with its label set (the default set unless given); its creator becomes manager."""
    problems = Problems()
    _check_project_fields(
        problems, name=name, slug=slug, annotators_per_article=annotators_per_article, description=description
    )
    labels = DEFAULT_STANCE_LABELS if stance_labels is None else stance_labels
    problems.extend("stance_labels", _label_set_problems(labels))
    problems.raise_if_any()
    project = Project.objects.create(
        name=name.strip(),
        slug=slug or _unique_slug(name),
        annotators_per_article=annotators_per_article,
        description=description.strip(),
        guidelines=guidelines,
        blind_annotation=blind_annotation,
        preannotate_on_import=preannotate_on_import,
        created_by=created_by,
    )
    _write_labels(project, labels)
    if created_by is not None:
        membership_set(project=project, user=created_by, role=Role.MANAGER)
    return project


def project_require_active(project: Project) -> None:
    """Refuse a write into an archived project: every service that changes a project's data asks this,
    with the project as the caller just read it (no query of its own, so label writes cost nothing more)."""
    if project.archived_at is not None:
        raise RuleViolation({"project": PROJECT_ARCHIVED})


@transaction.atomic
def project_archive(*, project: Project) -> Project:
    """Make the project read-only and hide it from its annotators; reading and exporting still work."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    project_require_active(project)
    project.archived_at = timezone.now()
    project.save(update_fields=["archived_at"])
    return project


@transaction.atomic
def project_restore(*, project: Project) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.archived_at is None:
        raise RuleViolation({"project": PROJECT_NOT_ARCHIVED})
    project.archived_at = None
    project.save(update_fields=["archived_at"])
    return project


@transaction.atomic
def project_update(*, project: Project, stance_labels: list[dict] | None = None, **fields) -> Project:
    """Change settings; `stance_labels`, when given, replaces the label set (labels in use must stay)."""
    project_require_active(project)
    allowed = {
        "name",
        "slug",
        "description",
        "annotators_per_article",
        "guidelines",
        "blind_annotation",
        "preannotate_on_import",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise RuleViolation({field: "This field cannot be changed." for field in unknown})
    problems = Problems()
    _check_project_fields(
        problems,
        project=project,
        name=fields.get("name"),
        slug=fields.get("slug"),
        annotators_per_article=fields.get("annotators_per_article"),
        description=fields.get("description"),
    )
    if stance_labels is not None:
        problems.extend("stance_labels", _label_set_problems(stance_labels))
        problems.extend("stance_labels", _labels_in_use_problems(project, stance_labels))
    problems.raise_if_any()
    project = Project.objects.select_for_update().get(pk=project.pk)
    for field, value in fields.items():
        setattr(project, field, value.strip() if field == "name" else value)
    project.save()
    if stance_labels is not None:
        _write_labels(project, stance_labels)
    return project


def _label_set_problems(labels: object) -> list[str]:
    if not isinstance(labels, list) or not all(isinstance(label, dict) and "value" in label for label in labels):
        return [LABEL_NOT_OBJECT]
    messages: list[str] = []
    seen_values: set[str] = set()
    seen_shortcuts: set[str] = set()
    for label in labels:
        value = label["value"]
        if not isinstance(value, str) or not _VALUE.match(value):
            messages.append(LABEL_VALUE_INVALID.format(value=value))
            continue
        if value in seen_values:
            messages.append(LABEL_DUPLICATE.format(value=value))
        seen_values.add(value)
        name = label.get("name", "")
        if not isinstance(name, str) or len(name) > 100:
            messages.append(LABEL_NAME_INVALID.format(value=value))
        shortcut = label.get("shortcut", "")
        if not isinstance(shortcut, str) or len(shortcut) > 1:
            messages.append(LABEL_SHORTCUT_INVALID.format(shortcut=shortcut, value=value))
        elif shortcut:
            if shortcut in seen_shortcuts:
                messages.append(LABEL_SHORTCUT_DUPLICATE.format(shortcut=shortcut))
            seen_shortcuts.add(shortcut)
        colour = label.get("colour", "#546e7a")
        if not isinstance(colour, str) or not _COLOUR.match(colour):
            messages.append(LABEL_COLOUR_INVALID.format(colour=colour, value=value))
        for fmt, allowed in _MAPPINGS.items():
            mapped = label.get(fmt, "")
            if mapped != "" and mapped not in allowed:
                messages.append(LABEL_MAPPING_INVALID.format(value=value, format=fmt, allowed=", ".join(allowed)))
        if not label.get("for_mentions", True) and not label.get("for_articles", True):
            messages.append(LABEL_NO_USE.format(value=value))
    if not messages and not (
        any(label.get("for_mentions", True) for label in labels)
        and any(label.get("for_articles", True) for label in labels)
    ):
        messages.append(LABELS_EMPTY)
    return messages


def _labels_in_use_problems(project: Project, labels: list[dict]) -> list[str]:
    for_mentions = {label["value"] for label in labels if label.get("for_mentions", True)}
    for_articles = {label["value"] for label in labels if label.get("for_articles", True)}
    used_by_mentions = set(
        ClaimMention.objects.filter(assignment__article__project=project, stance__isnull=False)
        .values_list("stance", flat=True)
        .distinct()
    )
    used_by_articles = set(
        ArticleStance.objects.filter(assignment__article__project=project).values_list("stance", flat=True).distinct()
    )
    missing = (used_by_mentions - for_mentions) | (used_by_articles - for_articles)
    return [LABEL_IN_USE.format(value=value) for value in sorted(missing)]


def _write_labels(project: Project, labels: list[dict]) -> None:
    keep = [label["value"] for label in labels]
    # Free the shortcuts first so that swapping two labels' keys does not trip the unique constraint.
    StanceLabel.objects.filter(project=project).update(shortcut="")
    StanceLabel.objects.filter(project=project).exclude(value__in=keep).delete()
    for position, label in enumerate(labels):
        StanceLabel.objects.update_or_create(
            project=project,
            value=label["value"],
            defaults={
                "name": label.get("name") or label["value"].replace("_", " ").capitalize(),
                "shortcut": label.get("shortcut", ""),
                "colour": label.get("colour", "#546e7a"),
                "position": position,
                "for_mentions": label.get("for_mentions", True),
                "for_articles": label.get("for_articles", True),
                "fnc1": label.get("fnc1", ""),
                "emergent": label.get("emergent", ""),
                "semeval": label.get("semeval", ""),
            },
        )


def _require_another_manager(project: Project, user) -> None:
    managers = Membership.objects.select_for_update(of=("self",)).filter(project=project, role=Role.MANAGER)
    if [m.user_id for m in managers] == [user.pk]:
        raise RuleViolation({"role": LAST_MANAGER})


@transaction.atomic
def membership_set(*, project: Project, user, role: str) -> Membership:
    """Add the user to the project, or change their role."""
    if role not in Role.values:
        raise RuleViolation({"role": MEMBER_ROLE_UNKNOWN})
    if role != Role.MANAGER:
        _require_another_manager(project, user)
    membership, _ = Membership.objects.update_or_create(project=project, user=user, defaults={"role": role})
    return membership


@transaction.atomic
def membership_remove(*, project: Project, user, release_work: bool = False) -> int:
    """Remove the user from the project. Their submitted work stays part of the project's data; their
    unsubmitted work is refused unless `release_work`, which gives it back to the pool as a manager's
    release does (the assignments and their labels are deleted, so the articles again need an annotator).
    Returns how many assignments were released."""
    _require_another_manager(project, user)
    # Their unsubmitted annotator work (a gold version is the project's, not theirs).
    open_work = (
        Assignment.objects.filter(article__project=project).for_annotator(user).open().select_for_update(of=("self",))
    )
    count = len(open_work)
    if count and not release_work:
        raise RuleViolation({"username": MEMBER_HOLDS_WORK.format(username=user.get_username(), count=count)})
    if count:
        Assignment.objects.filter(pk__in=[work.pk for work in open_work]).delete()
    Membership.objects.filter(Q(project=project) & Q(user=user)).delete()
    return count
