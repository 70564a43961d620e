"""Someone signed in with a password a manager was shown chooses their own before anything else.

claims.services.accounts sets the flag; the database clears it when the password changes.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from claims.models import PasswordChangeRequired
from claims.services.accounts import FIRST_PASSWORD_REQUIRED


class FirstPasswordMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not self._exempt(request.path)
            and PasswordChangeRequired.objects.filter(user=user).exists()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": FIRST_PASSWORD_REQUIRED}, status=403)
            messages.info(request, FIRST_PASSWORD_REQUIRED)
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        open_paths = (reverse("password_change"), reverse("password_change_done"), reverse("logout"))
        return path in open_paths or path.startswith("/static/")
