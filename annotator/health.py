"""The liveness answer load balancers probe (`/healthz`)."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
@transaction.non_atomic_requests
def healthz(request):
    """Liveness for load balancers, and the framework floor of bench/load_annotators.py.

    It answers from the process alone: no sign-in, no session, no cookie, and no database
    connection (outside the request transaction), so it measures Django and gunicorn, nothing else.
    """
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
