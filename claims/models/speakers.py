"""Speakers: the people and bodies claims are attributed to, shared by all articles of a project."""

from __future__ import annotations

import pghistory
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Trim

from .projects import Project, member_project_ids


class SpeakerKind(models.TextChoices):
    PERSON = "person", "Person"
    ORGANISATION = "organisation", "Organisation"
    GOVERNMENT = "government", "Government or country"
    GROUP = "group", "Group of people"
    UNNAMED = "unnamed", "Unnamed source"


class SpeakerQuerySet(models.QuerySet):
    def current(self) -> SpeakerQuerySet:
        """Speakers that were not merged away."""
        return self.filter(merged_into__isnull=True)

    def for_user(self, user) -> SpeakerQuerySet:
        """Those of the projects the user is a member of: the catalogue is shared by all members."""
        return self.filter(project__in=member_project_ids(user))


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Speaker(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=16, choices=SpeakerKind.choices, default=SpeakerKind.PERSON)
    role = models.CharField(max_length=300, blank=True, help_text="Title or function, e.g. 'Vice President'.")
    wikidata_qid = models.CharField(max_length=16, blank=True, verbose_name="Wikidata QID")
    # Set when this speaker was merged into another (the catalogue keeps one entry per person).
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SpeakerQuerySet.as_manager()

    class Meta:
        ordering = ["project", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="speaker_unique_name_per_project"),
            models.CheckConstraint(condition=Q(name=Trim("name")) & ~Q(name=""), name="speaker_name_trimmed"),
            models.CheckConstraint(condition=Q(kind__in=SpeakerKind.values), name="speaker_kind_known"),
            models.CheckConstraint(
                condition=Q(wikidata_qid="") | Q(wikidata_qid__regex=r"^Q[1-9][0-9]*$"), name="speaker_qid_format"
            ),
            models.CheckConstraint(condition=~Q(merged_into=F("pk")), name="speaker_not_merged_into_itself"),
        ]

    def __str__(self) -> str:
        return self.name


class SpeakerAlias(models.Model):
    """Another name the speaker goes by ('Ankara' for Turkey, 'a top Pentagon official')."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)

    class Meta:
        ordering = ["speaker", "name"]
        verbose_name_plural = "speaker aliases"
        constraints = [
            models.UniqueConstraint(fields=["speaker", "name"], name="speakeralias_unique_per_speaker"),
            models.CheckConstraint(condition=Q(name=Trim("name")) & ~Q(name=""), name="speakeralias_name_trimmed"),
        ]

    def __str__(self) -> str:
        return self.name
