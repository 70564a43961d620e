"""Articles: the news texts people annotate."""

from __future__ import annotations

import pgtrigger
from django.db import models
from django.db.models import Q

from .projects import Project, member_project_ids, open_project_ids


class ArticleQuerySet(models.QuerySet):
    def visible_to(self, user) -> ArticleQuerySet:
        """Every article of projects the user reviews or manages (or that are not blind);
        in blind projects an annotator sees only the articles they were given."""
        if not user.is_authenticated:
            return self.none()
        from .annotations import Assignment

        given = Assignment.objects.filter(annotator=user, article__project__in=member_project_ids(user))
        return self.filter(Q(project__in=open_project_ids(user)) | Q(pk__in=given.values("article_id")))

    def open_to(self, user) -> ArticleQuerySet:
        """The articles `next` may still hand this user: the one definition, for `next` and the home page.

        An article needs annotators while it has fewer annotators' assignments (gold and skipped ones
        not counted) than its project's overlap: `needs_annotators`, kept by database triggers
        (SET_NEEDS_ANNOTATORS in projects.py) and read from a partial index. The user must never have
        had it (a skip counts as having had it)."""
        from .annotations import Assignment

        had = Assignment.objects.filter(article=models.OuterRef("pk"), annotator=user, is_gold=False)
        return self.filter(needs_annotators=True).exclude(models.Exists(had))


# Priorities a manager may set (assignment control); the database checks the same range.
PRIORITY_MIN, PRIORITY_MAX = -1000, 1000


def field_limit(name: str) -> int:
    """An article field's length limit, as the table declares it: the one home of each limit."""
    return Article._meta.get_field(name).max_length


class Article(models.Model):
    """A news article. Offsets of every label are code points into `body` (docs/offsets.md).

    The body arrives with only its line endings normalised (services.articles) and can no
    longer change once any label refers to it; a trigger enforces both that and the checksum.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="articles")
    external_id = models.CharField(max_length=255, help_text="The article's id in its source; unique per project.")
    title = models.CharField(max_length=1000, blank=True)
    body = models.TextField()
    body_sha256 = models.CharField(max_length=64, editable=False, help_text="Set by the database from the body.")
    source = models.CharField(max_length=300, blank=True, help_text="Outlet, e.g. 'Reuters'.")
    url = models.URLField(max_length=2000, blank=True)
    author = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=16, default="en")
    metadata = models.JSONField(default=dict, blank=True)
    # Set by managers (assignment control): `next` hands out higher priorities first, then in id order.
    priority = models.SmallIntegerField(default=0, db_default=0)
    # A qualification item: its gold version is the answer key annotators are scored against. Never shown to
    # annotators (no annotator-facing output carries it), so they cannot tell it from normal work.
    is_qualification = models.BooleanField(default=False, db_default=False)
    # Kept by the database (SET_NEEDS_ANNOTATORS): the article still wants annotators.
    needs_annotators = models.BooleanField(default=True, db_default=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "external_id"], name="article_unique_external_id_per_project"),
            models.CheckConstraint(condition=~Q(external_id=""), name="article_external_id_not_empty"),
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
            models.CheckConstraint(
                condition=Q(priority__gte=PRIORITY_MIN) & Q(priority__lte=PRIORITY_MAX),
                name="article_priority_in_range",
            ),
            # Bodies are stored with \n line endings only: browsers fold \r\n, which would shift offsets.
            models.CheckConstraint(condition=~Q(body__contains="\r"), name="article_body_newlines_normalised"),
        ]
        indexes = [
            models.Index(fields=["project", "updated_at"], name="article_project_updated"),
            # `next`: the open articles of a project by priority then id, however many are finished.
            models.Index(
                fields=["project", "-priority", "id"],
                condition=Q(needs_annotators=True),
                name="article_open_by_priority",
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="article_body_sha256",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.UpdateOf("body"),
                func="NEW.body_sha256 := encode(sha256(convert_to(NEW.body, 'UTF8')), 'hex'); RETURN NEW;",
            ),
            pgtrigger.Trigger(
                name="article_body_immutable_once_annotated",
                when=pgtrigger.Before,
                operation=pgtrigger.UpdateOf("body"),
                condition=pgtrigger.Q(old__body__df=pgtrigger.F("new__body")),
                func="""
                    IF EXISTS (
                        SELECT 1 FROM claims_assignment a
                        WHERE a.article_id = OLD.id AND (
                            EXISTS (SELECT 1 FROM claims_claimmention m WHERE m.assignment_id = a.id)
                            OR EXISTS (SELECT 1 FROM claims_articlestance s WHERE s.assignment_id = a.id)
                        )
                    ) THEN
                        RAISE EXCEPTION 'article % is annotated; its body can no longer change', OLD.id
                            USING ERRCODE = 'check_violation', CONSTRAINT = 'article_body_immutable_once_annotated';
                    END IF;
                    RETURN NEW;
                """,
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.external_id
