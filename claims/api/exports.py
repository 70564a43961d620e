"""Exporting a project's labels (reviewers and managers: exports hold everyone's work)."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.views import APIView

from claims.access import REVIEWING, project_for
from claims.services.exports import (
    FORMATS,
    export_content_type,
    export_filename,
    export_query,
    export_stream,
)

from .catalogue import query_texts
from .negotiation import FileFormatNegotiation
from .schema import FORBIDDEN, INVALID, NOT_FOUND

UNKNOWN_PARAMETER = "Unknown parameter."
EXPORT_PARAMETERS = ("format", "scope", "annotator", "since", "split", "split_by", "part")
SINGLE_VALUED = ("format", "scope", "since", "split", "split_by", "part")
ENUMERATED = ("format", "scope", "split_by", "part")
ONE_VALUE = "Give one value, or leave the parameter out."


def _given_badly(values: list[str], *, enumerated: bool) -> bool:
    """Repeated, or empty where the value must be one of a list (the schema's enum has no "")."""
    return len(values) > 1 or (enumerated and any(not value.strip() for value in values))


def _parameter(name: str, description: str, *, many: bool = False, enum=None) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, many=many, enum=enum, description=description)


def file_responses(description: str) -> dict:
    """A 200 for each media type a file of these formats is served as (zip for many-file exports)."""
    media_types = sorted({module.CONTENT_TYPE.split(";")[0] for module in FORMATS.values()} | {"application/zip"})
    file = OpenApiResponse(OpenApiTypes.BINARY, description=description)
    return {(200, media_type): file for media_type in media_types}


def attachment(response, *, filename: str, content_type: str):
    """Headers every downloaded file gets: saved, never rendered or sniffed as a page."""
    response["Content-Type"] = content_type
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ProjectExport(APIView):
    content_negotiation_class = FileFormatNegotiation

    @extend_schema(
        parameters=[
            _parameter("format", "Default jsonl", enum=list(FORMATS)),
            _parameter(
                "scope",
                "gold (default): submitted gold; submitted: all submitted work; all: everything",
                enum=["gold", "submitted", "all"],
            ),
            _parameter("annotator", "Only these annotators' work (repeatable)", many=True),
            _parameter("since", "Only articles whose fields or labels changed since this ISO date-time"),
            _parameter("split", "train,dev,test percentages, e.g. 80,10,10; marks each record"),
            _parameter("split_by", "article (default) or claim", enum=["article", "claim"]),
            _parameter("part", "Only this part of the split", enum=["train", "dev", "test"]),
        ],
        responses={
            **file_responses("The file, streamed"),
            400: INVALID,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
        summary="Export the project's labels in a research format (reviewers, managers; streamed)",
    )
    def get(self, request, pk: int):
        project = project_for(request.user, pk, REVIEWING)
        params = request.query_params
        unknown = sorted(set(params) - set(EXPORT_PARAMETERS))
        if unknown:
            raise serializers.ValidationError({name: [UNKNOWN_PARAMETER] for name in unknown})
        refused = [name for name in SINGLE_VALUED if _given_badly(params.getlist(name), enumerated=name in ENUMERATED)]
        if refused:
            raise serializers.ValidationError({name: [ONE_VALUE] for name in refused})
        query = export_query(
            project=project, format=params.get("format"), scope=params.get("scope"),
            annotators=query_texts(request, "annotator"), since=params.get("since"), split=params.get("split"),
            split_by=params.get("split_by"), part=params.get("part"),
        )  # fmt: skip
        return attachment(
            StreamingHttpResponse(export_stream(query=query)),
            filename=export_filename(project=project, query=query),
            content_type=export_content_type(query),
        )
