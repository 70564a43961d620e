"""The Django admin, set up so a reviewer or manager can actually work in it."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, F
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from claims.models import (
    Article,
    ArticleStance,
    Assignment,
    Claim,
    ClaimMention,
    Membership,
    Project,
    Release,
    Speaker,
    SpeakerAlias,
    StanceLabel,
    Suggestion,
)
from claims.reads.review import article_review, review_queue
from claims.services.articles import article_is_annotated
from claims.services.labels import article_stance_problems, mention_problems
from claims.services.speakers import MAX_ALIASES_PER_SPEAKER


def _link(obj, label=None):
    if obj is None:
        return "—"
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, label or str(obj))


# --- Projects -----------------------------------------------------------------------------------
class StanceLabelInline(admin.TabularInline):
    model = StanceLabel
    extra = 0
    fields = ["position", "value", "name", "shortcut", "colour", "for_mentions", "for_articles", "fnc1", "emergent",
              "semeval"]  # fmt: skip


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "annotators_per_article", "blind_annotation", "article_count", "member_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_by", "created_at"]
    inlines = [StanceLabelInline, MembershipInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_articles=Count("articles", distinct=True), n_members=Count("memberships", distinct=True))
        )

    @admin.display(description="articles", ordering="n_articles")
    def article_count(self, project):
        return project.n_articles

    @admin.display(description="members", ordering="n_members")
    def member_count(self, project):
        return project.n_members


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "project", "role", "created_at"]
    list_filter = ["role", "project"]
    search_fields = ["user__username", "project__name"]
    autocomplete_fields = ["user", "project"]


# --- Articles -----------------------------------------------------------------------------------
class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    fields = ["open_link", "annotator", "is_gold", "status", "submitted_at"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="assignment")
    def open_link(self, assignment):
        return _link(assignment, f"#{assignment.pk}")


class ReviewedFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("reviewed", "reviewed (gold submitted)"), ("unreviewed", "unreviewed")]

    def queryset(self, request, queryset):
        reviewed = Assignment.objects.filter(is_gold=True, status="submitted").values("article_id")
        if self.value() == "reviewed":
            return queryset.filter(pk__in=reviewed)
        if self.value() == "unreviewed":
            return queryset.exclude(pk__in=reviewed)
        return queryset


class DisagreementFilter(admin.SimpleListFilter):
    title = "annotators"
    parameter_name = "agreement"

    def lookups(self, request, model_admin):
        return [("disagreeing", "disagree somewhere"), ("agreeing", "agree everywhere")]

    def queryset(self, request, queryset):
        if self.value() not in ("disagreeing", "agreeing"):
            return queryset
        handed_in = []
        for project in Project.objects.filter(pk__in=queryset.values("project_id")):
            handed_in += review_queue(project=project, limit=10_000)
        ids = [item.article.pk for item in handed_in if (item.disagreement > 0) == (self.value() == "disagreeing")]
        return queryset.filter(pk__in=ids)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["__str__", "external_id", "project", "source", "published_at", "assignment_count"]
    list_filter = [ReviewedFilter, DisagreementFilter, "project", "language", "source"]
    search_fields = ["title", "external_id", "source", "author"]
    readonly_fields = ["body_sha256", "created_at", "updated_at", "everyones_work"]
    date_hierarchy = "published_at"
    inlines = [AssignmentInline]

    @admin.display(description="everyone's work, lined up")
    def everyones_work(self, article):
        """Read-only: each stretch of text marked by anyone, what each annotator and gold made of it."""
        review = article_review(article)
        names = [a.annotator.username for a in review.assignments if a.status == "submitted"]
        if not review.units:
            return "No submitted labels yet."

        def describe(mention):
            if mention is None:
                return "—"
            speaker = mention.speaker.name if mention.speaker else "outlet"
            return f"{speaker} · {mention.quote_type} · {mention.stance or 'no stance'}"

        header = format_html_join("", "<th>{}</th>", ((name,) for name in [*names, "gold"]))
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td>{}</tr>",
            (
                (
                    article.body[unit.start : unit.end][:80],
                    ", ".join(unit.differs) or "agree",
                    format_html_join(
                        "", "<td>{}</td>", ((describe(m),) for m in [*[unit.mentions[n] for n in names], unit.gold])
                    ),
                )
                for unit in review.units
            ),
        )
        return format_html("<table><tr><th>text</th><th>differ on</th>{}</tr>{}</table>", header, rows)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("project").annotate(n_assignments=Count("assignments"))

    @admin.display(description="assignments", ordering="n_assignments")
    def assignment_count(self, article):
        return article.n_assignments

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Offsets of every label point into the body: once labelled, it must not change.
        if obj is not None and article_is_annotated(obj):
            fields += ["body", "project"]
        return fields


# --- Speakers and claims ------------------------------------------------------------------------
class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    extra = 1
    max_num = MAX_ALIASES_PER_SPEAKER  # the speaker service's cap: the admin's formset refuses more too


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "role", "alias_list", "project", "mention_count"]
    list_filter = ["kind", "project"]
    search_fields = ["name", "aliases__name", "role", "wikidata_qid"]
    inlines = [SpeakerAliasInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("project").prefetch_related("aliases")
            .annotate(n_mentions=Count("mentions", distinct=True))
        )  # fmt: skip

    @admin.display(description="aliases")
    def alias_list(self, speaker):
        return ", ".join(alias.name for alias in speaker.aliases.all())

    @admin.display(description="mentions", ordering="n_mentions")
    def mention_count(self, speaker):
        return speaker.n_mentions


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["text", "project", "mention_count", "article_stance_count", "created_by", "created_at"]
    list_filter = ["project"]
    search_fields = ["text", "notes"]
    readonly_fields = ["created_by", "created_at", "updated_at"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("project", "created_by")
            .annotate(n_mentions=Count("mentions", distinct=True), n_stances=Count("article_stances", distinct=True))
        )  # fmt: skip

    @admin.display(description="mentions", ordering="n_mentions")
    def mention_count(self, claim):
        return claim.n_mentions

    @admin.display(description="article stances", ordering="n_stances")
    def article_stance_count(self, claim):
        return claim.n_stances


# --- Annotation work ----------------------------------------------------------------------------
class ClaimMentionForm(forms.ModelForm):
    """Admin edits meet the same rules as the API (services.labels.mention_problems)."""

    class Meta:
        model = ClaimMention
        fields = [
            "assignment", "start", "end", "text", "speaker", "source_start", "source_end", "source_text",
            "cue_start", "cue_end", "cue_text", "quote_type", "claim", "stance",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        assignment = data.get("assignment") or getattr(self.instance, "assignment", None)
        if assignment is None or self.errors:
            return data

        def span(name):
            if data.get(f"{name}_start") is None and data.get(f"{name}_end") is None and not data.get(f"{name}_text"):
                data[f"{name}_text"] = None  # an empty form field means "no span", stored as NULL
                return None
            return {
                "start": data.get(f"{name}_start"),
                "end": data.get(f"{name}_end"),
                "text": data.get(f"{name}_text"),
            }

        fields = {
            "start": data.get("start"), "end": data.get("end"), "text": data.get("text"),
            "speaker": data.get("speaker"), "source": span("source"), "cue": span("cue"),
            "quote_type": data.get("quote_type"), "claim": data.get("claim"), "stance": data.get("stance") or None,
        }  # fmt: skip
        data["stance"] = fields["stance"]
        for field, messages in mention_problems(article=assignment.article, fields=fields).errors.items():
            target = {"speaker_id": "speaker", "claim_id": "claim"}.get(field, field)
            target = target if target in self.fields else None
            for message in messages:
                self.add_error(target, message)
        return data


def _bump_versions(queryset):
    # Admin edits count as changes for optimistic concurrency, so API clients holding an older
    # version get 412 instead of overwriting the admin's edit.
    queryset.update(version=F("version") + 1)


class ClaimMentionInline(admin.StackedInline):
    model = ClaimMention
    form = ClaimMentionForm
    extra = 0
    autocomplete_fields = ["speaker", "claim"]
    fieldsets = [
        (None, {"fields": [("start", "end"), "text", ("speaker", "quote_type"), ("claim", "stance")]}),
        ("Source and cue spans", {"fields": [("source_start", "source_end", "source_text"),
                                             ("cue_start", "cue_end", "cue_text")]}),
    ]  # fmt: skip


class ArticleStanceForm(forms.ModelForm):
    class Meta:
        model = ArticleStance
        fields = ["assignment", "claim", "stance"]

    def clean(self):
        data = super().clean()
        assignment = data.get("assignment") or getattr(self.instance, "assignment", None)
        if assignment is not None and not self.errors:
            problems = article_stance_problems(
                assignment=assignment, claim=data.get("claim"), stance=data.get("stance")
            )
            for field, messages in problems.errors.items():
                for message in messages:
                    self.add_error("claim" if field == "claim_id" else field, message)
        return data


class ArticleStanceInline(admin.TabularInline):
    model = ArticleStance
    form = ArticleStanceForm
    extra = 0
    fields = ["claim", "stance"]
    autocomplete_fields = ["claim"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["id", "article", "annotator", "is_gold", "status", "mention_count", "submitted_at"]
    list_filter = ["status", "is_gold", "article__project"]
    search_fields = ["article__title", "article__external_id", "annotator__username"]
    readonly_fields = ["version", "created_at", "started_at", "submitted_at", "updated_at"]
    autocomplete_fields = ["article", "annotator"]
    inlines = [ClaimMentionInline, ArticleStanceInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("article", "annotator")
            .annotate(n_mentions=Count("mentions"))
        )  # fmt: skip

    @admin.display(description="mentions", ordering="n_mentions")
    def mention_count(self, assignment):
        return assignment.n_mentions

    def save_formset(self, request, form, formset, change):
        formset.save()
        if formset.model in (ClaimMention, ArticleStance):
            _bump_versions(formset.model.objects.filter(pk__in=[obj.pk for obj, _ in formset.changed_objects]))


@admin.register(ClaimMention)
class ClaimMentionAdmin(admin.ModelAdmin):
    form = ClaimMentionForm
    list_display = ["text_preview", "speaker", "cue_text", "quote_type", "claim", "stance", "annotator", "article"]
    list_filter = ["quote_type", "stance", "assignment__is_gold", "assignment__article__project"]
    search_fields = ["text", "speaker__name", "cue_text", "claim__text"]
    autocomplete_fields = ["speaker", "claim", "assignment"]
    readonly_fields = ["version", "created_at", "updated_at"]
    list_select_related = ["speaker", "claim", "assignment__annotator", "assignment__article"]

    @admin.display(description="text")
    def text_preview(self, mention):
        return mention.text if len(mention.text) <= 80 else mention.text[:79] + "…"

    @admin.display(description="annotator")
    def annotator(self, mention):
        return "gold" if mention.assignment.is_gold else mention.assignment.annotator

    @admin.display(description="article")
    def article(self, mention):
        return _link(mention.assignment.article)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            _bump_versions(ClaimMention.objects.filter(pk=obj.pk))


@admin.register(ArticleStance)
class ArticleStanceAdmin(admin.ModelAdmin):
    form = ArticleStanceForm
    list_display = ["assignment", "claim", "stance", "updated_at"]
    list_filter = ["stance", "assignment__article__project"]
    search_fields = ["claim__text", "assignment__article__title"]
    autocomplete_fields = ["assignment", "claim"]
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            _bump_versions(ArticleStance.objects.filter(pk=obj.pk))


# --- drafts and releases ------------------------------------------------------------------------
@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    """Pre-annotator drafts: read-only here (they are redrafted, accepted or rejected, never edited)."""

    list_display = ["text_preview", "article", "quote_type", "speaker", "speaker_name", "confidence", "decided"]
    list_filter = ["quote_type", "article__project"]
    search_fields = ["text", "speaker_name", "article__title"]
    list_select_related = ["article", "speaker"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_decisions=Count("decisions"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="text")
    def text_preview(self, suggestion):
        return suggestion.text if len(suggestion.text) <= 80 else suggestion.text[:79] + "…"

    @admin.display(description="decisions", ordering="n_decisions")
    def decided(self, suggestion):
        return suggestion.n_decisions


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Releases are frozen: the admin shows them, the database refuses any change."""

    list_display = ["project", "number", "format", "size", "sha256", "created_by", "created_at"]
    list_filter = ["project", "format"]
    readonly_fields = ["project", "number", "format", "options", "file", "sha256", "size", "row_counts", "created_by",
                       "created_at"]  # fmt: skip

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
