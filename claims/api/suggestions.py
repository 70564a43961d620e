"""Pre-annotation over the API: draft attributions on demand, list an assignment's pending
suggestions, accept one (it becomes a mention in the caller's work) or reject it, and take that decision
back (the annotate page's undo)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.access import MANAGING, REVIEWING, project_for, require_label_writer, require_role
from claims.models import Article, Assignment, Decision, Suggestion
from claims.offsets import stored_span
from claims.services.suggestions import (
    article_preannotate,
    project_preannotate_enqueue,
    suggestion_accept,
    suggestion_decision_undo,
    suggestion_reject,
    suggestions_decide,
)

from .concurrency import expected_version
from .fields import SpanSerializer, StrictInputSerializer, StrictIntegerField
from .jobs import JobOutput, accepted
from .labels import MentionOutput, SpeakerRef
from .schema import VERSIONED_WRITE_ERRORS, WRITE_ERRORS


@extend_schema_serializer(component_name="Suggestion")
class SuggestionOutput(serializers.ModelSerializer):
    """A drafted attribution: not a label until someone accepts it."""

    source = serializers.SerializerMethodField()
    cue = serializers.SerializerMethodField()
    speaker = SpeakerRef(allow_null=True, help_text="A catalogue speaker, or null (see speaker_name)")

    class Meta:
        model = Suggestion
        fields = ["id", "article", "start", "end", "text", "source", "cue", "quote_type", "speaker", "speaker_name",
                  "speaker_kind", "confidence"]  # fmt: skip

    @extend_schema_field(SpanSerializer(allow_null=True))
    def get_source(self, suggestion) -> dict | None:
        return stored_span(suggestion, "source")

    @extend_schema_field(SpanSerializer(allow_null=True))
    def get_cue(self, suggestion) -> dict | None:
        return stored_span(suggestion, "cue")


class PreannotateResult(serializers.Serializer):
    articles = serializers.IntegerField()
    suggestions = serializers.IntegerField(help_text="New drafts stored")


class ProjectPreannotate(APIView):
    @extend_schema(request=None, responses={202: JobOutput, **WRITE_ERRORS},
                   summary="Draft attributions for every article of the project again (managers; a background job "
                   "whose result counts articles and new suggestions)")  # fmt: skip
    def post(self, request, pk: int):
        project = project_for(request.user, pk, MANAGING)
        return accepted(project_preannotate_enqueue(project=project, user=request.user))


class ArticlePreannotate(APIView):
    @extend_schema(request=None, responses={200: PreannotateResult, **WRITE_ERRORS},
                   summary="Draft attributions for one article again (reviewers, managers)")  # fmt: skip
    def post(self, request, pk: int):
        article = get_object_or_404(Article.objects.visible_to(request.user).select_related("project"), pk=pk)
        require_role(request.user, article.project_id, REVIEWING)
        return Response({"articles": 1, "suggestions": article_preannotate(article=article)})


def _assignment(request, pk: int) -> Assignment:
    return get_object_or_404(Assignment.objects.visible_to(request.user).select_related("article"), pk=pk)


class SuggestionList(APIView):
    @extend_schema(
        responses=SuggestionOutput(many=True),
        summary="Suggestions on this assignment's article that it has not accepted or rejected yet",
    )
    def get(self, request, pk: int):
        return Response(SuggestionOutput(Suggestion.objects.pending_for(_assignment(request, pk)), many=True).data)


def _suggestion(assignment: Assignment, pk: int) -> Suggestion:
    suggestions = Suggestion.objects.filter(article_id=assignment.article_id).select_related("speaker")
    return get_object_or_404(suggestions, pk=pk)


class SuggestionAccept(APIView):
    @extend_schema(
        request=None,
        responses={201: MentionOutput, **WRITE_ERRORS},
        summary="Accept a suggestion: it becomes a mention in this assignment (new speakers are created)",
    )
    def post(self, request, pk: int, suggestion: int):
        assignment = _assignment(request, pk)
        require_label_writer(request.user, assignment)
        mention = suggestion_accept(suggestion=_suggestion(assignment, suggestion), assignment=assignment)
        return Response(MentionOutput(mention).data, status=status.HTTP_201_CREATED,
                        headers={"ETag": f'"{mention.version}"'})  # fmt: skip


class SuggestionReject(APIView):
    @extend_schema(
        request=None, responses={204: None, **WRITE_ERRORS}, summary="Reject a suggestion in this assignment"
    )
    def post(self, request, pk: int, suggestion: int):
        assignment = _assignment(request, pk)
        require_label_writer(request.user, assignment)
        suggestion_reject(suggestion=_suggestion(assignment, suggestion), assignment=assignment)
        return Response(status=status.HTTP_204_NO_CONTENT)


DECISION_IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description='The ETag of the mention the acceptance made, as you last read it (e.g. "2"), or * for a '
    "rejection. Stale → 412 (the mention was changed since: nothing is undone), missing → 428.",
)  # fmt: skip


class SuggestionDecisionUndo(APIView):
    @extend_schema(
        request=None,
        responses={204: None, **VERSIONED_WRITE_ERRORS},
        parameters=[DECISION_IF_MATCH],
        summary="Take back an accept or a reject: the suggestion is pending again in this assignment, and the "
        "mention an acceptance made is deleted (If-Match: that mention's version)",
    )
    def delete(self, request, pk: int, suggestion: int):
        assignment = _assignment(request, pk)
        require_label_writer(request.user, assignment)
        version = expected_version(request)
        suggestion_decision_undo(
            suggestion=_suggestion(assignment, suggestion), assignment=assignment, expected_version=version
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# How many suggestions one bulk decision may name: the pre-annotator's budget per article.
MAX_BULK_DECISIONS = 1000


class DecisionsInput(StrictInputSerializer):
    ids = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=2**63 - 1), min_length=1, max_length=MAX_BULK_DECISIONS,
        help_text="Pending suggestions of this assignment's article",
    )  # fmt: skip
    decision = serializers.ChoiceField(choices=Decision.choices)


class DecidedOutput(serializers.Serializer):
    suggestion = serializers.IntegerField()
    mention = MentionOutput(allow_null=True, help_text="The mention it became (accepted), with its version; else null")


class DecisionsOutput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    results = DecidedOutput(many=True, help_text="In text order")


class SuggestionDecisions(APIView):
    """Accept or reject many suggestions in one request ("accept all direct quotes", "reject the rest")."""

    @extend_schema(
        request=DecisionsInput,
        responses={200: DecisionsOutput, **WRITE_ERRORS},
        summary="Accept or reject many suggestions of this assignment at once: all of them or none",
    )
    def post(self, request, pk: int):
        assignment = _assignment(request, pk)
        require_label_writer(request.user, assignment)
        data = DecisionsInput(data=request.data)
        data.is_valid(raise_exception=True)
        decided = suggestions_decide(
            assignment=assignment, suggestion_ids=data.validated_data["ids"], decision=data.validated_data["decision"]
        )
        # The answer lists every mention made, with its version: enough for a client to reverse the step.
        results = [{"suggestion": s.pk, "mention": MentionOutput(m).data if m else None} for s, m in decided]
        return Response({"decision": data.validated_data["decision"], "results": results})
