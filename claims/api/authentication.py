"""How API requests authenticate: "Authorization: Token <key>" (scripts), or the session (pages).

A token works until it expires (API_TOKEN_TTL_DAYS), its owner revokes it, or the password changes
(claims/models/tokens.py); a refused token gets 401 saying which, and how to get a new one. Kept apart
from the token endpoint: DRF imports this module while it builds APIView, so it imports no views.
"""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from claims.services.tokens import api_token_is_expired

# What a refused script reads.
ASK_AGAIN = "POST your username and password to /api/auth/token/ for a new one."
TOKEN_EXPIRED = f"This token has expired. {ASK_AGAIN}"
TOKEN_INVALID = f"Invalid token: unknown, or revoked by its owner or by a password change. {ASK_AGAIN}"
USER_INACTIVE = "User inactive or deleted."


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing expired tokens, and saying why a token is refused."""

    def authenticate_credentials(self, key):
        token = Token.objects.select_related("user").filter(key=key).first()
        if token is None:
            raise exceptions.AuthenticationFailed(TOKEN_INVALID)
        if api_token_is_expired(token):
            raise exceptions.AuthenticationFailed(TOKEN_EXPIRED)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(USER_INACTIVE)
        return token.user, token
