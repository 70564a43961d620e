"""Attributions drafted by the pre-annotator, waiting for a person to accept or reject them.

They are not labels: they live apart from claim mentions, so no export, agreement figure or
review counts them. Accepting one creates an ordinary mention in the annotator's own work.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length

from .annotations import Assignment, ClaimMention, QuoteType
from .articles import Article
from .speakers import Speaker, SpeakerKind


class SuggestionQuerySet(models.QuerySet):
    def pending_for(self, assignment: Assignment) -> SuggestionQuerySet:
        """The article's suggestions this assignment has not decided on yet, in text order."""
        return (
            self.filter(article_id=assignment.article_id)
            .exclude(decisions__assignment=assignment)
            .select_related("speaker")
            .order_by("start", "end")
        )


class Suggestion(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestions")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    source_start = models.PositiveIntegerField(null=True, blank=True)
    source_end = models.PositiveIntegerField(null=True, blank=True)
    source_text = models.TextField(null=True, blank=True)  # noqa: DJ001  (NULL: no span, as in mentions)
    cue_start = models.PositiveIntegerField(null=True, blank=True)
    cue_end = models.PositiveIntegerField(null=True, blank=True)
    cue_text = models.TextField(null=True, blank=True)  # noqa: DJ001
    quote_type = models.CharField(max_length=10, choices=QuoteType.choices)
    # A catalogue speaker when the name resolved to one; otherwise the proposed new speaker's name.
    speaker = models.ForeignKey(Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    speaker_name = models.CharField(max_length=300, blank=True)
    speaker_kind = models.CharField(max_length=16, choices=SpeakerKind.choices, blank=True)
    confidence = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["article", "start", "end"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="suggestion_offsets_ordered"),
            models.CheckConstraint(condition=Q(end=F("start") + Length("text")), name="suggestion_text_length"),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="suggestion_confidence_0_to_1"
            ),
            models.CheckConstraint(condition=Q(quote_type__in=QuoteType.values), name="suggestion_quote_type_known"),
            models.UniqueConstraint(fields=["article", "start", "end"], name="suggestion_unique_span_per_article"),
        ]

    def __str__(self) -> str:
        return f"{self.text[:60]} [{self.start}:{self.end}]"


class Decision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class SuggestionDecision(models.Model):
    """What one annotator decided about one suggestion, in their own assignment."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="decisions")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="suggestion_decisions")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    mention = models.ForeignKey(ClaimMention, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "assignment"], name="decision_unique_per_assignment"),
            models.CheckConstraint(condition=Q(decision__in=Decision.values), name="decision_known"),
        ]

    def __str__(self) -> str:
        return f"{self.decision}: {self.suggestion}"
