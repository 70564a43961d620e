"""Work: the caller's next article, lists of assignments, one assignment with its labels, submit."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.access import MANAGING, project_for, require_status_change
from claims.models import Article, ArticleStance, Assignment, AssignmentStatus
from claims.services.assignments import assignment_assign, assignment_next
from claims.services.review import assignment_status_change

from .concurrency import etag, expected_version
from .fields import StrictInputSerializer, StrictIntegerField
from .filters import StrictFilterSet, StrictOrderingFilter
from .labels import IF_MATCH, ArticleStanceOutput, MentionOutput, mentions_of
from .pagination import Cursor
from .schema import NOT_FOUND, VERSIONED_WRITE_ERRORS, WRITE_ERRORS

NO_SUCH_ARTICLE = "No such article in this project."
NO_SUCH_USER = "No user with this username."


class ArticleRef(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    title = serializers.CharField()


@extend_schema_serializer(component_name="Assignment")
class AssignmentOutput(serializers.ModelSerializer):
    article = ArticleRef()
    annotator = serializers.CharField(source="annotator.username")

    class Meta:
        model = Assignment
        fields = ["id", "article", "annotator", "is_gold", "status", "skip_reason", "review_comment", "sent_back_at",
                  "version", "created_at", "started_at", "submitted_at", "updated_at"]  # fmt: skip


@extend_schema_serializer(component_name="AssignmentWithLabels")
class AssignmentDetailOutput(AssignmentOutput):
    mentions = serializers.SerializerMethodField()
    article_stances = serializers.SerializerMethodField()

    class Meta(AssignmentOutput.Meta):
        fields = [*AssignmentOutput.Meta.fields, "mentions", "article_stances"]

    @extend_schema_field(MentionOutput(many=True))
    def get_mentions(self, assignment) -> list:
        mentions = mentions_of([assignment.pk]).order_by("start", "end", "id")
        return MentionOutput(mentions, many=True).data

    @extend_schema_field(ArticleStanceOutput(many=True))
    def get_article_stances(self, assignment) -> list:
        stances = ArticleStance.objects.filter(assignment=assignment).select_related("claim").order_by("id")
        return ArticleStanceOutput(stances, many=True).data


@extend_schema_serializer(component_name="StatusChange")
class StatusInput(StrictInputSerializer):
    ignored = (*StrictInputSerializer.ignored, "article", "annotator", "is_gold", "started_at", "submitted_at",
               "sent_back_at", "mentions", "article_stances")  # fmt: skip
    status = serializers.ChoiceField(choices=[AssignmentStatus.SUBMITTED, AssignmentStatus.SKIPPED,
                                              AssignmentStatus.IN_PROGRESS])  # fmt: skip
    skip_reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    review_comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


@extend_schema_serializer(component_name="AssignWrite")
class AssignInput(StrictInputSerializer):
    article_id = StrictIntegerField(min_value=1, max_value=2**63 - 1)
    annotator = serializers.CharField(max_length=150, help_text="A member's username")


class AssignmentFilter(StrictFilterSet):
    status = django_filters.ChoiceFilter(choices=AssignmentStatus.choices)
    annotator = django_filters.CharFilter(field_name="annotator__username")
    article = django_filters.NumberFilter(field_name="article_id")
    is_gold = django_filters.BooleanFilter()

    class Meta:
        model = Assignment
        fields = []


def _versioned(data: dict, assignment: Assignment, code=status.HTTP_200_OK) -> Response:
    return Response(data, status=code, headers={"ETag": etag(assignment.version)})


class AssignmentNext(APIView):
    @extend_schema(
        request=None,
        responses={
            201: OpenApiResponse(AssignmentDetailOutput, description="A new article was assigned to the caller"),
            200: OpenApiResponse(AssignmentDetailOutput, description="The caller's open work, resumed"),
            204: OpenApiResponse(description="Nothing is left to annotate"),
            404: NOT_FOUND,
        },
        summary="The caller's next article to annotate",
    )
    def post(self, request, pk: int):
        project = project_for(request.user, pk)
        assignment, created = assignment_next(project=project, user=request.user)
        if assignment is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        assignment = Assignment.objects.select_related("article", "annotator").get(pk=assignment.pk)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return _versioned(AssignmentDetailOutput(assignment).data, assignment, code)


class AssignmentList(GenericAPIView):
    pagination_class = Cursor
    serializer_class = AssignmentOutput
    filterset_class = AssignmentFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, StrictOrderingFilter]
    ordering_fields = ["id", "submitted_at", "updated_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no project
            return Assignment.objects.none()
        project = project_for(self.request.user, self.kwargs["pk"])
        visible = Assignment.objects.visible_to(self.request.user).filter(article__project=project)
        return visible.select_related("article", "annotator")

    @extend_schema(
        responses=AssignmentOutput(many=True),
        summary="Assignments: annotators see their own, reviewers and managers everyone's",
    )
    def get(self, request, pk: int):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(AssignmentOutput(page, many=True).data)

    @extend_schema(
        request=AssignInput,
        responses={201: AssignmentOutput, **WRITE_ERRORS},
        summary="Give an article to a chosen member (managers); this may go past the project's overlap",
    )
    def post(self, request, pk: int):
        project = project_for(request.user, pk, MANAGING)
        data = AssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        article = Article.objects.filter(project=project, pk=data.validated_data["article_id"]).first()
        if article is None:
            raise serializers.ValidationError({"article_id": [NO_SUCH_ARTICLE]})
        annotator = get_user_model().objects.filter(username=data.validated_data["annotator"]).first()
        if annotator is None:
            raise serializers.ValidationError({"annotator": [NO_SUCH_USER]})
        assignment = assignment_assign(article=article, annotator=annotator)
        assignment = Assignment.objects.select_related("article", "annotator").get(pk=assignment.pk)
        return _versioned(AssignmentOutput(assignment).data, assignment, status.HTTP_201_CREATED)


class AssignmentDetail(APIView):
    def assignment(self, request, pk: int) -> Assignment:
        queryset = Assignment.objects.visible_to(request.user).select_related("article", "annotator")
        return get_object_or_404(queryset, pk=pk)

    @extend_schema(responses=AssignmentDetailOutput, summary="An assignment with its mentions and article stances")
    def get(self, request, pk: int):
        assignment = self.assignment(request, pk)
        return _versioned(AssignmentDetailOutput(assignment).data, assignment)

    @extend_schema(
        request=StatusInput,
        responses={200: AssignmentDetailOutput, **VERSIONED_WRITE_ERRORS},
        parameters=[IF_MATCH],
        summary="Submit, skip (with a reason), reopen (the annotator, until review starts) or send back (reviewers)",
    )
    def patch(self, request, pk: int):
        assignment = self.assignment(request, pk)
        version = expected_version(request)
        data = StatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        new_status = data.validated_data["status"]
        require_status_change(request.user, assignment, new_status)
        assignment_status_change(
            assignment=assignment, status=new_status, by=request.user, expected_version=version,
            comment=data.validated_data.get("review_comment", ""), reason=data.validated_data.get("skip_reason", ""),
        )  # fmt: skip
        assignment = self.assignment(request, pk)
        return _versioned(AssignmentDetailOutput(assignment).data, assignment)
