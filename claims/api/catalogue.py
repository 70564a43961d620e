"""What several routes share: search terms and names, merging, and the answer a merged
speaker or claim gives."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.response import Response

SEARCH_LIMIT = 200
SEARCH_TOO_LONG = "Search text is limited to {limit} characters."
NUL_IN_TEXT = "Text cannot contain NUL (\\x00) characters."
MOVED = "This {what} was merged into {what} {id}."


def query_texts(request, name: str) -> list[str]:
    """Every value of a text query parameter. A NUL character, which PostgreSQL can neither store
    nor compare, is a 400 before the value reaches a query."""
    values = request.query_params.getlist(name)
    if any("\x00" in value for value in values):
        raise serializers.ValidationError({name: [NUL_IN_TEXT]})
    return values


def search_term(request, name: str, *, limit: int = SEARCH_LIMIT) -> str | None:
    term = next(reversed(query_texts(request, name)), None)
    if term is None or not term.strip():
        return None
    if len(term) > limit:
        raise serializers.ValidationError({name: [SEARCH_TOO_LONG.format(limit=limit)]})
    return term.strip()


class MergeInput(serializers.Serializer):
    into = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="The id that stays")


INTO_PARAMETER = OpenApiParameter(
    "into", OpenApiTypes.INT, required=True, description="The id that would stay (as the merge's body names it)"
)


def preview_into(request) -> int:
    """The `into` query parameter of a merge preview, checked as the merge's body is."""
    data = MergeInput(data={"into": request.query_params.get("into")})
    data.is_valid(raise_exception=True)
    return data.validated_data["into"]


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
