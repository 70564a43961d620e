"""Request parsing with a size limit (DRF reads the stream itself, past Django's own limit)."""

from __future__ import annotations

import io

from django.conf import settings
from rest_framework.parsers import JSONParser

# The module, not its names: errors imports DRF's views, whose settings import this parser.
from . import errors


class LimitedJSONParser(JSONParser):
    """JSON bodies up to DATA_UPLOAD_MAX_MEMORY_SIZE bytes; larger ones get 413 before parsing."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        length = request.META.get("CONTENT_LENGTH") if request is not None else None
        if length and length.isdigit() and int(length) > limit:
            raise errors.PayloadTooLarge(errors.TOO_LARGE.format(limit=limit))
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise errors.PayloadTooLarge(errors.TOO_LARGE.format(limit=limit))
        return super().parse(io.BytesIO(data), media_type, parser_context)
