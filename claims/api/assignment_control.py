"""Assignment control (managers; reviewers read): the queue by article, releasing open work, giving an
article to a chosen member, an article's priority and qualification flag, and qualification results."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.access import MANAGING, REVIEWING, project_for, require_role
from claims.models import Article, Assignment
from claims.models.articles import PRIORITY_MAX, PRIORITY_MIN
from claims.reads.assignments import QUEUE_SHOWS, assignment_queue
from claims.reads.qualification import LAYERS, qualification_results
from claims.services.assignments import (
    article_queue_settings,
    assignment_release,
    assignments_release_stale,
)

from .fields import StrictInputSerializer, StrictIntegerField
from .schema import WRITE_ERRORS

BAD_SHOW = "show must be open or all."
BAD_OFFSET = "offset must be a whole number of at least 0."


# --- the queue ---------------------------------------------------------------------------------------
class QueuedWorkOutput(serializers.Serializer):
    assignment_id = serializers.IntegerField()
    annotator = serializers.CharField()
    status = serializers.CharField()
    is_gold = serializers.BooleanField()
    created_at = serializers.DateTimeField(help_text="When the annotator was given the article")
    last_activity = serializers.DateTimeField(help_text="The assignment's or its newest label's last change")
    sent_back = serializers.BooleanField(help_text="Open again because a reviewer sent it back")
    stale = serializers.BooleanField(help_text="Open with no sign of work for ASSIGNMENT_STALE_DAYS days")


class QueuedArticleOutput(serializers.Serializer):
    article = serializers.SerializerMethodField()
    priority = serializers.IntegerField(source="article.priority")
    qualification = serializers.BooleanField(source="article.is_qualification")
    needs_annotators = serializers.BooleanField(source="article.needs_annotators")
    submitted = serializers.IntegerField(help_text="Annotators' submitted work on it")
    work = QueuedWorkOutput(many=True)

    def get_article(self, item) -> dict:
        return {"id": item.article.pk, "external_id": item.article.external_id, "title": item.article.title}


@extend_schema_serializer(component_name="AssignmentQueue")
class QueueOutput(serializers.Serializer):
    count = serializers.IntegerField(help_text="Articles this filter lists, on every page")
    next_offset = serializers.IntegerField(allow_null=True, help_text="offset of the next page; null on the last")
    stale_days = serializers.IntegerField()
    stale = serializers.IntegerField(help_text="Stale open assignments in the whole project")
    results = QueuedArticleOutput(many=True, source="articles")


def _offset(request) -> int:
    raw = request.query_params.get("offset", "0")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise serializers.ValidationError({"offset": [BAD_OFFSET]})
    return int(raw)


class AssignmentQueue(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "show",
                OpenApiTypes.STR,
                enum=list(QUEUE_SHOWS),
                description="open (default): articles still needing annotators or with open work",
            ),
            OpenApiParameter("offset", OpenApiTypes.INT, description="Skip this many articles (pages of 100)"),
        ],
        responses=QueueOutput,
        summary="The work queue by article, in the order `next` hands it out (reviewers, managers)",
    )
    def get(self, request, pk: int):
        project = project_for(request.user, pk, REVIEWING)
        show = request.query_params.get("show", "open")
        if show not in QUEUE_SHOWS:
            raise serializers.ValidationError({"show": [BAD_SHOW]})
        return Response(QueueOutput(assignment_queue(project=project, show=show, offset=_offset(request))).data)


# --- releasing and assigning ---------------------------------------------------------------------------
class AssignmentRelease(APIView):
    @extend_schema(
        request=None,
        responses={204: OpenApiResponse(description="Released: the article is back in the pool"), **WRITE_ERRORS},
        summary="Give an annotator's open work back to the pool; its labels are deleted (managers)",
    )
    def post(self, request, pk: int):
        assignment = get_object_or_404(Assignment.objects.visible_to(request.user), pk=pk)
        require_role(request.user, assignment.article.project_id, MANAGING)
        assignment_release(assignment=assignment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReleaseStaleInput(StrictInputSerializer):
    days = StrictIntegerField(
        required=False, min_value=1, max_value=36500, help_text="Idle this many days; ASSIGNMENT_STALE_DAYS if left out"
    )


@extend_schema_serializer(component_name="ReleasedAssignments")
class ReleasedOutput(serializers.Serializer):
    released = serializers.IntegerField()
    days = serializers.IntegerField()


class AssignmentsReleaseStale(APIView):
    @extend_schema(
        request=ReleaseStaleInput,
        responses={200: ReleasedOutput, **WRITE_ERRORS},
        summary="Release every open assignment idle for N days (managers)",
    )
    def post(self, request, pk: int):
        project = project_for(request.user, pk, MANAGING)
        data = ReleaseStaleInput(data=request.data)
        data.is_valid(raise_exception=True)
        days = data.validated_data.get("days", settings.ASSIGNMENT_STALE_DAYS)
        return Response({"released": assignments_release_stale(project=project, days=days), "days": days})


# --- an article's place in the queue --------------------------------------------------------------------
@extend_schema_serializer(component_name="ArticleQueueSettings")
class QueueSettingsOutput(serializers.Serializer):
    article = serializers.IntegerField(source="pk")
    priority = serializers.IntegerField(help_text="Higher first; then the article's id")
    qualification = serializers.BooleanField(
        source="is_qualification", help_text="A qualification item: annotators are scored against its gold version"
    )


@extend_schema_serializer(component_name="ArticleQueueSettingsChange")
class QueueSettingsInput(StrictInputSerializer):
    ignored = (*StrictInputSerializer.ignored, "article")
    priority = StrictIntegerField(required=False, min_value=PRIORITY_MIN, max_value=PRIORITY_MAX)
    qualification = serializers.BooleanField(required=False)


def _article(request, pk: int, roles) -> Article:
    article = get_object_or_404(Article.objects.visible_to(request.user), pk=pk)
    require_role(request.user, article.project_id, roles)
    return article


class ArticleQueueSettings(APIView):
    @extend_schema(
        responses=QueueSettingsOutput, summary="An article's priority and qualification flag (reviewers, managers)"
    )
    def get(self, request, pk: int):
        return Response(QueueSettingsOutput(_article(request, pk, REVIEWING)).data)

    @extend_schema(
        request=QueueSettingsInput,
        responses={200: QueueSettingsOutput, **WRITE_ERRORS},
        summary="Set an article's priority and whether it is a qualification item (managers)",
    )
    def patch(self, request, pk: int):
        article = _article(request, pk, MANAGING)
        data = QueueSettingsInput(data=request.data)
        data.is_valid(raise_exception=True)
        article = article_queue_settings(
            article=article, priority=data.validated_data.get("priority"),
            qualification=data.validated_data.get("qualification"),
        )  # fmt: skip
        return Response(QueueSettingsOutput(article).data)


# --- qualification results ------------------------------------------------------------------------------
class LayerScoreOutput(serializers.Serializer):
    agreed = serializers.IntegerField()
    compared = serializers.IntegerField()
    accuracy = serializers.FloatField(allow_null=True, help_text="agreed / compared; null when nothing compared")


class AnnotatorAccuracyOutput(serializers.Serializer):
    username = serializers.CharField()
    items = serializers.IntegerField(help_text="Qualification items submitted whose gold is submitted")
    layers = serializers.DictField(child=LayerScoreOutput(), help_text=", ".join(LAYERS))


@extend_schema_serializer(component_name="QualificationResults")
class QualificationOutput(serializers.Serializer):
    items = serializers.IntegerField(help_text="Articles marked as qualification items")
    with_gold = serializers.IntegerField(help_text="Of those, with a submitted gold version")
    layers = serializers.SerializerMethodField()
    annotators = AnnotatorAccuracyOutput(many=True)

    def get_layers(self, results) -> dict[str, str]:
        return LAYERS


class Qualification(APIView):
    @extend_schema(
        responses=QualificationOutput,
        summary="Each annotator's accuracy against gold on qualification items, per layer (reviewers, managers)",
    )
    def get(self, request, pk: int):
        project = project_for(request.user, pk, REVIEWING)
        return Response(QualificationOutput(qualification_results(project=project)).data)
