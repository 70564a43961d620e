"""Dataset releases: cut one (managers), list them and download one (reviewers and managers)."""

from __future__ import annotations

import base64
from pathlib import PurePosixPath

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.views import APIView

from claims.access import MANAGING, REVIEWING, project_for, require_role
from claims.models import Release
from claims.services.exports import FORMATS
from claims.services.releases import release_enqueue

from .exports import attachment, file_responses
from .fields import StrictInputSerializer
from .jobs import JobOutput, accepted
from .pagination import Cursor
from .schema import NOT_FOUND, WRITE_ERRORS

CONTENT_TYPES = {"zip": "application/zip"}


@extend_schema_serializer(component_name="Release")
class ReleaseOutput(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Release
        fields = ["id", "project", "number", "format", "options", "sha256", "size", "row_counts", "created_by",
                  "created_at", "download_url"]  # fmt: skip

    def get_download_url(self, release) -> str:
        return f"/api/releases/{release.pk}/download/"


@extend_schema_serializer(component_name="ReleaseWrite")
class ReleaseInput(StrictInputSerializer):
    """The export to freeze; validated by the export service like the export endpoint's parameters."""

    format = serializers.ChoiceField(choices=list(FORMATS))
    scope = serializers.ChoiceField(choices=["gold", "submitted", "all"], required=False)
    annotators = serializers.ListField(child=serializers.CharField(max_length=150), required=False, max_length=100)
    since = serializers.CharField(required=False, allow_null=True)
    split = serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=100), required=False,
                                  min_length=2, max_length=3)  # fmt: skip
    split_by = serializers.ChoiceField(choices=["article", "claim"], required=False)
    part = serializers.ChoiceField(choices=["train", "dev", "test"], required=False, allow_null=True)


class NewestFirst(Cursor):
    ordering = "-number"


class ReleaseListCreate(GenericAPIView):
    pagination_class = NewestFirst
    serializer_class = ReleaseOutput

    def project(self):
        return project_for(self.request.user, self.kwargs["pk"])

    @extend_schema(responses=ReleaseOutput(many=True), summary="The project's releases (reviewers, managers)")
    def get(self, request, pk: int):
        project = self.project()
        require_role(request.user, project, REVIEWING)
        page = self.paginate_queryset(project.releases.select_related("created_by"))
        return self.get_paginated_response(ReleaseOutput(page, many=True).data)

    @extend_schema(
        request=ReleaseInput,
        responses={202: OpenApiResponse(JobOutput, description="Queued: the job's result names the release once "
                                        "it is cut"), **WRITE_ERRORS},
        summary="Freeze an export into a numbered, immutable release (managers; a background job)",
    )  # fmt: skip
    def post(self, request, pk: int):
        project = self.project()
        require_role(request.user, project, MANAGING)
        data = ReleaseInput(data=request.data)
        data.is_valid(raise_exception=True)
        return accepted(release_enqueue(project=project, user=request.user, **data.validated_data))


class ReleaseDownload(APIView):
    @extend_schema(
        responses={
            **file_responses("The file; X-Content-SHA256 and Repr-Digest give its checksum"),
            404: NOT_FOUND,
        },
        summary="Download a release (reviewers and managers of its project)",
    )
    def get(self, request, pk: int):
        release = get_object_or_404(Release.objects.downloadable_by(request.user), pk=pk)
        name = PurePosixPath(release.file.name).name
        extension = name.rsplit(".", 1)[-1]
        content_type = CONTENT_TYPES.get(extension) or FORMATS[release.format].CONTENT_TYPE
        response = attachment(FileResponse(release.file.open("rb")), filename=name, content_type=content_type)
        response["X-Content-SHA256"] = release.sha256
        response["Repr-Digest"] = f"sha-256=:{base64.b64encode(bytes.fromhex(release.sha256)).decode()}:"
        return response
