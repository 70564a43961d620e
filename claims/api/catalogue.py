"""What the catalogue's routes (speakers, tracked claims) share: search terms, merging, and the
answer a merged entry gives."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.response import Response

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


def moved(entry, *, what: str, route: str) -> Response:
    """A merged speaker or claim answers 301 with where it went (body and Location)."""
    response = Response(
        {"detail": MOVED.format(what=what, id=entry.merged_into_id), "merged_into": entry.merged_into_id},
        status=status.HTTP_301_MOVED_PERMANENTLY,
    )
    response["Location"] = reverse(route, args=[entry.merged_into_id])
    return response
