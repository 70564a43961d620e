"""The project's speaker catalogue: list and accent-insensitive search, create, edit, merge."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.access import MANAGING, REVIEWING, project_for, require_role
from claims.models import Speaker, SpeakerAlias, SpeakerKind
from claims.reads.merges import speaker_merge_preview
from claims.reads.search import speakers_matching
from claims.services.speakers import speaker_create, speaker_delete, speaker_merge, speaker_merge_check, speaker_update

from .catalogue import INTO_PARAMETER, MergeInput, MovedOutput, moved, preview_into, search_parameter, search_term
from .fields import StrictInputSerializer
from .pagination import Cursor
from .schema import WRITE_ERRORS

NO_SUCH_SPEAKER = "No speaker with this id in the project."


@extend_schema_serializer(component_name="Speaker")
class SpeakerOutput(serializers.ModelSerializer):
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    # Only with ?search=. Not read_only: drf-spectacular lists every read-only field as required.
    score = serializers.FloatField(required=False, help_text="How well it matches ?search= (0–1); searches only.")

    class Meta:
        model = Speaker
        fields = ["id", "project", "name", "kind", "aliases", "role", "wikidata_qid", "created_at", "score"]


@extend_schema_serializer(component_name="SpeakerWrite")
class SpeakerInput(StrictInputSerializer):
    ignored = (*StrictInputSerializer.ignored, "project", "score")
    name = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=SpeakerKind.choices, required=False)
    aliases = serializers.ListField(child=serializers.CharField(max_length=300), required=False, max_length=200)
    role = serializers.CharField(max_length=300, required=False, allow_blank=True)
    wikidata_qid = serializers.CharField(max_length=16, required=False, allow_blank=True)


@extend_schema_serializer(component_name="SpeakerChange")
class SpeakerUpdateInput(SpeakerInput):
    name = serializers.CharField(max_length=300, required=False)


ALIASES = Prefetch("aliases", queryset=SpeakerAlias.objects.order_by("name"))


class SpeakerListCreate(GenericAPIView):
    pagination_class = Cursor
    serializer_class = SpeakerOutput

    def project(self):
        return project_for(self.request.user, self.kwargs["pk"])

    @extend_schema(
        parameters=[search_parameter("Name or alias, accents and case ignored, misspellings forgiven; ranked")],
        responses=SpeakerOutput(many=True),
        summary="The speaker catalogue; with ?search= a ranked type-ahead list (best 20, with scores)",
    )
    def get(self, request, pk: int):
        project = self.project()
        term = search_term(request, "search")
        if term:
            # A ranked list keeps its own length, but a malformed page_size is refused as on any list.
            self.paginator.get_page_size(request)
            matches = speakers_matching(project=project, name=term).prefetch_related(ALIASES)[:20]
            return Response({"next": None, "previous": None, "results": SpeakerOutput(matches, many=True).data})
        page = self.paginate_queryset(Speaker.objects.filter(project=project).current().prefetch_related(ALIASES))
        return self.get_paginated_response(SpeakerOutput(page, many=True).data)

    @extend_schema(
        request=SpeakerInput, responses={201: SpeakerOutput, **WRITE_ERRORS}, summary="Add a speaker (any member)"
    )
    def post(self, request, pk: int):
        project = self.project()
        data = SpeakerInput(data=request.data)
        data.is_valid(raise_exception=True)
        speaker = speaker_create(project=project, **data.validated_data)
        return Response(SpeakerOutput(Speaker.objects.prefetch_related(ALIASES).get(pk=speaker.pk)).data, status=201)


class SpeakerDetail(APIView):
    def speaker(self, request, pk: int) -> Speaker:
        return get_object_or_404(Speaker.objects.for_user(request.user).prefetch_related(ALIASES), pk=pk)

    @extend_schema(
        responses={200: SpeakerOutput, 301: OpenApiResponse(MovedOutput, description="Merged into another speaker")},
        summary="A speaker (a merged one answers 301 with where it went)",
    )
    def get(self, request, pk: int):
        speaker = self.speaker(request, pk)
        return (
            moved(speaker, what="speaker", route="api-speaker")
            if speaker.merged_into_id
            else Response(SpeakerOutput(speaker).data)
        )

    @extend_schema(
        request=SpeakerUpdateInput,
        responses={200: SpeakerOutput, **WRITE_ERRORS},
        summary="Edit a speaker (reviewers, managers); aliases replace the list",
    )
    def patch(self, request, pk: int):
        speaker = self.speaker(request, pk)
        require_role(request.user, speaker.project_id, REVIEWING)
        data = SpeakerUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        speaker_update(speaker=speaker, **data.validated_data)
        return Response(SpeakerOutput(self.speaker(request, pk)).data)

    @extend_schema(responses={204: None, **WRITE_ERRORS}, summary="Delete a speaker no label refers to (managers)")
    def delete(self, request, pk: int):
        speaker = self.speaker(request, pk)
        require_role(request.user, speaker.project_id, MANAGING)
        speaker_delete(speaker=speaker)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_serializer(component_name="SpeakerMergePreview")
class SpeakerMergePreviewOutput(serializers.Serializer):
    source = serializers.IntegerField(source="source.pk")
    into = serializers.IntegerField(source="target.pk")
    mentions = serializers.IntegerField(help_text="Mentions that will name the speaker that stays")
    suggestions = serializers.IntegerField(help_text="Drafted attributions that will name the speaker that stays")
    aliases = serializers.ListField(child=serializers.CharField(), help_text="Names the speaker that stays gains")
    speakers_redirected = serializers.IntegerField(help_text="Speakers merged earlier into this one, which follow")


class SpeakerMerge(APIView):
    @extend_schema(
        parameters=[INTO_PARAMETER],
        responses={200: SpeakerMergePreviewOutput, **WRITE_ERRORS},
        summary="What merging this speaker into another would move, changing nothing (reviewers, managers)",
    )
    def get(self, request, pk: int):
        source = get_object_or_404(Speaker.objects.for_user(request.user), pk=pk)
        require_role(request.user, source.project_id, REVIEWING)
        target = Speaker.objects.filter(project=source.project_id, pk=preview_into(request)).first()
        if target is None:
            raise serializers.ValidationError({"into": [NO_SUCH_SPEAKER]})
        speaker_merge_check(source=source, target=target)
        return Response(SpeakerMergePreviewOutput(speaker_merge_preview(source=source, target=target)).data)

    @extend_schema(
        request=MergeInput,
        responses={200: SpeakerOutput, **WRITE_ERRORS},
        summary="Merge this speaker into another (reviewers, managers): mentions move, names become aliases",
    )
    def post(self, request, pk: int):
        source = get_object_or_404(Speaker.objects.for_user(request.user), pk=pk)
        require_role(request.user, source.project_id, REVIEWING)
        data = MergeInput(data=request.data)
        data.is_valid(raise_exception=True)
        target = Speaker.objects.filter(project=source.project_id, pk=data.validated_data["into"]).first()
        if target is None:
            raise serializers.ValidationError({"into": [NO_SUCH_SPEAKER]})
        merged = speaker_merge(source=source, target=target)
        return Response(SpeakerOutput(Speaker.objects.prefetch_related(ALIASES).get(pk=merged.pk)).data)
