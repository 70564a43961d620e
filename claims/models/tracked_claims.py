"""Tracked claims: canonical propositions (or stance targets) followed across articles."""

from __future__ import annotations

import pghistory
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
        indexes = [GinIndex(OpClass(Upper("text"), name="gin_trgm_ops"), name="claim_text_trgm")]

    def __str__(self) -> str:
        return self.text
