"""The project's speaker catalogue and tracked claims (search, similar claims, a claim's timeline)."""

from __future__ import annotations

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import Prefetch, Q
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.models import Claim, ClaimMention, Role, Speaker, SpeakerAlias, SpeakerKind
from claims.services.speakers import speaker_create, speaker_delete, speaker_update
from claims.services.tracked_claims import claim_create, claim_delete, claim_update

from .access import require_role
from .fields import StrictInputSerializer
from .labels import MentionOutput
from .pagination import Cursor
from .projects import visible_projects
from .schema import WRITE_ERRORS

SEARCH_TOO_LONG = "Search text is limited to 200 characters."
SEARCH = OpenApiParameter("search", OpenApiTypes.STR, description="Words in the name or any alias (accents ignored)")


def _search_term(request, name: str) -> str | None:
    term = request.query_params.get(name)
    if term is None or not term.strip():
        return None
    if len(term) > 200:
        raise serializers.ValidationError({name: [SEARCH_TOO_LONG]})
    return term.strip()


# --- speakers -----------------------------------------------------------------------------------
@extend_schema_serializer(component_name="Speaker")
class SpeakerOutput(serializers.ModelSerializer):
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Speaker
        fields = ["id", "project", "name", "kind", "aliases", "role", "wikidata_qid", "created_at"]


@extend_schema_serializer(component_name="SpeakerWrite")
class SpeakerInput(StrictInputSerializer):
    ignored = (*StrictInputSerializer.ignored, "project")
    name = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=SpeakerKind.choices, required=False)
    aliases = serializers.ListField(child=serializers.CharField(max_length=300), required=False, max_length=200)
    role = serializers.CharField(max_length=300, required=False, allow_blank=True)
    wikidata_qid = serializers.CharField(max_length=16, required=False, allow_blank=True)


@extend_schema_serializer(component_name="SpeakerChange")
class SpeakerUpdateInput(SpeakerInput):
    name = serializers.CharField(max_length=300, required=False)


def _speakers():
    return Speaker.objects.prefetch_related(Prefetch("aliases", queryset=SpeakerAlias.objects.order_by("name")))


class SpeakerListCreate(GenericAPIView):
    pagination_class = Cursor
    serializer_class = SpeakerOutput

    def project(self):
        return get_object_or_404(visible_projects(self.request.user), pk=self.kwargs["pk"])

    @extend_schema(
        parameters=[SEARCH],
        responses=SpeakerOutput(many=True),
        summary="The speaker catalogue; ?search= matches names and aliases, accents ignored",
    )
    def get(self, request, pk: int):
        speakers = _speakers().filter(project=self.project())
        term = _search_term(request, "search")
        if term:
            matching = SpeakerAlias.objects.filter(name__unaccent__icontains=term).values("speaker_id")
            speakers = speakers.filter(Q(name__unaccent__icontains=term) | Q(pk__in=matching))
        page = self.paginate_queryset(speakers)
        return self.get_paginated_response(SpeakerOutput(page, many=True).data)

    @extend_schema(
        request=SpeakerInput, responses={201: SpeakerOutput, **WRITE_ERRORS}, summary="Add a speaker (any member)"
    )
    def post(self, request, pk: int):
        project = self.project()
        data = SpeakerInput(data=request.data)
        data.is_valid(raise_exception=True)
        speaker = speaker_create(project=project, **data.validated_data)
        return Response(SpeakerOutput(_speakers().get(pk=speaker.pk)).data, status=status.HTTP_201_CREATED)


class SpeakerDetail(APIView):
    def speaker(self, request, pk: int) -> Speaker:
        return get_object_or_404(_speakers().for_user(request.user), pk=pk)

    @extend_schema(responses=SpeakerOutput, summary="A speaker")
    def get(self, request, pk: int):
        return Response(SpeakerOutput(self.speaker(request, pk)).data)

    @extend_schema(
        request=SpeakerUpdateInput,
        responses={200: SpeakerOutput, **WRITE_ERRORS},
        summary="Edit a speaker (reviewers, managers); aliases replace the list",
    )
    def patch(self, request, pk: int):
        speaker = self.speaker(request, pk)
        require_role(request.user, speaker.project_id, Role.REVIEWER, Role.MANAGER)
        data = SpeakerUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        speaker_update(speaker=speaker, **data.validated_data)
        return Response(SpeakerOutput(_speakers().get(pk=pk)).data)

    @extend_schema(responses={204: None, **WRITE_ERRORS}, summary="Delete a speaker no label refers to (managers)")
    def delete(self, request, pk: int):
        speaker = self.speaker(request, pk)
        require_role(request.user, speaker.project_id, Role.MANAGER)
        speaker_delete(speaker=speaker)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- tracked claims -----------------------------------------------------------------------------
@extend_schema_serializer(component_name="Claim")
class ClaimOutput(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", allow_null=True, default=None)
    score = serializers.FloatField(read_only=True, required=False, help_text="Similarity to ?similar_to= (0–1).")

    class Meta:
        model = Claim
        fields = ["id", "project", "text", "notes", "created_by", "created_at", "updated_at", "score"]


@extend_schema_serializer(component_name="ClaimWrite")
class ClaimInput(StrictInputSerializer):
    ignored = (*StrictInputSerializer.ignored, "project", "created_by", "score")
    text = serializers.CharField(max_length=2000)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=20_000)


@extend_schema_serializer(component_name="ClaimChange")
class ClaimUpdateInput(ClaimInput):
    text = serializers.CharField(max_length=2000, required=False)


SIMILAR_TO = OpenApiParameter(
    "similar_to", OpenApiTypes.STR, description="Rank claims by trigram similarity to this text; adds `score`"
)


class ClaimListCreate(GenericAPIView):
    pagination_class = Cursor
    serializer_class = ClaimOutput

    def project(self):
        return get_object_or_404(visible_projects(self.request.user), pk=self.kwargs["pk"])

    @extend_schema(
        parameters=[SEARCH, SIMILAR_TO],
        responses=ClaimOutput(many=True),
        summary="Tracked claims; ?search= (words), ?similar_to= (ranked candidates with scores)",
    )
    def get(self, request, pk: int):
        claims = Claim.objects.filter(project=self.project()).select_related("created_by")
        term = _search_term(request, "search")
        if term:
            claims = claims.filter(text__unaccent__icontains=term)
        similar = _search_term(request, "similar_to")
        if similar:
            # Best candidates first, scored; not paginated (it is a short ranked list).
            ranked = (
                claims.annotate(
                    score=TrigramWordSimilarity(similar, "text") * 0.5 + TrigramSimilarity("text", similar) * 0.5
                )
                .filter(score__gt=0.1)
                .order_by("-score", "id")[:20]
            )
            return Response({"next": None, "previous": None, "results": ClaimOutput(ranked, many=True).data})
        page = self.paginate_queryset(claims)
        return self.get_paginated_response(ClaimOutput(page, many=True).data)

    @extend_schema(
        request=ClaimInput, responses={201: ClaimOutput, **WRITE_ERRORS}, summary="Track a new claim (any member)"
    )
    def post(self, request, pk: int):
        project = self.project()
        data = ClaimInput(data=request.data)
        data.is_valid(raise_exception=True)
        claim = claim_create(project=project, created_by=request.user, **data.validated_data)
        return Response(ClaimOutput(claim).data, status=status.HTTP_201_CREATED)


class ClaimDetail(APIView):
    def claim(self, request, pk: int) -> Claim:
        return get_object_or_404(Claim.objects.for_user(request.user).select_related("created_by"), pk=pk)

    @extend_schema(responses=ClaimOutput, summary="A tracked claim")
    def get(self, request, pk: int):
        return Response(ClaimOutput(self.claim(request, pk)).data)

    @extend_schema(
        request=ClaimUpdateInput,
        responses={200: ClaimOutput, **WRITE_ERRORS},
        summary="Reword a claim (reviewers, managers)",
    )
    def patch(self, request, pk: int):
        claim = self.claim(request, pk)
        require_role(request.user, claim.project_id, Role.REVIEWER, Role.MANAGER)
        data = ClaimUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        claim_update(claim=claim, **data.validated_data)
        return Response(ClaimOutput(self.claim(request, pk)).data)

    @extend_schema(responses={204: None, **WRITE_ERRORS}, summary="Delete a claim no label refers to (managers)")
    def delete(self, request, pk: int):
        claim = self.claim(request, pk)
        require_role(request.user, claim.project_id, Role.MANAGER)
        claim_delete(claim=claim)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TimelineArticle(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    source = serializers.CharField()
    url = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)


class TimelineEntry(serializers.Serializer):
    mention = MentionOutput(source="*")
    article = TimelineArticle(source="assignment.article")
    annotator = serializers.CharField(source="assignment.annotator.username")
    gold = serializers.BooleanField(source="assignment.is_gold")
    when = serializers.DateTimeField(help_text="Publication date, or the import date when unknown.")


class TimelineCursor(Cursor):
    ordering = ("when", "id")


class ClaimTimeline(GenericAPIView):
    pagination_class = TimelineCursor
    serializer_class = TimelineEntry

    @extend_schema(
        responses=TimelineEntry(many=True),
        summary="Every mention of the claim the caller may see, by the article's publication date",
    )
    def get(self, request, pk: int):
        claim = get_object_or_404(Claim.objects.for_user(request.user), pk=pk)
        mentions = (
            ClaimMention.objects.visible_to(request.user)
            .filter(claim=claim)
            .select_related("speaker", "claim", "assignment__article", "assignment__annotator")
            .annotate(when=Coalesce("assignment__article__published_at", "assignment__article__created_at"))
        )
        page = self.paginate_queryset(mentions)
        return self.get_paginated_response(TimelineEntry(page, many=True).data)
