"""Token authentication for scripts: POST username and password, get a token (claims.api.authentication
says how it is then checked)."""

from __future__ import annotations

from django.contrib.auth import authenticate, user_logged_in
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from annotator.lockout import client_address
from claims.models import PasswordChangeRequired
from claims.services.accounts import FIRST_PASSWORD_REQUIRED
from claims.services.tokens import api_token_issue

from .fields import StrictInputSerializer
from .schema import ErrorOutput

# One message for every failure, so the answer never tells whether a username exists.
BAD_CREDENTIALS = "Unable to log in with these credentials."


class TokenInput(StrictInputSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()


class LoginThrottle(ScopedRateThrottle):
    """Counts per client address as the lock-out sees it: X-Forwarded-For only through trusted proxies."""

    def get_ident(self, request):
        return client_address(request)


class ObtainToken(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [LoginThrottle]
    throttle_scope = "login"

    @extend_schema(
        request=TokenInput,
        responses={
            200: TokenOutput,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Wrong credentials, the same for any cause"),
            429: OpenApiResponse(ErrorOutput, description="Too many attempts (throttled, or locked out for a while)"),
        },
        auth=[],
        summary="Exchange username and password for an API token (throttled)",
    )
    def post(self, request):
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        # The plain Django request: django-axes records failures and lockouts on it.
        user = authenticate(request._request, **data.validated_data)
        if user is None:
            raise serializers.ValidationError({"non_field_errors": [BAD_CREDENTIALS]})
        if PasswordChangeRequired.objects.filter(user=user).exists():
            raise serializers.ValidationError({"password": [FIRST_PASSWORD_REQUIRED]})
        # A sign-in like the page's (no session, though): last_login, axes' access log (the addresses the
        # user signs in from, which a slowed username still lets in) and the reset of this address's failures.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        # axes' access log keys a sign-in by a session it creates for the purpose; a script has no use for one,
        # so it is dropped again (no session row per token request, no cookie in the answer).
        request._request.session.flush()
        return Response({"token": api_token_issue(user=user).key})
