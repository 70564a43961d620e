"""The signed-in user's own account: their API token (when it was issued, when it expires), and
revoking it. Issuing stays with the token endpoint (POST /api/auth/token/), so a key is only ever
shown to the script that asked for it, never in a page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from claims.services.tokens import api_token_expires_at, api_token_is_expired, api_token_revoke

TOKEN_REVOKED = "Your API token is revoked. Scripts using it now get 401 until they ask for a new one."  # noqa: S105
NO_TOKEN = "You had no API token to revoke."  # noqa: S105 (messages, not secrets)
# Enough of the key to tell which one a script holds, too little to use.
KEY_SHOWN = 6


@login_required
def api_token_page(request):
    token = Token.objects.filter(user=request.user).first()
    context = {"token": None}
    if token is not None:
        context = {
            "token": token,
            "key_start": token.key[:KEY_SHOWN],
            "expires_at": api_token_expires_at(token),
            "expired": api_token_is_expired(token),
        }
    return render(request, "account/api_token.html", context)


@login_required
@require_POST
def api_token_revoke_page(request):
    revoked = api_token_revoke(user=request.user)
    messages.success(request, TOKEN_REVOKED if revoked else NO_TOKEN)
    return redirect("account-api-token")


class WelcomeView(auth_views.PasswordResetConfirmView):
    """The one-time sign-in link a manager handed to a new member (claims.services.accounts): choose a
    password and be signed in. The link stops working once the password is set (Django's reset token
    covers the password hash), or after PASSWORD_RESET_TIMEOUT."""

    template_name = "registration/welcome.html"
    post_reset_login = True
    # Several backends are configured (the sign-in lock-out's among them): name the one that signs in.
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("home")
    reset_url_token = "choose-password"  # noqa: S105 (a URL segment, not a secret)
