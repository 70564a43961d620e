"""Query parameters shared by the catalogue's search routes."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

SEARCH_TOO_LONG = "Search text is limited to 200 characters."
MOVED = "This {what} was merged into {what} {id}."


def search_term(request, name: str) -> str | None:
    term = request.query_params.get(name)
    if term is None or not term.strip():
        return None
    if len(term) > 200:
        raise serializers.ValidationError({name: [SEARCH_TOO_LONG]})
    return term.strip()


class MergeInput(serializers.Serializer):
    into = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The id that stays")


class MovedOutput(serializers.Serializer):
    detail = serializers.CharField()
    merged_into = serializers.IntegerField()


def search_parameter(description: str) -> OpenApiParameter:
    return OpenApiParameter("search", OpenApiTypes.STR, description=description)
