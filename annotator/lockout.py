"""Sign-in defences around django-axes: whose address a request comes from, and what a locked-out
sign-in sees (JSON for the API, a page for people)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

LOCKED_OUT = "Too many failed sign-ins. Try again in {minutes} minutes."


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the
    outermost one saw. Each proxy appends what it saw to X-Forwarded-For, so only the last N entries
    were written by proxies we trust; anything left of them the client may have written itself.
    The same rule as DRF's get_ident with NUM_PROXIES, and django-axes' AXES_CLIENT_IP_CALLABLE."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not proxies or not forwarded:
        return remote
    entries = forwarded.split(",")
    candidate = entries[-min(proxies, len(entries))].strip()
    try:
        # Axes stores the address in an inet column: a proxy chain that passes text is not an address.
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def lockout_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = LOCKED_OUT.format(minutes=minutes)
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    # Rendered here: axes hands this response out after the view, past Django's template rendering.
    return render(request, "registration/locked_out.html", {"message": message}, status=429)
