"""What people and scripts get when something fails on the server side.

A database that is restarting or unreachable is not a bug in the request: the answer is 503 with
Retry-After, so the annotate page (and any script) keeps the change and tries again. Errors under
/api/ are JSON, like every other API answer.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render

DATABASE_UNAVAILABLE = "The database is unavailable for a moment; nothing was saved. Try again shortly."
SERVER_ERROR = "Something went wrong on the server; nothing was saved. The error has been logged."


def server_error(request):
    error = sys.exc_info()[1]
    unavailable = isinstance(error, (OperationalError, InterfaceError))
    status = 503 if unavailable else 500
    message = DATABASE_UNAVAILABLE if unavailable else SERVER_ERROR
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=status)
    else:
        # A template without database access: the database may be what failed.
        response = render(request, "500.html", {"message": message}, status=status)
    if unavailable:
        response["Retry-After"] = "5"
    return response
