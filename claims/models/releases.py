"""Dataset releases: an export frozen into a numbered, immutable file with its checksum."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from .projects import REVIEWING, Project, member_project_ids


class ReleaseQuerySet(models.QuerySet):
    def downloadable_by(self, user) -> ReleaseQuerySet:
        """Releases of the projects the user reviews or manages (a release holds everyone's work)."""
        return self.filter(project__in=member_project_ids(user, roles=REVIEWING))


class Release(models.Model):
    """What was exported (format and options), when, by whom, and the file's exact bytes (sha256).

    Nothing in a release changes once it is made: a trigger refuses every UPDATE, so even the
    admin or a script cannot rewrite history. Deleting the project deletes its releases.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="releases")
    number = models.PositiveIntegerField(help_text="1, 2, 3, … within the project.")
    format = models.CharField(max_length=16)
    options = models.JSONField(default=dict, help_text="scope, annotators, since, split, split_by, part.")
    file = models.FileField(max_length=500)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    row_counts = models.JSONField(default=dict, help_text="records written, and the articles, annotations, "
                                  "mentions and article stances selected.")  # fmt: skip
    # PROTECT: the record of who cut a release outlives any wish to delete the account.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="release_unique_number_per_project"),
            models.CheckConstraint(condition=Q(number__gte=1), name="release_number_positive"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="release_sha256_hex"),
        ]
        triggers = [pgtrigger.Protect(name="release_immutable", operation=pgtrigger.Update)]

    def __str__(self) -> str:
        return f"{self.project} release {self.number} ({self.format})"
