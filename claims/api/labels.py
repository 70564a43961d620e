"""The labels of an assignment: claim mentions and article stances (versioned, If-Match on writes)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.access import require_label_writer
from claims.models import ArticleStance, Assignment, Claim, ClaimMention, QuoteType, Speaker
from claims.offsets import stored_span
from claims.services.labels import (
    article_stance_delete,
    article_stance_set,
    article_stance_update,
    mention_create,
    mention_delete,
    mention_update,
)

from .concurrency import etag, expected_version
from .fields import SpanSerializer, StrictInputSerializer, offset_field
from .pagination import Cursor
from .schema import VERSIONED_WRITE_ERRORS, WRITE_ERRORS

NO_SUCH_SPEAKER = "No speaker with this id in the article's project."
NO_SUCH_CLAIM = "No claim with this id in the article's project."

IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description='The ETag you last read, e.g. "3". Stale → 412, missing → 428.',
)  # fmt: skip


# --- output -------------------------------------------------------------------------------------
class SpeakerRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class ClaimRef(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


@extend_schema_serializer(component_name="Mention")
class MentionOutput(serializers.ModelSerializer):
    """The mention shape of docs/api.md, plus its assignment and version."""

    speaker = SpeakerRef(allow_null=True)
    source = serializers.SerializerMethodField()
    cue = serializers.SerializerMethodField()
    claim = ClaimRef(allow_null=True)

    class Meta:
        model = ClaimMention
        fields = ["id", "assignment", "start", "end", "text", "speaker", "source", "cue", "quote_type", "claim",
                  "stance", "version", "created_at", "updated_at"]  # fmt: skip

    @extend_schema_field(SpanSerializer(allow_null=True))
    def get_source(self, mention) -> dict | None:
        return stored_span(mention, "source")

    @extend_schema_field(SpanSerializer(allow_null=True))
    def get_cue(self, mention) -> dict | None:
        return stored_span(mention, "cue")


@extend_schema_serializer(component_name="ArticleStance")
class ArticleStanceOutput(serializers.ModelSerializer):
    claim = ClaimRef()

    class Meta:
        model = ArticleStance
        fields = ["id", "assignment", "claim", "stance", "version", "created_at", "updated_at"]


def mentions_of(assignments) -> QuerySet:
    return ClaimMention.objects.filter(assignment__in=assignments).select_related("speaker", "claim")


# --- input --------------------------------------------------------------------------------------
@extend_schema_serializer(component_name="MentionWrite")
class MentionInput(StrictInputSerializer):
    ignored = (*StrictInputSerializer.ignored, "assignment")
    start = offset_field()
    end = offset_field()
    text = serializers.CharField(trim_whitespace=False, max_length=1_000_000)
    speaker_id = serializers.IntegerField(allow_null=True, required=False, min_value=1, max_value=2**63 - 1)
    source = SpanSerializer(allow_null=True, required=False)
    cue = SpanSerializer(allow_null=True, required=False)
    quote_type = serializers.ChoiceField(choices=QuoteType.choices, required=False)
    claim_id = serializers.IntegerField(allow_null=True, required=False, min_value=1, max_value=2**63 - 1)
    stance = serializers.CharField(allow_null=True, required=False, max_length=50)


@extend_schema_serializer(component_name="MentionChange")
class MentionUpdateInput(MentionInput):
    start = offset_field(required=False)
    end = offset_field(required=False)
    text = serializers.CharField(trim_whitespace=False, max_length=1_000_000, required=False)


@extend_schema_serializer(component_name="ArticleStanceWrite")
class ArticleStanceInput(StrictInputSerializer):
    ignored = (*StrictInputSerializer.ignored, "assignment")
    claim_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    stance = serializers.CharField(max_length=50)


@extend_schema_serializer(component_name="ArticleStanceChange")
class ArticleStanceUpdateInput(ArticleStanceInput):
    claim_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1, required=False)
    stance = serializers.CharField(max_length=50, required=False)


def _resolve(data: dict, project_id: int) -> dict:
    """Turn speaker_id / claim_id into objects of the same project; anything else is a 400."""
    resolved = dict(data)
    if "speaker_id" in resolved:
        speaker_id = resolved.pop("speaker_id")
        resolved["speaker"] = None
        if speaker_id is not None:
            resolved["speaker"] = Speaker.objects.filter(project_id=project_id, pk=speaker_id).order_by().first()
            if resolved["speaker"] is None:
                raise serializers.ValidationError({"speaker_id": [NO_SUCH_SPEAKER]})
    if "claim_id" in resolved:
        claim_id = resolved.pop("claim_id")
        resolved["claim"] = None
        if claim_id is not None:
            resolved["claim"] = Claim.objects.filter(project_id=project_id, pk=claim_id).order_by().first()
            if resolved["claim"] is None:
                raise serializers.ValidationError({"claim_id": [NO_SUCH_CLAIM]})
    return resolved


def _versioned(data: dict, obj, code=status.HTTP_200_OK) -> Response:
    return Response(data, status=code, headers={"ETag": etag(obj.version)})


def visible_assignment(request, pk: int) -> Assignment:
    return get_object_or_404(Assignment.objects.visible_to(request.user).select_related("article"), pk=pk)


# --- mentions -----------------------------------------------------------------------------------
class MentionListCreate(GenericAPIView):
    pagination_class = Cursor
    serializer_class = MentionOutput

    @extend_schema(responses=MentionOutput(many=True), summary="The assignment's mentions")
    def get(self, request, pk: int):
        assignment = visible_assignment(request, pk)
        page = self.paginate_queryset(mentions_of([assignment.pk]))
        return self.get_paginated_response(MentionOutput(page, many=True).data)

    @extend_schema(
        request=MentionInput, responses={201: MentionOutput, **WRITE_ERRORS}, summary="Label who claimed what"
    )
    def post(self, request, pk: int):
        assignment = visible_assignment(request, pk)
        require_label_writer(request.user, assignment)
        data = MentionInput(data=request.data)
        data.is_valid(raise_exception=True)
        mention = mention_create(assignment=assignment, **_resolve(data.validated_data, assignment.article.project_id))
        return _versioned(MentionOutput(mention).data, mention, status.HTTP_201_CREATED)


class MentionDetail(APIView):
    def mention(self, request, pk: int) -> ClaimMention:
        queryset = ClaimMention.objects.visible_to(request.user).select_related(
            "speaker", "claim", "assignment__article"
        )
        return get_object_or_404(queryset, pk=pk)

    @extend_schema(responses=MentionOutput, summary="A mention (ETag: its version)")
    def get(self, request, pk: int):
        mention = self.mention(request, pk)
        return _versioned(MentionOutput(mention).data, mention)

    @extend_schema(
        request=MentionUpdateInput,
        responses={200: MentionOutput, **VERSIONED_WRITE_ERRORS},
        parameters=[IF_MATCH],
        summary="Change a mention (If-Match required)",
    )
    def patch(self, request, pk: int):
        mention = self.mention(request, pk)
        require_label_writer(request.user, mention.assignment)
        version = expected_version(request)
        data = MentionUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = _resolve(data.validated_data, mention.assignment.article.project_id)
        mention = mention_update(mention=mention, expected_version=version, **changes)
        return _versioned(MentionOutput(mention).data, mention)

    @extend_schema(
        responses={204: None, **VERSIONED_WRITE_ERRORS},
        parameters=[IF_MATCH],
        summary="Delete a mention (If-Match required)",
    )
    def delete(self, request, pk: int):
        mention = self.mention(request, pk)
        require_label_writer(request.user, mention.assignment)
        mention_delete(mention=mention, expected_version=expected_version(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- article stances ----------------------------------------------------------------------------
class ArticleStanceListCreate(GenericAPIView):
    pagination_class = Cursor
    serializer_class = ArticleStanceOutput

    @extend_schema(responses=ArticleStanceOutput(many=True), summary="The assignment's article stances")
    def get(self, request, pk: int):
        assignment = visible_assignment(request, pk)
        page = self.paginate_queryset(ArticleStance.objects.filter(assignment=assignment).select_related("claim"))
        return self.get_paginated_response(ArticleStanceOutput(page, many=True).data)

    @extend_schema(
        request=ArticleStanceInput,
        responses={201: ArticleStanceOutput, 200: ArticleStanceOutput, **WRITE_ERRORS},
        summary="Set the article's own stance toward a claim (200 when it replaced an earlier one)",
    )
    def post(self, request, pk: int):
        assignment = visible_assignment(request, pk)
        require_label_writer(request.user, assignment)
        data = ArticleStanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = _resolve(data.validated_data, assignment.article.project_id)
        stance, created = article_stance_set(assignment=assignment, **fields)
        return _versioned(
            ArticleStanceOutput(stance).data, stance, status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class ArticleStanceDetail(APIView):
    def article_stance(self, request, pk: int) -> ArticleStance:
        queryset = ArticleStance.objects.visible_to(request.user).select_related("claim", "assignment__article")
        return get_object_or_404(queryset, pk=pk)

    @extend_schema(responses=ArticleStanceOutput, summary="An article stance (ETag: its version)")
    def get(self, request, pk: int):
        stance = self.article_stance(request, pk)
        return _versioned(ArticleStanceOutput(stance).data, stance)

    @extend_schema(
        request=ArticleStanceUpdateInput,
        responses={200: ArticleStanceOutput, **VERSIONED_WRITE_ERRORS},
        parameters=[IF_MATCH],
        summary="Change an article stance (If-Match required)",
    )
    def patch(self, request, pk: int):
        stance = self.article_stance(request, pk)
        require_label_writer(request.user, stance.assignment)
        version = expected_version(request)
        data = ArticleStanceUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = _resolve(data.validated_data, stance.assignment.article.project_id)
        stance = article_stance_update(article_stance=stance, expected_version=version, **changes)
        return _versioned(ArticleStanceOutput(stance).data, stance)

    @extend_schema(
        responses={204: None, **VERSIONED_WRITE_ERRORS},
        parameters=[IF_MATCH],
        summary="Remove an article stance (If-Match)",
    )
    def delete(self, request, pk: int):
        stance = self.article_stance(request, pk)
        require_label_writer(request.user, stance.assignment)
        article_stance_delete(article_stance=stance, expected_version=expected_version(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
