"""Importing a file of articles (managers): multipart upload of one file, imported by a background job.

The answer is 202 with the job; its `result`, once it has succeeded, is the import's report."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.views import APIView

from claims.access import MANAGING, project_for
from claims.imports import FileTooLarge
from claims.services.imports import IMPORT_FORMATS, IMPORT_TOO_LARGE, import_enqueue

from .errors import PayloadTooLarge
from .fields import StrictInputSerializer
from .jobs import JobOutput, accepted
from .negotiation import FileFormatNegotiation
from .schema import WRITE_ERRORS


@extend_schema_serializer(component_name="ImportUpload")
class ImportInput(StrictInputSerializer):
    file = serializers.FileField(
        help_text="One file: .jsonl, .csv, .txt, or a .zip of .txt files; or a published dataset (format fnc1: "
        "the bodies CSV, or a zip of bodies and stances; emergent: its CSV; semeval2016: its TSV)."
    )
    format = serializers.ChoiceField(choices=IMPORT_FORMATS, required=False, help_text="Default: from the extension.")
    stances = serializers.FileField(required=False, help_text="fnc1 only: the stances CSV, beside the bodies.")
    mapping = serializers.CharField(
        required=False, allow_blank=True, max_length=10_000,
        help_text='brat only: a JSON object from brat types to content, source, cue or "" (skip), on top of the '
        "documented default mapping, e.g. {\"Statement\": \"content\", \"Person\": \"source\"}.",
    )  # fmt: skip
    # A form field: multipart carries text, so the choice is spelled out rather than a JSON boolean.
    gold = serializers.ChoiceField(
        choices=["true", "false"], required=False, default="false",
        help_text="Datasets: write the stances as each article's gold annotation.",
    )  # fmt: skip


class ImportLine(serializers.Serializer):
    line = serializers.IntegerField(help_text="Line number (for a zip: the entry's number)")
    external_id = serializers.CharField(required=False)
    id = serializers.IntegerField(
        required=False, help_text="The new article's id (a dataset's row: its article stance's)"
    )
    reason = serializers.CharField(required=False)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)
    file = serializers.CharField(required=False, help_text="The entry's name in a zip, or a dataset's file")
    annotations = serializers.IntegerField(required=False, help_text="Annotations added from a native jsonl line")


@extend_schema_serializer(component_name="ImportReport")
class ImportOutput(serializers.Serializer):
    accepted = serializers.IntegerField()
    skipped = serializers.IntegerField()
    rejected = serializers.IntegerField()
    accepted_lines = ImportLine(many=True)
    skipped_lines = ImportLine(many=True)
    rejected_lines = ImportLine(many=True)
    notes = serializers.DictField(
        required=False,
        help_text="Datasets: duplicate_rows and similar_claims (count and first examples), encoding (the guess), "
        "articles (added, already_there)",
    )
    suggestions = serializers.IntegerField(help_text="Attributions drafted for the new articles (project setting)")


def _refuse_oversized(request) -> None:
    """413 before the upload is read, when the client announces a body past the limit."""
    length = request.META.get("CONTENT_LENGTH") or ""
    limit = settings.IMPORT_MAX_BYTES
    # The multipart envelope around the file adds a few hundred bytes.
    if length.isdigit() and int(length) > limit + 64 * 1024:
        raise PayloadTooLarge(IMPORT_TOO_LARGE.format(size=int(length), limit=limit))


class ArticleFileImport(APIView):
    parser_classes = [MultiPartParser]
    content_negotiation_class = FileFormatNegotiation

    @extend_schema(
        request={"multipart/form-data": ImportInput},
        responses={
            202: OpenApiResponse(JobOutput, description="Queued: read the job at its url until it has finished; "
                                 "its result is then the report (ImportReport)"),
            413: OpenApiResponse(description="The file (or what a zip unpacks to) is over the size limit"),
            **WRITE_ERRORS,
        },
        summary="Import a file of articles (managers; idempotent by external_id, one transaction per file)",
        description="The file is stored and imported by a background job. Valid lines are added, invalid ones "
        "reported by line number with the reason; a file that cannot be read as a whole (not UTF-8 CSV, unsafe "
        "zip) fails the job with field errors and nothing is stored. The format and the size are checked at "
        "once (400, 413).",
    )  # fmt: skip
    def post(self, request, pk: int):
        project = project_for(request.user, pk, MANAGING)
        _refuse_oversized(request)
        data = ImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload, stances = data.validated_data["file"], data.validated_data.get("stances")
        try:
            job = import_enqueue(
                project=project, user=request.user, file=upload, filename=upload.name,
                format=data.validated_data.get("format"), second=stances,
                second_name=stances.name if stances else None, gold=data.validated_data["gold"] == "true",
                mapping=data.validated_data.get("mapping"),
            )  # fmt: skip
        except FileTooLarge as error:
            raise PayloadTooLarge(str(error)) from error
        return accepted(job)
