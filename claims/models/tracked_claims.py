"""Tracked claims: canonical propositions (or stance targets) followed across articles."""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Trim, Upper

from .projects import Project, member_project_ids


class ClaimQuerySet(models.QuerySet):
    def current(self) -> ClaimQuerySet:
        """Claims that were not merged away."""
        return self.filter(merged_into__isnull=True)

    def for_user(self, user) -> ClaimQuerySet:
        """Those of the projects the user is a member of: the catalogue is shared by all members."""
        return self.filter(project__in=member_project_ids(user))


# A statement-level trigger's body: re-index the terms of the claims that `claims` (SQL over the
# statement's transition tables) names. The function is defined in migration 0013.
REFRESH_CLAIM_TERMS = "PERFORM claims_claim_terms_refresh(ARRAY({claims})); RETURN NULL;"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Claim(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="claims")
    text = models.TextField(help_text="The proposition, e.g. 'Turkey will go ahead with the S-400 purchase'.")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when this claim was merged into another: its id then answers with where it went.
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "text"], name="claim_unique_text_per_project"),
            models.CheckConstraint(condition=Q(text=Trim("text")) & ~Q(text=""), name="claim_text_trimmed"),
            models.CheckConstraint(condition=~Q(merged_into=F("pk")), name="claim_not_merged_into_itself"),
        ]
        indexes = [
            GinIndex(OpClass(Upper("text"), name="gin_trgm_ops"), name="claim_text_trgm"),
            # Counts a project's current claims (BM25's N) from the index alone.
            models.Index(fields=["project"], condition=Q(merged_into__isnull=True), name="claim_current_per_project"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="claim_added_indexes_terms",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                referencing=pgtrigger.Referencing(new="new_claims"),
                func=REFRESH_CLAIM_TERMS.format(claims="SELECT id FROM new_claims"),
            ),
            pgtrigger.Trigger(
                name="claim_changed_indexes_terms",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                referencing=pgtrigger.Referencing(old="old_claims", new="new_claims"),
                func=REFRESH_CLAIM_TERMS.format(
                    claims="SELECT n.id FROM old_claims o JOIN new_claims n ON n.id = o.id"
                    " WHERE o.text IS DISTINCT FROM n.text OR o.notes IS DISTINCT FROM n.notes"
                    " OR o.merged_into_id IS DISTINCT FROM n.merged_into_id"
                ),
            ),
            pgtrigger.Trigger(
                name="claim_removed_drops_terms",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Delete,
                referencing=pgtrigger.Referencing(old="old_claims"),
                func="DELETE FROM claims_claimterm WHERE claim_id IN (SELECT id FROM old_claims); RETURN NULL;",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class ClaimTerm(models.Model):
    """One word (an English lexeme) of a current claim's search document, with its BM25 term weight.

    The document is the claim's text, its notes and the distinct texts of the mentions linked to it,
    so a claim is found by the words annotators met it in. Rows are written only by the database
    (`claims_claim_terms_refresh`, called by the triggers on claims and mentions): create, rename,
    notes, merge, split and every mention write keep them right. `weight` is BM25's term-frequency
    part (k1 = 1.5, b = 0.4, a fixed typical length of 25 words, so no other claim's row changes
    when one is written); the inverse document frequency is counted at query time
    (`claims.reads.search.claims_similar`).
    """

    # DO_NOTHING: the claims' delete trigger removes the rows; Django's own cascade would run before
    # the mention deletes whose triggers re-index the claim, leaving rows behind.
    claim = models.ForeignKey(Claim, on_delete=models.DO_NOTHING, db_index=False, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.DO_NOTHING, db_index=False, related_name="+")
    lexeme = models.TextField()
    weight = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["claim", "lexeme"], name="claimterm_one_per_lexeme")]
        # The inverted index: a query's words find their claims and weights without reading the table.
        indexes = [models.Index(fields=["project", "lexeme"], include=["claim", "weight"], name="claimterm_lookup")]

    def __str__(self) -> str:
        return f"{self.lexeme} ({self.claim_id})"
