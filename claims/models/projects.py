"""Projects, their stance label sets and who works in them."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    ANNOTATOR = "annotator", "Annotator"
    REVIEWER = "reviewer", "Reviewer"
    MANAGER = "manager", "Manager"


# The roles that read everyone's work and build the gold version (claims/access.py asks with it).
REVIEWING = (Role.REVIEWER, Role.MANAGER)


def member_project_ids(user, roles=None) -> models.QuerySet:
    """Ids of the projects where the user holds one of `roles` (any role when None), as a subquery."""
    memberships = Membership.objects.filter(user=user) if user.is_authenticated else Membership.objects.none()
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return memberships.values("project_id")


def open_project_ids(user) -> models.QuerySet:
    """Projects whose members may read everyone's work: the user reviews or manages them, or
    the project does not annotate blind."""
    if not user.is_authenticated:
        return Membership.objects.none().values("project_id")
    return Membership.objects.filter(
        Q(user=user) & (Q(role__in=REVIEWING) | Q(project__blind_annotation=False))
    ).values("project_id")


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user) -> ProjectQuerySet:
        """Projects the user is a member of (any role)."""
        return self.filter(pk__in=member_project_ids(user))

    def with_stance_labels(self) -> ProjectQuerySet:
        """Each project's stance labels fetched in their order with one query for all (lists)."""
        return self.prefetch_related(
            models.Prefetch("stance_labels", queryset=StanceLabel.objects.order_by("position", "value"))
        )

    def with_role_of(self, user) -> ProjectQuerySet:
        """Annotate `my_role`: the user's role in each project (None when not a member)."""
        role = Membership.objects.filter(project=models.OuterRef("pk"), user_id=getattr(user, "pk", None))
        return self.annotate(my_role=models.Subquery(role.values("role")[:1]))


# Sets Article.needs_annotators of the articles whose ids `{articles}` (a SQL expression) names: fewer
# annotators' assignments (gold and skipped ones not counted) than the project's overlap. Triggers on
# assignments and on the project keep the flag true to the data, so `next` reads open articles from a
# partial index instead of counting every finished article's assignments.
SET_NEEDS_ANNOTATORS = """
    UPDATE claims_article ar SET needs_annotators = x.needs
      FROM (SELECT candidate.id,
                   (SELECT count(*) FROM claims_assignment a
                     WHERE a.article_id = candidate.id AND NOT a.is_gold AND a.status <> 'skipped')
                   < p.annotators_per_article AS needs
              FROM claims_article candidate JOIN claims_project p ON p.id = candidate.project_id
             WHERE candidate.id IN ({articles})) x
     WHERE ar.id = x.id AND ar.needs_annotators IS DISTINCT FROM x.needs;
"""

_SET_NEEDS_ANNOTATORS_OF_PROJECT = (
    SET_NEEDS_ANNOTATORS.format(articles="SELECT id FROM claims_article WHERE project_id = NEW.id") + "RETURN NULL;"  # noqa: S608 (constant SQL)
)


class Project(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, max_length=2000, help_text="What the project is for, in a few lines.")
    guidelines = models.TextField(blank=True, help_text="Markdown, shown to annotators beside the article.")
    annotators_per_article = models.PositiveSmallIntegerField(
        default=2, help_text="How many annotators label each article independently (overlap)."
    )
    blind_annotation = models.BooleanField(
        default=True, help_text="Annotators see only their own work, never each other's."
    )
    preannotate_on_import = models.BooleanField(
        default=True, help_text="Draft attributions automatically for every imported article (suggestions to accept)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the project was archived: read-only, hidden from annotators."
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(annotators_per_article__gte=1) & Q(annotators_per_article__lte=50),
                name="project_annotators_per_article_1_to_50",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="project_name_not_empty"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="project_overlap_sets_needs_annotators",
                when=pgtrigger.After,
                operation=pgtrigger.UpdateOf("annotators_per_article"),
                condition=pgtrigger.Q(old__annotators_per_article__df=pgtrigger.F("new__annotators_per_article")),
                func=_SET_NEEDS_ANNOTATORS_OF_PROJECT,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Fnc1Label(models.TextChoices):
    AGREE = "agree"
    DISAGREE = "disagree"
    DISCUSS = "discuss"
    UNRELATED = "unrelated"
    OMIT = "omit", "omit (left out of this format)"


class EmergentLabel(models.TextChoices):
    FOR = "for"
    AGAINST = "against"
    OBSERVING = "observing"
    OMIT = "omit", "omit (left out of this format)"


class SemevalLabel(models.TextChoices):
    FAVOR = "FAVOR"
    AGAINST = "AGAINST"
    NONE = "NONE"
    OMIT = "omit", "omit (left out of this format)"


_LABEL_IN_USE = """
    IF EXISTS (
            SELECT 1 FROM claims_claimmention m
              JOIN claims_assignment a ON a.id = m.assignment_id
              JOIN claims_article ar ON ar.id = a.article_id
             WHERE ar.project_id = OLD.project_id AND m.stance = OLD.value)
       AND NOT EXISTS (
            SELECT 1 FROM claims_stancelabel l
             WHERE l.project_id = OLD.project_id AND l.value = OLD.value AND l.for_mentions) THEN
        RAISE EXCEPTION 'stance label % is used by mentions', OLD.value
            USING ERRCODE = 'check_violation', CONSTRAINT = 'stancelabel_in_use_protected';
    END IF;
    IF EXISTS (
            SELECT 1 FROM claims_articlestance s
              JOIN claims_assignment a ON a.id = s.assignment_id
              JOIN claims_article ar ON ar.id = a.article_id
             WHERE ar.project_id = OLD.project_id AND s.stance = OLD.value)
       AND NOT EXISTS (
            SELECT 1 FROM claims_stancelabel l
             WHERE l.project_id = OLD.project_id AND l.value = OLD.value AND l.for_articles) THEN
        RAISE EXCEPTION 'stance label % is used by article stances', OLD.value
            USING ERRCODE = 'check_violation', CONSTRAINT = 'stancelabel_in_use_protected';
    END IF;
    RETURN NULL;
"""


class StanceLabel(models.Model):
    """One value of a project's stance label set, with how it maps onto the standard formats.

    A blank mapping means "not declared": the standard exports refuse such a project with a
    clear message instead of guessing.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="stance_labels")
    value = models.SlugField(max_length=50, help_text="Stored and exported value, e.g. 'support'.")
    name = models.CharField(max_length=100)
    shortcut = models.CharField(max_length=1, blank=True, help_text="Key that sets this label on the annotate page.")
    colour = models.CharField(max_length=7, default="#546e7a")
    position = models.PositiveSmallIntegerField(default=0)
    for_mentions = models.BooleanField(default=True, help_text="Usable as a speaker's stance in a mention.")
    for_articles = models.BooleanField(default=True, help_text="Usable as an article's own stance.")
    fnc1 = models.CharField(max_length=10, choices=Fnc1Label.choices, blank=True)
    emergent = models.CharField(max_length=10, choices=EmergentLabel.choices, blank=True)
    semeval = models.CharField(max_length=10, choices=SemevalLabel.choices, blank=True)

    class Meta:
        ordering = ["project", "position", "value"]
        constraints = [
            models.UniqueConstraint(fields=["project", "value"], name="stancelabel_unique_value_per_project"),
            models.UniqueConstraint(
                fields=["project", "shortcut"],
                condition=~Q(shortcut=""),
                name="stancelabel_unique_shortcut_per_project",
            ),
            models.CheckConstraint(condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="stancelabel_colour_hex"),
            models.CheckConstraint(condition=Q(for_mentions=True) | Q(for_articles=True), name="stancelabel_has_a_use"),
            models.CheckConstraint(condition=Q(fnc1__in=["", *Fnc1Label.values]), name="stancelabel_fnc1_known"),
            models.CheckConstraint(
                condition=Q(emergent__in=["", *EmergentLabel.values]), name="stancelabel_emergent_known"
            ),
            models.CheckConstraint(
                condition=Q(semeval__in=["", *SemevalLabel.values]), name="stancelabel_semeval_known"
            ),
        ]
        triggers = [
            # Deferred to commit, so deleting a whole project (labels and labelled work together) passes
            # while removing or narrowing a label that stored labels still use does not.
            pgtrigger.Trigger(
                name="stancelabel_in_use_protected",
                when=pgtrigger.After,
                operation=pgtrigger.Update | pgtrigger.Delete,
                timing=pgtrigger.Deferred,
                func=_LABEL_IN_USE,
            )
        ]

    def __str__(self) -> str:
        return self.value


# The default label set (docs/data-model.md): support, refute, neutral, query, plus unrelated for articles.
DEFAULT_STANCE_LABELS: list[dict] = [
    dict(value="support", name="Support", shortcut="1", colour="#2e7d32",
         fnc1="agree", emergent="for", semeval="FAVOR"),
    dict(value="refute", name="Refute", shortcut="2", colour="#c62828",
         fnc1="disagree", emergent="against", semeval="AGAINST"),
    dict(value="neutral", name="Neutral", shortcut="3", colour="#546e7a",
         fnc1="discuss", emergent="observing", semeval="NONE"),
    dict(value="query", name="Query", shortcut="4", colour="#6a1b9a",
         fnc1="discuss", emergent="observing", semeval="NONE"),
    dict(value="unrelated", name="Unrelated", shortcut="5", colour="#9e9e9e", for_mentions=False,
         fnc1="unrelated", emergent="omit", semeval="omit"),
]  # fmt: skip


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ANNOTATOR)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "user"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_unique_user_per_project"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.project}"
