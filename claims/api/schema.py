"""Error answers, described once for the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiSerializerExtension
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


class StrictInputExtension(OpenApiSerializerExtension):
    """Input serializers refuse keys they do not declare (fields.StrictInputSerializer), and their
    schema says so, so that clients and schema-driven tests know an extra key is a 400."""

    target_class = "claims.api.fields.StrictInputSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        return {**schema, "additionalProperties": False}


# --- answers every operation can give ----------------------------------------------------------
# (status, description, whether it applies to an operation): added by the postprocessing hook
# below, so that no view has to list them and none can forget them.
_ERROR = {"$ref": "#/components/schemas/ErrorOutput"}
_FIELD_MESSAGES = {"type": "object", "additionalProperties": {}}
COMMON_ERRORS = [
    (400, _FIELD_MESSAGES, "Field-level messages: {field: [message, …]}", lambda op, method: _has_input(op)),
    (
        401,
        _ERROR,
        "Not signed in: send Authorization: Token <key> (or the session cookie)",
        lambda op, method: _secured(op),
    ),
    (
        403,
        _ERROR,
        "Your role in the project does not allow this (or a session write came without its CSRF token)",
        lambda op, method: _secured(op),
    ),
    (404, _ERROR, "No such object among those you may see", lambda op, method: _has_parameter(op, "path", "cursor")),
    (
        409,
        _ERROR,
        "The write raced another one and broke a database rule; nothing was saved",
        lambda op, method: method != "get",
    ),
    (413, _ERROR, "The request body is over the size limit", lambda op, method: "requestBody" in op),
    (
        415,
        _ERROR,
        "The request body is not in a media type this operation reads",
        lambda op, method: "requestBody" in op,
    ),
]


def _secured(operation: dict) -> bool:
    return any(requirement for requirement in operation.get("security", []))


def _has_parameter(operation: dict, *names: str) -> bool:
    return any(p["in"] in names or p["name"] in names for p in operation.get("parameters", []))


def _has_input(operation: dict) -> bool:
    return "requestBody" in operation or _has_parameter(operation, "query", "header")


def add_common_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: 400 for any operation that reads input, 401/403 for any
    that needs a sign-in, 404 for any that names an object (or takes a page cursor), 409/413/415 for
    writes with a body. Views list only what is particular to them."""
    result["components"]["schemas"].setdefault(
        "ErrorOutput",
        {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
    )
    for methods in result["paths"].values():
        for method, operation in methods.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, schema, description, applies in COMMON_ERRORS:
                if applies(operation, method):
                    operation["responses"].setdefault(
                        str(status), {"content": {"application/json": {"schema": schema}}, "description": description}
                    )
            operation["responses"] = dict(sorted(operation["responses"].items()))
    return result
