"""Background jobs: what an import, a project's pre-annotation or a release is doing (reviewers, managers).

Starting one answers 202 with the job and its URL in `Location`; the client (or the data page) reads
it again until `status` is succeeded or failed. A finished import's `result` is its report, a
release's names the release made; a failed job's `errors` are field messages, as a 400 would give.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from claims.access import REVIEWING, project_for
from claims.models import Job
from claims.services.jobs import jobs_fail_stalled

from .pagination import Cursor
from .schema import NOT_FOUND

# What of a job's parameters a client may see: not where its upload is stored.
_PUBLIC_PARAMETERS = ("filename", "format", "scope", "annotators", "since", "split", "split_by", "part")


@extend_schema_serializer(component_name="Job")
class JobOutput(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    parameters = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = ["id", "project", "kind", "status", "stage", "done", "total", "parameters", "result", "errors",
                  "created_by", "created_at", "started_at", "finished_at", "url"]  # fmt: skip

    def get_parameters(self, job) -> dict:
        return {key: value for key, value in job.parameters.items() if key in _PUBLIC_PARAMETERS}

    def get_url(self, job) -> str:
        return f"/api/jobs/{job.pk}/"


def accepted(job: Job) -> Response:
    """The answer to a request that started a job: 202, the job, and where to read it again."""
    return Response(JobOutput(job).data, status=status.HTTP_202_ACCEPTED, headers={"Location": f"/api/jobs/{job.pk}/"})


class JobDetail(GenericAPIView):
    serializer_class = JobOutput

    @extend_schema(responses={200: JobOutput, 404: NOT_FOUND}, summary="A background job: status, progress, result")
    def get(self, request, pk: int):
        job = get_object_or_404(Job.objects.visible_to(request.user).select_related("created_by"), pk=pk)
        if jobs_fail_stalled(project=job.project):
            job.refresh_from_db()
        return Response(JobOutput(job).data)


class NewestFirst(Cursor):
    ordering = "-id"


class ProjectJobList(GenericAPIView):
    serializer_class = JobOutput
    pagination_class = NewestFirst

    @extend_schema(responses=JobOutput(many=True), summary="The project's background jobs, newest first")
    def get(self, request, pk: int):
        project = project_for(request.user, pk, REVIEWING)
        jobs_fail_stalled(project=project)
        page = self.paginate_queryset(project.jobs.select_related("created_by"))
        return self.get_paginated_response(JobOutput(page, many=True).data)
