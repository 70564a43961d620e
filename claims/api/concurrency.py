"""Optimistic concurrency over HTTP: versions travel as ETags, writes must send If-Match."""

from __future__ import annotations

from rest_framework.exceptions import ParseError

from .errors import PreconditionRequired

IF_MATCH_MALFORMED = 'If-Match must be the ETag you read, e.g. If-Match: "3".'


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(request) -> int | None:
    """The version the client last read, from If-Match; None for `*` (explicitly unconditional).

    A write without If-Match is refused (428): a client that never read the object cannot know
    whose change it would overwrite.
    """
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        raise PreconditionRequired()
    value = header.strip()
    if value == "*":
        return None
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    if not value.isdigit() or len(value) > 10:
        raise ParseError(IF_MATCH_MALFORMED)
    return int(value)
