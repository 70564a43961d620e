"""Annotation work: assignments and the labels made in them (claim mentions, article stances).

Invariants the database guards, so no client, admin action or bug can store a label that
breaks them:
- a span's text is exactly `body[start:end]` in code points (check + trigger);
- speaker, claim and stance label belong to the article's project (trigger);
- one assignment per annotator and article, at most one gold assignment per article;
- one mention per span, speaker and claim in an assignment.
"""

from __future__ import annotations

from datetime import timedelta

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, Greatest, Length
from django.utils import timezone

from .articles import Article
from .projects import SET_NEEDS_ANNOTATORS, member_project_ids, open_project_ids
from .speakers import Speaker
from .tracked_claims import REFRESH_CLAIM_TERMS, Claim


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    SKIPPED = "skipped", "Skipped"


# Work someone can still change: the one definition, for the services, the pages and the queries.
OPEN_STATUSES = (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS)


class QuoteType(models.TextChoices):
    DIRECT = "direct", "Direct"
    INDIRECT = "indirect", "Indirect"
    MIXED = "mixed", "Mixed"


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssignmentQuerySet:
        """The user's own work in projects they belong to, plus everyone's work in projects they
        review or manage (or that are not blind). Blind annotation: nobody else's otherwise."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(annotator=user, article__project__in=member_project_ids(user))
            | Q(article__project__in=open_project_ids(user))
        )

    def for_annotator(self, user) -> AssignmentQuerySet:
        return self.filter(annotator=user, is_gold=False)

    def open(self) -> AssignmentQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def submitted(self) -> AssignmentQuerySet:
        return self.filter(status=AssignmentStatus.SUBMITTED)

    def with_last_activity(self) -> AssignmentQuerySet:
        """Annotate `last_activity`: the assignment's own last change or its newest label's, whichever is later.

        Label writes after the first do not touch the assignment row, so its updated_at alone would call
        someone who labels every day stale."""
        newest = [
            models.Subquery(
                model.objects.filter(assignment=models.OuterRef("pk"))
                .order_by()
                .values("assignment")
                .annotate(newest=models.Max("updated_at"))
                .values("newest")[:1]
            )
            for model in (ClaimMention, ArticleStance)
        ]
        return self.annotate(
            last_activity=Greatest(
                "updated_at", *(Coalesce(n, "updated_at", output_field=models.DateTimeField()) for n in newest)
            )
        )

    def stale(self, *, days: int) -> AssignmentQuerySet:
        """Annotators' open work with no sign of work for `days` days: the one definition, for the release
        service and the managers' queue."""
        cutoff = timezone.now() - timedelta(days=days)
        open_work = self.filter(is_gold=False, status__in=OPEN_STATUSES)
        return open_work.with_last_activity().filter(last_activity__lt=cutoff)

    def review_not_started(self) -> AssignmentQuerySet:
        """Work on articles no reviewer has started on: the article has no gold version yet."""
        return self.exclude(Exists(Assignment.objects.filter(article=OuterRef("article"), is_gold=True)))

    def reopenable_by(self, user) -> AssignmentQuerySet:
        """The user's submitted work they may still take back (services.assignments.assignment_reopen_own)."""
        return self.for_annotator(user).submitted().review_not_started()


def _set_needs_annotators(articles: str) -> str:
    """A statement-level trigger's body: SET_NEEDS_ANNOTATORS for the articles `articles` (SQL over the
    statement's transition tables) names, once per statement however many rows it wrote.

    The articles are locked first: under READ COMMITTED each statement below then reads everything
    committed before the lock was granted, so two transactions changing one article's work at once
    (a skip and a reopen, say) cannot leave the flag as the first of them computed it."""
    return (
        f"PERFORM 1 FROM claims_article WHERE id IN ({articles}) ORDER BY id FOR NO KEY UPDATE;"
        + SET_NEEDS_ANNOTATORS.format(articles=articles)
        + "RETURN NULL;"
    )


# Assignments whose change can change a count: status, gold flag or article.
_RECOUNTED = """
    SELECT {side}.article_id FROM old_assignments o JOIN new_assignments n ON n.id = o.id
     WHERE o.status IS DISTINCT FROM n.status OR o.is_gold IS DISTINCT FROM n.is_gold
        OR o.article_id IS DISTINCT FROM n.article_id
"""

# The claims whose search terms a mention update changes: those it left or joined, or whose words it changed.
_RELINKED = """
    SELECT {side}.claim_id FROM old_mentions o JOIN new_mentions n ON n.id = o.id
     WHERE {side}.claim_id IS NOT NULL
       AND (o.claim_id IS DISTINCT FROM n.claim_id OR o.text IS DISTINCT FROM n.text)
"""


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Assignment(models.Model):
    """One annotator's work on one article; the reviewer's adjudicated result is the gold one."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="assignments")
    # PROTECT: a user whose labels are part of a dataset cannot vanish silently; deactivate instead.
    annotator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    is_gold = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED)
    skip_reason = models.TextField(blank=True)
    review_comment = models.TextField(blank=True, help_text="Why a reviewer sent the work back.")
    # When a reviewer last sent this work back (None: never). The review page keeps a sent-back annotator's
    # column, marked, while they rework it.
    sent_back_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["article", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "annotator"],
                condition=Q(is_gold=False),
                name="assignment_unique_annotator_per_article",
            ),
            models.UniqueConstraint(
                fields=["article"], condition=Q(is_gold=True), name="assignment_one_gold_per_article"
            ),
            models.CheckConstraint(condition=Q(status__in=AssignmentStatus.values), name="assignment_status_known"),
            models.CheckConstraint(condition=Q(version__gte=1), name="assignment_version_positive"),
            models.CheckConstraint(
                condition=~Q(status=AssignmentStatus.SUBMITTED) | Q(submitted_at__isnull=False),
                name="assignment_submitted_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["annotator", "status"], name="assignment_annotator_status"),
            models.Index(fields=["article", "status"], name="assignment_article_status"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="assignment_added_sets_needs_annotators",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                referencing=pgtrigger.Referencing(new="new_assignments"),
                func=_set_needs_annotators("SELECT article_id FROM new_assignments"),
            ),
            pgtrigger.Trigger(
                name="assignment_removed_sets_needs_annotators",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Delete,
                referencing=pgtrigger.Referencing(old="old_assignments"),
                func=_set_needs_annotators("SELECT article_id FROM old_assignments"),
            ),
            pgtrigger.Trigger(
                name="assignment_changed_sets_needs_annotators",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                referencing=pgtrigger.Referencing(old="old_assignments", new="new_assignments"),
                func=_set_needs_annotators(_RECOUNTED.format(side="o") + " UNION " + _RECOUNTED.format(side="n")),
            ),
        ]

    def __str__(self) -> str:
        kind = "gold" if self.is_gold else str(self.annotator)
        return f"{self.article} — {kind}"


def _span_checks(prefix: str) -> list[models.CheckConstraint]:
    """An optional span (source or cue): all three fields or none, non-empty, text as long as the span."""
    start, end, text = f"{prefix}_start", f"{prefix}_end", f"{prefix}_text"
    return [
        models.CheckConstraint(
            condition=Q(**{f"{start}__isnull": True, f"{end}__isnull": True, f"{text}__isnull": True})
            | Q(**{f"{start}__isnull": False, f"{end}__isnull": False, f"{text}__isnull": False}),
            name=f"mention_{prefix}_all_or_none",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{start}__isnull": True}) | (Q(**{f"{start}__gte": 0}) & Q(**{f"{end}__gt": F(start)})),
            name=f"mention_{prefix}_offsets_ordered",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{start}__isnull": True}) | Q(**{end: F(start) + Length(text)}),
            name=f"mention_{prefix}_text_length",
        ),
    ]


# Checks every span against the article body, and that related objects share the article's project.
# Spans of the wrong shape (reversed, negative, text of the wrong length) are left to the check
# constraints, which run after this trigger and name the precise problem.
_MENTION_INTEGRITY = """
    SELECT ar.body, ar.project_id INTO _body, _project
      FROM claims_assignment a JOIN claims_article ar ON ar.id = a.article_id
     WHERE a.id = NEW.assignment_id;
    IF NEW.start >= 0 AND NEW."end" > NEW.start AND char_length(NEW.text) = NEW."end" - NEW.start
       AND substr(_body, NEW.start + 1, NEW."end" - NEW.start) IS DISTINCT FROM NEW.text THEN
        RAISE EXCEPTION 'mention text is not body[start:end]'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'mention_text_matches_body';
    END IF;
    IF NEW.source_start >= 0 AND NEW.source_end > NEW.source_start
       AND char_length(NEW.source_text) = NEW.source_end - NEW.source_start
       AND substr(_body, NEW.source_start + 1, NEW.source_end - NEW.source_start) IS DISTINCT FROM NEW.source_text THEN
        RAISE EXCEPTION 'source text is not body[start:end]'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'mention_source_matches_body';
    END IF;
    IF NEW.cue_start >= 0 AND NEW.cue_end > NEW.cue_start AND char_length(NEW.cue_text) = NEW.cue_end - NEW.cue_start
       AND substr(_body, NEW.cue_start + 1, NEW.cue_end - NEW.cue_start) IS DISTINCT FROM NEW.cue_text THEN
        RAISE EXCEPTION 'cue text is not body[start:end]'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'mention_cue_matches_body';
    END IF;
    IF NEW.speaker_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM claims_speaker s WHERE s.id = NEW.speaker_id AND s.project_id = _project) THEN
        RAISE EXCEPTION 'speaker belongs to another project'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'mention_speaker_same_project';
    END IF;
    IF NEW.claim_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM claims_claim c WHERE c.id = NEW.claim_id AND c.project_id = _project) THEN
        RAISE EXCEPTION 'claim belongs to another project'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'mention_claim_same_project';
    END IF;
    IF NEW.stance IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM claims_stancelabel l
             WHERE l.project_id = _project AND l.value = NEW.stance AND l.for_mentions) THEN
        RAISE EXCEPTION 'stance % is not in the project''s label set', NEW.stance
            USING ERRCODE = 'check_violation', CONSTRAINT = 'mention_stance_in_label_set';
    END IF;
    RETURN NEW;
"""


class ClaimMentionQuerySet(models.QuerySet):
    def visible_to(self, user) -> ClaimMentionQuerySet:
        return self.filter(assignment__in=Assignment.objects.visible_to(user))


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ClaimMention(models.Model):
    """The core label: who claimed what, with which words, as what kind of quote, with what stance.

    No speaker means the outlet's own claim. The stance is the speaker's toward `claim`.
    """

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="mentions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    speaker = models.ForeignKey(Speaker, null=True, blank=True, on_delete=models.RESTRICT, related_name="mentions")
    source_start = models.PositiveIntegerField(null=True, blank=True)
    source_end = models.PositiveIntegerField(null=True, blank=True)
    # NULL, not "", means "no span": the span's three columns are all set or all NULL.
    source_text = models.TextField(null=True, blank=True)  # noqa: DJ001
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    cue_text = models.TextField(null=True, blank=True)  # noqa: DJ001
    quote_type = models.CharField(max_length=10, choices=QuoteType.choices, default=QuoteType.DIRECT)
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.RESTRICT, related_name="mentions")
    stance = models.CharField(max_length=50, null=True, blank=True)  # noqa: DJ001  (NULL: no stance; API null)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimMentionQuerySet.as_manager()

    class Meta:
        ordering = ["assignment", "start", "end", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="mention_offsets_ordered"),
            models.CheckConstraint(condition=Q(end=F("start") + Length("text")), name="mention_text_length"),
            *_span_checks("source"),
            *_span_checks("cue"),
            models.CheckConstraint(condition=Q(quote_type__in=QuoteType.values), name="mention_quote_type_known"),
            models.CheckConstraint(
                condition=Q(stance__isnull=True) | Q(claim__isnull=False), name="mention_stance_needs_claim"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="mention_version_positive"),
            # The same span by the same speaker about the same claim is one mention, however often a
            # client posts it: copies only inflate every read that lines mentions up (review, agreement).
            # NULLS NOT DISTINCT: two mentions without a speaker (the outlet's own claim) are the same too.
            models.UniqueConstraint(
                fields=["assignment", "start", "end", "speaker", "claim"],
                nulls_distinct=False,
                name="mention_one_per_span_speaker_claim",
            ),
        ]
        indexes = [
            models.Index(fields=["assignment", "start"], name="mention_assignment_start"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="mention_integrity",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                declare=[("_body", "text"), ("_project", "bigint")],
                func=_MENTION_INTEGRITY,
            ),
            pgtrigger.Trigger(
                name="mention_added_indexes_claim_terms",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                referencing=pgtrigger.Referencing(new="new_mentions"),
                func=REFRESH_CLAIM_TERMS.format(claims="SELECT claim_id FROM new_mentions WHERE claim_id IS NOT NULL"),
            ),
            pgtrigger.Trigger(
                name="mention_removed_indexes_claim_terms",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Delete,
                referencing=pgtrigger.Referencing(old="old_mentions"),
                func=REFRESH_CLAIM_TERMS.format(claims="SELECT claim_id FROM old_mentions WHERE claim_id IS NOT NULL"),
            ),
            pgtrigger.Trigger(
                name="mention_changed_indexes_claim_terms",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                referencing=pgtrigger.Referencing(old="old_mentions", new="new_mentions"),
                func=REFRESH_CLAIM_TERMS.format(
                    claims=_RELINKED.format(side="o") + " UNION " + _RELINKED.format(side="n")
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text[:60]} [{self.start}:{self.end}]"


_ARTICLE_STANCE_INTEGRITY = """
    SELECT ar.project_id INTO _project
      FROM claims_assignment a JOIN claims_article ar ON ar.id = a.article_id
     WHERE a.id = NEW.assignment_id;
    IF NOT EXISTS (SELECT 1 FROM claims_claim c WHERE c.id = NEW.claim_id AND c.project_id = _project) THEN
        RAISE EXCEPTION 'claim belongs to another project'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'articlestance_claim_same_project';
    END IF;
    IF NEW.stance <> '' AND NOT EXISTS (
            SELECT 1 FROM claims_stancelabel l
             WHERE l.project_id = _project AND l.value = NEW.stance AND l.for_articles) THEN
        RAISE EXCEPTION 'stance % is not in the project''s label set', NEW.stance
            USING ERRCODE = 'check_violation', CONSTRAINT = 'articlestance_stance_in_label_set';
    END IF;
    RETURN NEW;
"""


class ArticleStanceQuerySet(models.QuerySet):
    def visible_to(self, user) -> ArticleStanceQuerySet:
        return self.filter(assignment__in=Assignment.objects.visible_to(user))


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ArticleStance(models.Model):
    """The article's own stance toward a tracked claim (Emergent / FNC-1 style)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="article_stances")
    claim = models.ForeignKey(Claim, on_delete=models.RESTRICT, related_name="article_stances")
    stance = models.CharField(max_length=50)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleStanceQuerySet.as_manager()

    class Meta:
        ordering = ["assignment", "claim"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "claim"], name="articlestance_unique_claim_per_assignment"),
            models.CheckConstraint(condition=~Q(stance=""), name="articlestance_stance_not_empty"),
            models.CheckConstraint(condition=Q(version__gte=1), name="articlestance_version_positive"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="articlestance_integrity",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                declare=[("_project", "bigint")],
                func=_ARTICLE_STANCE_INTEGRITY,
            )
        ]

    def __str__(self) -> str:
        return f"{self.stance} → {self.claim}"
