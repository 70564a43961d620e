"""Error answers, described once for the OpenAPI schema."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorOutput(serializers.Serializer):
    detail = serializers.CharField()


class StaleOutput(ErrorOutput):
    current_version = serializers.IntegerField()


INVALID = OpenApiResponse(OpenApiTypes.OBJECT, description="Field-level messages: {field: [message, …]}")
FORBIDDEN = OpenApiResponse(ErrorOutput, description="Your role in the project does not allow this")
NOT_FOUND = OpenApiResponse(ErrorOutput, description="No such object among those you may see")
WRITE_ERRORS = {400: INVALID, 403: FORBIDDEN, 404: NOT_FOUND}
VERSIONED_WRITE_ERRORS = {
    **WRITE_ERRORS,
    412: OpenApiResponse(StaleOutput, description="If-Match is stale: someone changed it; nothing was saved"),
    428: OpenApiResponse(ErrorOutput, description="If-Match is missing"),
}
