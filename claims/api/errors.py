"""How domain and framework errors become HTTP answers (DRF's EXCEPTION_HANDLER)."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from claims.services.errors import RuleViolation, StaleVersion

STALE_VERSION = "Someone changed this since you read it; nothing was saved. Reload it and try again."
PRECONDITION_REQUIRED = "Send If-Match with the ETag (version) you last read, so no one's change is overwritten."
CONFLICT = "This write conflicts with the stored data ({constraint}); nothing was saved."
TOO_LARGE = "The request body is larger than the {limit} bytes accepted."
DATABASE_UNAVAILABLE = "The database is unavailable for a moment; nothing was saved. Try again shortly."
NO_SUCH_ROUTE = "Not found: no API route has this path (ids are whole numbers)."


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = PRECONDITION_REQUIRED
    default_code = "precondition_required"


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"


def exception_handler(exc, context):
    """Domain rules → 400 with field messages; stale versions → 412; constraint races → 409.

    Every handled error rolls the request's transaction back (ATOMIC_REQUESTS), so nothing is
    half-written.
    """
    if isinstance(exc, RuleViolation):
        set_rollback()
        return Response(exc.errors, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, StaleVersion):
        set_rollback()
        return Response(
            {"detail": STALE_VERSION, "current_version": exc.current_version},
            status=status.HTTP_412_PRECONDITION_FAILED,
            headers={"ETag": f'"{exc.current_version}"'},
        )
    if isinstance(exc, RequestDataTooBig):
        set_rollback()
        return Response({"detail": str(exc)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, (OperationalError, InterfaceError)):
        # The database went away (a restart, a failover): the client should keep its change and retry.
        set_rollback()
        return Response({"detail": DATABASE_UNAVAILABLE}, status=status.HTTP_503_SERVICE_UNAVAILABLE,
                        headers={"Retry-After": "5"})  # fmt: skip
    if isinstance(exc, IntegrityError):
        # The services check every rule first; this is the database catching a race between
        # two requests (e.g. the same external_id created twice at once).
        set_rollback()
        cause = getattr(exc, "__cause__", None)
        constraint = getattr(getattr(cause, "diag", None), "constraint_name", None) or "integrity"
        return Response({"detail": CONFLICT.format(constraint=constraint)}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, context)


@csrf_exempt  # a 404 changes nothing; a POST to a wrong path should learn that, not fail a CSRF check
def route_not_found(request, *args, **kwargs):
    """Any other path under /api/ (an unknown route, or an id that is not a number): a JSON 404
    like every other API error, not the site's HTML page."""
    return JsonResponse({"detail": NO_SUCH_ROUTE}, status=404)
