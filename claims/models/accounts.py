"""Accounts a manager creates for someone else: until that person picks their own password, every page
sends them to the password page (annotator.first_password.FirstPasswordMiddleware).

The flag is a row, and it is cleared by a trigger rather than by the password page: a password changes
through the password page, the one-time sign-in link, the admin, `manage.py changepassword` or plain
SQL, and PostgreSQL sees every one of them (as for the API tokens, claims/models/tokens.py).
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.contrib.auth.models import User
from django.db import models


class PasswordChangeRequired(models.Model):
    """The user signs in with a password someone else was shown: they must choose their own first."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
                                related_name="password_change_required")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} must change their password"


class PasswordOwner(User):
    """auth.User as the first-password flag sees it. A proxy only because pgtrigger keeps a trigger, and
    its migration, with a model of this app; it adds no table and nothing else uses it."""

    class Meta:
        proxy = True
        triggers = [
            pgtrigger.Trigger(
                name="password_change_clears_first_password_flag",
                when=pgtrigger.After,
                operation=pgtrigger.UpdateOf("password"),
                condition=pgtrigger.Q(old__password__df=pgtrigger.F("new__password")),
                func="DELETE FROM claims_passwordchangerequired WHERE user_id = NEW.id; RETURN NULL;",
            ),
        ]
