"""Tracked claims: list, word search and similar-claim ranking, edit, merge, split, timeline."""

from __future__ import annotations

from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.access import MANAGING, REVIEWING, project_for, require_role
from claims.models import Claim, ClaimMention
from claims.reads.merges import claim_merge_preview
from claims.reads.search import claims_matching, claims_similar
from claims.services.tracked_claims import (
    CLAIM_TEXT_LIMIT,
    claim_create,
    claim_delete,
    claim_merge,
    claim_merge_check,
    claim_split,
    claim_update,
)

from .catalogue import INTO_PARAMETER, MergeInput, MovedOutput, moved, preview_into, search_parameter, search_term
from .fields import StrictInputSerializer
from .labels import MentionOutput
from .pagination import Cursor
from .schema import WRITE_ERRORS

NO_SUCH_CLAIM = "No claim with this id in the project."


@extend_schema_serializer(component_name="Claim")
class ClaimOutput(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    # Only in ranked lists. Not read_only: drf-spectacular lists every read-only field as required.
    score = serializers.FloatField(required=False, help_text="How well it matches the query (0–1); ranked lists only.")

    class Meta:
        model = Claim
        fields = ["id", "project", "text", "notes", "created_by", "created_at", "updated_at", "score"]


@extend_schema_serializer(component_name="ClaimWrite")
class ClaimInput(StrictInputSerializer):
    ignored = (*StrictInputSerializer.ignored, "project", "created_by", "score")
    text = serializers.CharField(max_length=CLAIM_TEXT_LIMIT)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=20_000)


@extend_schema_serializer(component_name="ClaimChange")
class ClaimUpdateInput(ClaimInput):
    text = serializers.CharField(max_length=CLAIM_TEXT_LIMIT, required=False)


@extend_schema_serializer(component_name="ClaimSplit")
class SplitInput(StrictInputSerializer):
    text = serializers.CharField(max_length=CLAIM_TEXT_LIMIT, help_text="The new claim's text")
    mention_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, max_length=10_000)
    article_stance_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=10_000
    )


SIMILAR_TO = OpenApiParameter(
    "similar_to",
    OpenApiTypes.STR,
    description=f"Rank claims by similarity to this text (a selection, at most {CLAIM_TEXT_LIMIT} characters); "
    "adds `score` (0–1, comparable between requests)",
)


class ClaimListCreate(GenericAPIView):
    pagination_class = Cursor
    serializer_class = ClaimOutput

    def project(self):
        return project_for(self.request.user, self.kwargs["pk"])

    @extend_schema(
        parameters=[search_parameter("Words (full text, stemmed) or a close spelling; ranked"), SIMILAR_TO],
        responses=ClaimOutput(many=True),
        summary="Tracked claims; ?search= or ?similar_to= give a short ranked list with scores",
    )
    def get(self, request, pk: int):
        project = self.project()
        similar = search_term(request, "similar_to", limit=CLAIM_TEXT_LIMIT)
        words = search_term(request, "search")
        if similar or words:
            # A ranked list keeps its own length, but a malformed page_size is refused as on any list.
            self.paginator.get_page_size(request)
            ranked = (
                claims_similar(project=project, text=similar)
                if similar
                else claims_matching(project=project, words=words).select_related("created_by")[:50]
            )
            return Response({"next": None, "previous": None, "results": ClaimOutput(ranked, many=True).data})
        page = self.paginate_queryset(Claim.objects.filter(project=project).current().select_related("created_by"))
        return self.get_paginated_response(ClaimOutput(page, many=True).data)

    @extend_schema(
        request=ClaimInput, responses={201: ClaimOutput, **WRITE_ERRORS}, summary="Track a new claim (any member)"
    )
    def post(self, request, pk: int):
        project = self.project()
        data = ClaimInput(data=request.data)
        data.is_valid(raise_exception=True)
        claim = claim_create(project=project, created_by=request.user, **data.validated_data)
        return Response(ClaimOutput(claim).data, status=status.HTTP_201_CREATED)


def _claim(request, pk: int) -> Claim:
    return get_object_or_404(Claim.objects.for_user(request.user).select_related("created_by"), pk=pk)


class ClaimDetail(APIView):
    @extend_schema(
        responses={200: ClaimOutput, 301: OpenApiResponse(MovedOutput, description="Merged into another claim")},
        summary="A tracked claim (a merged one answers 301 with where it went)",
    )
    def get(self, request, pk: int):
        claim = _claim(request, pk)
        return (
            moved(claim, what="claim", route="api-claim") if claim.merged_into_id else Response(ClaimOutput(claim).data)
        )

    @extend_schema(
        request=ClaimUpdateInput,
        responses={200: ClaimOutput, **WRITE_ERRORS},
        summary="Reword a claim (reviewers, managers)",
    )
    def patch(self, request, pk: int):
        claim = _claim(request, pk)
        require_role(request.user, claim.project_id, REVIEWING)
        data = ClaimUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        claim_update(claim=claim, **data.validated_data)
        return Response(ClaimOutput(_claim(request, pk)).data)

    @extend_schema(responses={204: None, **WRITE_ERRORS}, summary="Delete a claim no label refers to (managers)")
    def delete(self, request, pk: int):
        claim = _claim(request, pk)
        require_role(request.user, claim.project_id, MANAGING)
        claim_delete(claim=claim)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_serializer(component_name="ClaimMergePreview")
class ClaimMergePreviewOutput(serializers.Serializer):
    source = serializers.IntegerField(source="source.pk")
    into = serializers.IntegerField(source="target.pk")
    mentions = serializers.IntegerField(help_text="Mentions that will point at the claim that stays")
    article_stances = serializers.IntegerField(help_text="Article stances that will point at the claim that stays")
    article_stances_dropped = serializers.IntegerField(
        help_text="Article stances dropped: the same work already has one toward the claim that stays"
    )
    claims_redirected = serializers.IntegerField(help_text="Claims merged earlier into this one, which will follow")


class ClaimMerge(APIView):
    @extend_schema(
        parameters=[INTO_PARAMETER],
        responses={200: ClaimMergePreviewOutput, **WRITE_ERRORS},
        summary="What merging this claim into another would move, changing nothing (reviewers, managers)",
    )
    def get(self, request, pk: int):
        source = _claim(request, pk)
        require_role(request.user, source.project_id, REVIEWING)
        target = Claim.objects.filter(project=source.project_id, pk=preview_into(request)).first()
        if target is None:
            raise serializers.ValidationError({"into": [NO_SUCH_CLAIM]})
        claim_merge_check(source=source, target=target)
        return Response(ClaimMergePreviewOutput(claim_merge_preview(source=source, target=target)).data)

    @extend_schema(
        request=MergeInput,
        responses={200: ClaimOutput, **WRITE_ERRORS},
        summary="Merge this claim into another (reviewers, managers): mentions and article stances move",
    )
    def post(self, request, pk: int):
        source = _claim(request, pk)
        require_role(request.user, source.project_id, REVIEWING)
        data = MergeInput(data=request.data)
        data.is_valid(raise_exception=True)
        target = Claim.objects.filter(project=source.project_id, pk=data.validated_data["into"]).first()
        if target is None:
            raise serializers.ValidationError({"into": [NO_SUCH_CLAIM]})
        return Response(ClaimOutput(claim_merge(source=source, target=target)).data)


class ClaimSplit(APIView):
    @extend_schema(
        request=SplitInput,
        responses={201: ClaimOutput, **WRITE_ERRORS},
        summary="Split off a new claim with some of this claim's mentions and article stances (reviewers, managers)",
    )
    def post(self, request, pk: int):
        claim = _claim(request, pk)
        require_role(request.user, claim.project_id, REVIEWING)
        data = SplitInput(data=request.data)
        data.is_valid(raise_exception=True)
        new = claim_split(claim=claim, created_by=request.user, **data.validated_data)
        return Response(ClaimOutput(new).data, status=status.HTTP_201_CREATED)


class TimelineArticle(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    source = serializers.CharField()
    url = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)


class TimelineEntry(serializers.Serializer):
    mention = MentionOutput(source="*")
    article = TimelineArticle(source="assignment.article")
    annotator = serializers.CharField(source="assignment.annotator.username")
    gold = serializers.BooleanField(source="assignment.is_gold")
    when = serializers.DateTimeField(help_text="Publication date, or the import date when unknown.")


class TimelineCursor(Cursor):
    ordering = ("when", "id")


class ClaimTimeline(GenericAPIView):
    pagination_class = TimelineCursor
    serializer_class = TimelineEntry

    @extend_schema(
        responses=TimelineEntry(many=True),
        summary="Every mention of the claim the caller may see, by the article's publication date",
    )
    def get(self, request, pk: int):
        claim = _claim(request, pk)
        if claim.merged_into_id:
            return moved(claim, what="claim", route="api-claim")
        mentions = (
            ClaimMention.objects.visible_to(request.user)
            .filter(claim=claim)
            .select_related("speaker", "claim", "assignment__article", "assignment__annotator")
            .annotate(when=Coalesce("assignment__article__published_at", "assignment__article__created_at"))
        )
        page = self.paginate_queryset(mentions)
        return self.get_paginated_response(TimelineEntry(page, many=True).data)
