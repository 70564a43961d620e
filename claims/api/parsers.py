"""Request parsing with a size limit (DRF reads the stream itself, past Django's own limit), and
JSON read as untrusted input (claims.untrusted_json): a value PostgreSQL cannot store, or nesting
that would exhaust the stack, is a 400 naming the field, not a 500."""

from __future__ import annotations

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from claims import untrusted_json

# The module, not its names: errors imports DRF's views, whose settings import this parser.
from . import errors

NOT_JSON = "JSON parse error - {message}"  # DRF's own wording, which clients may already match


class LimitedJSONParser(JSONParser):
    """JSON bodies up to DATA_UPLOAD_MAX_MEMORY_SIZE bytes; larger ones get 413 before parsing."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = parser_context.get("request")
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        if length and length.isdigit() and int(length) > limit:
            raise errors.PayloadTooLarge(errors.TOO_LARGE.format(limit=limit))
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise errors.PayloadTooLarge(errors.TOO_LARGE.format(limit=limit))
        try:
            return untrusted_json.decode(data.decode(parser_context.get("encoding", settings.DEFAULT_CHARSET)))
        except untrusted_json.JSONValueRefused as refused:
            # Named by the body's top-level key (or list index), as a serializer names a field.
            raise ParseError({str(refused.path[0]): [str(refused)]} if refused.path else str(refused)) from None
        except (ValueError, LookupError) as error:  # malformed JSON, bytes not in the charset, no such charset
            raise ParseError(NOT_JSON.format(message=error)) from None
