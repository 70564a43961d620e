"""Review and adjudication: the queue, one article lined up across annotators, gold copies, agreement."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from claims.access import REVIEWING, project_for, require_role
from claims.agreement import project_agreement
from claims.models import Article, ArticleStance, Assignment, ClaimMention
from claims.reads.review import QUEUE_STATUSES, article_review, review_queue
from claims.services.dates import utc
from claims.services.review import gold_article_stance_copy, gold_get_or_create, gold_mention_copy

from .assignments import AssignmentDetailOutput, AssignmentOutput
from .catalogue import query_texts
from .fields import StrictInputSerializer
from .labels import ArticleStanceOutput, ClaimRef, MentionOutput
from .schema import WRITE_ERRORS

COPY_WHAT = "Name exactly one of mention_id or article_stance_id."
NO_SUCH_LABEL = "No such label on this article."
BAD_STATUS_FILTER = "status must be all, unreviewed or disagreeing."
NOT_A_MEMBER = "No annotator with this username in the project: {names}."
BAD_DATE = "Give an ISO 8601 date-time, e.g. 2026-11-01T00:00:00Z."


def reviewable_article(request, pk: int) -> Article:
    article = get_object_or_404(Article.objects.visible_to(request.user).select_related("project"), pk=pk)
    require_role(request.user, article.project_id, REVIEWING)
    return article


# --- the queue ---------------------------------------------------------------------------------
@extend_schema_serializer(component_name="ReviewQueueItem")
class QueueItemOutput(serializers.Serializer):
    article = serializers.SerializerMethodField()
    annotators = serializers.ListField(child=serializers.CharField())
    units = serializers.IntegerField(help_text="Stretches of text marked by any annotator")
    disagreeing = serializers.IntegerField(help_text="Of those, where annotators differ")
    stance_disagreements = serializers.IntegerField()
    disagreement = serializers.FloatField(help_text="Share of units and article stances that differ (0–1)")
    reviewed = serializers.BooleanField()
    gold_id = serializers.IntegerField(allow_null=True)
    submitted = serializers.IntegerField(help_text="Annotators who handed in work (k of n)")
    expected = serializers.IntegerField(help_text="Annotators expected: the overlap, or more when more hold it")
    complete = serializers.BooleanField(
        help_text="Everyone expected handed in and nobody is still at work; only these are ranked by disagreement"
    )

    def get_article(self, item) -> dict:
        return {"id": item.article.pk, "external_id": item.article.external_id, "title": item.article.title}


class ReviewQueue(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=list(QUEUE_STATUSES)),
            OpenApiParameter("annotator", OpenApiTypes.STR, description="Only articles this annotator submitted"),
        ],
        responses=QueueItemOutput(many=True),
        summary="Handed-in work: complete articles by disagreement, then incomplete ones (reviewers, managers)",
    )
    def get(self, request, pk: int):
        project = project_for(request.user, pk, REVIEWING)
        wanted = request.query_params.get("status", "all")
        if wanted not in QUEUE_STATUSES:
            raise serializers.ValidationError({"status": [BAD_STATUS_FILTER]})
        annotator = next(reversed(query_texts(request, "annotator")), None)
        items = review_queue(project=project, status=wanted, annotator=annotator)
        return Response(QueueItemOutput(items, many=True).data)


# --- one article -------------------------------------------------------------------------------
class UnitOutput(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    agreed = serializers.BooleanField()
    differs = serializers.ListField(
        child=serializers.CharField(), help_text="missing, span, speaker, source, cue, quote_type, claim, stance"
    )
    mentions = serializers.DictField(child=MentionOutput(allow_null=True), help_text="By annotator; null: none")
    gold = MentionOutput(allow_null=True)


class StanceRowOutput(serializers.Serializer):
    claim = ClaimRef()
    by = serializers.DictField(child=serializers.CharField(allow_null=True))
    gold = serializers.CharField(allow_null=True)
    differs = serializers.BooleanField()


@extend_schema_serializer(component_name="ArticleReview")
class ArticleReviewOutput(serializers.Serializer):
    article = serializers.SerializerMethodField()
    assignments = AssignmentOutput(many=True)
    gold = AssignmentOutput(allow_null=True)
    units = UnitOutput(many=True)
    stances = StanceRowOutput(many=True)
    article_stance_ids = serializers.SerializerMethodField()

    def get_article(self, review) -> dict:
        return {"id": review.article.pk, "external_id": review.article.external_id, "title": review.article.title,
                "body": review.article.body}  # fmt: skip

    def get_article_stance_ids(self, review) -> dict:
        """{annotator: {claim id: article stance id}}, for copying one into gold."""
        ids: dict = {}
        names = {a.pk: a.annotator.username for a in review.assignments}
        for stance in ArticleStance.objects.filter(assignment__in=review.assignments).values(
            "id", "claim_id", "assignment_id"
        ):
            ids.setdefault(names[stance["assignment_id"]], {})[str(stance["claim_id"])] = stance["id"]
        return ids


class ArticleReviewDetail(APIView):
    @extend_schema(
        responses=ArticleReviewOutput,
        summary="An article's labels lined up across annotators and gold, differences named",
    )
    def get(self, request, pk: int):
        return Response(ArticleReviewOutput(article_review(reviewable_article(request, pk))).data)


class GoldCreate(APIView):
    @extend_schema(
        request=None,
        responses={201: AssignmentDetailOutput, 200: AssignmentDetailOutput, **WRITE_ERRORS},
        summary="The article's gold version, started by the caller when there is none",
    )
    def post(self, request, pk: int):
        article = reviewable_article(request, pk)
        gold, created = gold_get_or_create(article=article, reviewer=request.user)
        gold = Assignment.objects.select_related("article", "annotator").get(pk=gold.pk)
        return Response(
            AssignmentDetailOutput(gold).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers={"ETag": f'"{gold.version}"'},
        )


class CopyInput(StrictInputSerializer):
    mention_id = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    article_stance_id = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)

    def validate(self, data):
        if len(data) != 1:
            raise serializers.ValidationError({"non_field_errors": [COPY_WHAT]})
        return data


class GoldCopy(APIView):
    @extend_schema(
        request=CopyInput,
        responses={201: OpenApiResponse(description="The new gold mention or article stance"), **WRITE_ERRORS},
        summary="Copy an annotator's mention or article stance into the gold version",
    )
    def post(self, request, pk: int):
        gold = get_object_or_404(Assignment.objects.visible_to(request.user).select_related("article"), pk=pk)
        require_role(request.user, gold.article.project_id, REVIEWING)
        data = CopyInput(data=request.data)
        data.is_valid(raise_exception=True)
        same_article = {"assignment__article_id": gold.article_id}
        if "mention_id" in data.validated_data:
            mentions = ClaimMention.objects.filter(**same_article).select_related("assignment", "speaker", "claim")
            mention = mentions.filter(pk=data.validated_data["mention_id"]).first()
            if mention is None:
                raise serializers.ValidationError({"mention_id": [NO_SUCH_LABEL]})
            copy = gold_mention_copy(gold=gold, mention=mention)
            return Response(
                MentionOutput(copy).data, status=status.HTTP_201_CREATED, headers={"ETag": f'"{copy.version}"'}
            )
        stances = ArticleStance.objects.filter(**same_article).select_related("assignment", "claim")
        stance = stances.filter(pk=data.validated_data["article_stance_id"]).first()
        if stance is None:
            raise serializers.ValidationError({"article_stance_id": [NO_SUCH_LABEL]})
        copy = gold_article_stance_copy(gold=gold, article_stance=stance)
        return Response(
            ArticleStanceOutput(copy).data, status=status.HTTP_201_CREATED, headers={"ETag": f'"{copy.version}"'}
        )


# --- agreement ---------------------------------------------------------------------------------
def _date(request, name):
    raw = request.query_params.get(name)
    if raw is None:
        return None  # not given; an empty one is no date-time, and a 400 like any other
    try:
        value = parse_datetime(raw.replace(" ", "+"))
        if value is None:
            raise ValueError(raw)
        return utc(value)
    except (ValueError, OverflowError):
        raise serializers.ValidationError({name: [BAD_DATE]}) from None


class Agreement(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("annotator", OpenApiTypes.STR, many=True, description="Only these annotators (repeat)"),
            OpenApiParameter("submitted_from", OpenApiTypes.DATETIME),
            OpenApiParameter("submitted_to", OpenApiTypes.DATETIME, description="Exclusive"),
        ],
        responses=OpenApiTypes.OBJECT,
        summary="Inter-annotator agreement per layer (reviewers, managers); see the 'matching' and 'definitions' keys",
    )
    def get(self, request, pk: int):
        project = project_for(request.user, pk, REVIEWING)
        names = query_texts(request, "annotator")
        annotators = None
        if names:
            annotators = list(get_user_model().objects.filter(username__in=names, memberships__project=project))
            unknown = sorted(set(names) - {user.username for user in annotators})
            if unknown:
                raise serializers.ValidationError({"annotator": [NOT_A_MEMBER.format(names=", ".join(unknown))]})
        figures = project_agreement(
            project=project, annotators=annotators,
            submitted_from=_date(request, "submitted_from"), submitted_to=_date(request, "submitted_to"),
        )  # fmt: skip
        return Response(figures)
