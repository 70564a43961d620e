"""Sign-in defences around django-axes: whose address a request comes from, slowing a username
guessed at from many addresses, and what a paused sign-in sees (JSON for the API, a page for people).

Axes locks one (username, address) pair after LOGIN_FAILURE_LIMIT failures; that lock cannot
touch the real user signing in from elsewhere. What the pair lock does not bound is a guesser with
many addresses, so a username that failed from LOGIN_USERNAME_ADDRESS_LIMIT addresses within the
cool-off is slowed: other addresses wait, except those the user has signed in from before.
"""

from __future__ import annotations

import datetime
import ipaddress
import math

from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

LOCKED_OUT = "Too many failed sign-ins. Try again in {minutes} minutes."
USERNAME_SLOWED = (
    "Too many failed sign-ins for this username from other places. Try again in {minutes} minutes, "
    "or from a place you have signed in from before."
)
# A successful sign-in from an address vouches for it this long.
KNOWN_ADDRESS_DAYS = 90


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


def username_slowed_for(request, username: str) -> int:
    """Seconds this request must wait before it may try `username`, or 0."""
    limit = settings.LOGIN_USERNAME_ADDRESS_LIMIT
    if not limit:
        return 0
    now = timezone.now()
    cooloff = settings.AXES_COOLOFF_TIME
    # The limit-th most recently failing address: while it is within the cool-off, the username is slowed.
    nth = (
        AccessAttempt.objects.filter(username=username, attempt_time__gte=now - cooloff)
        .values("ip_address")
        .annotate(last=Max("attempt_time"))
        .order_by("-last")
        .values_list("last", flat=True)[limit - 1 : limit]
    )
    last = next(iter(nth), None)
    if last is None:
        return 0
    known = AccessLog.objects.filter(
        username=username,
        ip_address=client_address(request),
        attempt_time__gte=now - datetime.timedelta(days=KNOWN_ADDRESS_DAYS),
    )
    if known.exists():
        return 0
    return max(1, math.ceil((last + cooloff - now).total_seconds()))


class SlowedUsernameBackend:
    """Refuses, before any password is checked, a sign-in for a username that is being slowed.

    Placed after axes' backend and before the one that checks passwords, so the sign-in page, the
    admin and the API token endpoint all pass through it. Refusing before the check means a slowed
    username gives a guesser nothing, not even for the right password. The refusal is recorded by
    axes like any failure, which keeps the username slowed while the guessing goes on. No get_user:
    it never signs anyone in, and Django's force_login picks the first backend that has one.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or not username:
            return None
        wait = username_slowed_for(request, username)
        if wait:
            request.login_retry_after = wait
            # AxesMiddleware turns a flagged request into lockout_response below.
            request.axes_locked_out = True
            raise PermissionDenied("username slowed")
        return None


def lockout_response(request, original_response=None, credentials=None):
    """A 429 with Retry-After: for a locked (username, address) pair, the whole cool-off (each attempt
    while locked restarts it); for a slowed username, until enough failing addresses have aged out."""
    wait = getattr(request, "login_retry_after", None)
    if wait is None:
        wait = int(settings.AXES_COOLOFF_TIME.total_seconds())
        template = LOCKED_OUT
    else:
        template = USERNAME_SLOWED
    message = template.format(minutes=max(1, math.ceil(wait / 60)))
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        # Rendered here: axes hands this response out after the view, past Django's template rendering.
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(wait)
    return response
