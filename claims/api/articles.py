"""Articles of a project: list, add one or many (idempotent by external_id), read, edit, delete."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.access import MANAGING, project_for, require_role
from claims.models import Article
from claims.models.articles import field_limit
from claims.services.articles import article_delete, article_get_or_create, article_update, articles_create_all

from .fields import StrictInputSerializer
from .filters import StrictFilterSet, StrictOrderingFilter, UtcDateTimeFilter
from .pagination import Cursor
from .schema import WRITE_ERRORS

BULK_NOT_A_LIST = "Send one article object, or a JSON list of them."
BULK_TOO_MANY = "Send at most {limit} articles per request; use the import endpoint for more."
BULK_LIMIT = 1000


@extend_schema_serializer(component_name="ArticleSummary")
class ArticleSummary(serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = ["id", "project", "external_id", "title", "body_sha256", "source", "url", "author", "published_at",
                  "language", "metadata", "created_at", "updated_at"]  # fmt: skip


@extend_schema_serializer(component_name="Article")
class ArticleOutput(ArticleSummary):
    class Meta(ArticleSummary.Meta):
        fields = [*ArticleSummary.Meta.fields[:4], "body", *ArticleSummary.Meta.fields[4:]]


@extend_schema_serializer(component_name="ArticleWrite")
class ArticleInput(StrictInputSerializer):
    """Validated by the service (services.articles.article_fields_clean); declared here for the schema."""

    ignored = (*StrictInputSerializer.ignored, "project", "body_sha256")
    external_id = serializers.CharField(max_length=field_limit("external_id"))
    title = serializers.CharField(required=False, allow_blank=True, max_length=field_limit("title"))
    body = serializers.CharField(trim_whitespace=False)
    source = serializers.CharField(required=False, allow_blank=True, max_length=field_limit("source"))
    url = serializers.CharField(required=False, allow_blank=True, max_length=field_limit("url"))
    author = serializers.CharField(required=False, allow_blank=True, max_length=field_limit("author"))
    published_at = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    language = serializers.CharField(required=False, max_length=field_limit("language"))
    metadata = serializers.DictField(required=False)


@extend_schema_serializer(component_name="ArticleChange")
class ArticleUpdateInput(ArticleInput):
    external_id = serializers.CharField(max_length=field_limit("external_id"), required=False)
    body = serializers.CharField(trim_whitespace=False, required=False)


class BulkItem(serializers.Serializer):
    index = serializers.IntegerField()
    external_id = serializers.CharField()
    id = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False)


class BulkResult(serializers.Serializer):
    created = BulkItem(many=True)
    skipped = BulkItem(many=True)


def _raw_fields(serializer: StrictInputSerializer, raw: dict) -> dict:
    """The client's own values for the declared fields: the service parses dates and URLs itself."""
    serializer.is_valid(raise_exception=True)
    return {name: raw[name] for name in serializer.fields if name in raw}


class ArticleFilter(StrictFilterSet):
    external_id = django_filters.CharFilter()
    source = django_filters.CharFilter()
    language = django_filters.CharFilter()
    published_after = UtcDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = UtcDateTimeFilter(field_name="published_at", lookup_expr="lt")
    updated_since = UtcDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Article
        fields = []


class ArticleListCreate(GenericAPIView):
    pagination_class = Cursor
    serializer_class = ArticleSummary
    filterset_class = ArticleFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, StrictOrderingFilter]
    ordering_fields = ["id", "published_at", "external_id", "updated_at"]

    def project(self):
        return project_for(self.request.user, self.kwargs["pk"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no project
            return Article.objects.none()
        return Article.objects.visible_to(self.request.user).filter(project=self.project())

    @extend_schema(responses=ArticleSummary(many=True), summary="Articles (without bodies; read one for its body)")
    def get(self, request, pk: int):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(ArticleSummary(page, many=True).data)

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="ArticleOrList",
            serializers=[ArticleInput, ArticleInput(many=True)],
            resource_type_field_name=None,
            many=False,
        ),
        responses={
            201: PolymorphicProxySerializer(
                component_name="ArticleCreated",
                serializers=[ArticleOutput, BulkResult],
                resource_type_field_name=None,
            ),
            200: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="ArticleExisting",
                    serializers=[ArticleOutput, BulkResult],
                    resource_type_field_name=None,
                ),
                description="Nothing new: the article (or every listed one) was already there",
            ),
            **WRITE_ERRORS,
        },
        summary="Add one article, or a JSON list of them (managers; idempotent by external_id)",
        description="A list is all-or-nothing: any invalid item → 400 naming each one by index, nothing stored. "
        "Items whose external_id exists are skipped.",
    )
    def post(self, request, pk: int):
        project = self.project()
        require_role(request.user, project, MANAGING)
        if isinstance(request.data, list):
            return self._bulk(project, request.data)
        if not isinstance(request.data, dict):
            raise serializers.ValidationError({"non_field_errors": [BULK_NOT_A_LIST]})
        fields = _raw_fields(ArticleInput(data=request.data), request.data)
        article, created = article_get_or_create(project=project, **fields)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(ArticleOutput(article).data, status=code)

    def _bulk(self, project, items: list) -> Response:
        if len(items) > BULK_LIMIT:
            raise serializers.ValidationError({"non_field_errors": [BULK_TOO_MANY.format(limit=BULK_LIMIT)]})
        errors = {}
        rows = []
        for index, item in enumerate(items):
            serializer = ArticleInput(data=item)
            if not isinstance(item, dict) or not serializer.is_valid():
                errors[str(index)] = serializer.errors if isinstance(item, dict) else [BULK_NOT_A_LIST]
                continue
            rows.append((index, {name: item[name] for name in serializer.fields if name in item}))
        if errors:
            raise serializers.ValidationError(errors)
        report = articles_create_all(project=project, rows=rows)
        body = {
            "created": [{"index": r["line"], "external_id": r["external_id"], "id": r["id"]} for r in report.accepted],
            "skipped": [{"index": r["line"], "external_id": r["external_id"], "reason": r["reason"]}
                        for r in report.skipped],
        }  # fmt: skip
        return Response(body, status=status.HTTP_201_CREATED if report.accepted else status.HTTP_200_OK)


class ArticleDetail(APIView):
    def article(self, request, pk: int) -> Article:
        return get_object_or_404(Article.objects.visible_to(request.user).select_related("project"), pk=pk)

    @extend_schema(responses=ArticleOutput, summary="An article with its body")
    def get(self, request, pk: int):
        return Response(ArticleOutput(self.article(request, pk)).data)

    @extend_schema(
        request=ArticleUpdateInput,
        responses={200: ArticleOutput, **WRITE_ERRORS},
        summary="Edit an article (managers); the body only while nothing is annotated",
    )
    def patch(self, request, pk: int):
        article = self.article(request, pk)
        require_role(request.user, article.project_id, MANAGING)
        fields = _raw_fields(ArticleUpdateInput(data=request.data, partial=True), request.data)
        return Response(ArticleOutput(article_update(article=article, **fields)).data)

    @extend_schema(responses={204: None, **WRITE_ERRORS}, summary="Delete an article nobody has labelled (managers)")
    def delete(self, request, pk: int):
        article = self.article(request, pk)
        require_role(request.user, article.project_id, MANAGING)
        article_delete(article=article)
        return Response(status=status.HTTP_204_NO_CONTENT)
