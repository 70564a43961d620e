"""API tokens: issue, expire, revoke (DRF's Token, one per user; see claims/models/tokens.py).

Expiry is computed from the token's `created` and API_TOKEN_TTL_DAYS, here only, so changing the
setting moves every token's expiry with it. A password change needs nothing here: a trigger deletes
the user's token when the password column changes.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token


def _lifetime() -> datetime.timedelta | None:
    days = settings.API_TOKEN_TTL_DAYS
    return datetime.timedelta(days=days) if days > 0 else None


def api_token_expires_at(token: Token) -> datetime.datetime | None:
    """When `token` stops working, or None if tokens never expire."""
    lifetime = _lifetime()
    return token.created + lifetime if lifetime else None


def api_token_is_expired(token: Token) -> bool:
    expires_at = api_token_expires_at(token)
    return expires_at is not None and expires_at <= timezone.now()


@transaction.atomic
def api_token_issue(*, user) -> Token:
    """The user's token: the current one while it lives, a new one once it has expired or was revoked."""
    current = Token.objects.select_for_update().filter(user=user).first()
    if current is not None and not api_token_is_expired(current):
        return current
    if current is not None:
        current.delete()
    token, _ = Token.objects.get_or_create(user=user)
    return token


def api_token_revoke(*, user) -> bool:
    """Deletes the user's token; False if there was none."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
