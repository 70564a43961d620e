"""API tokens: DRF's Token (rest_framework.authtoken), one per user, plus what keeps it honest.

A token lives API_TOKEN_TTL_DAYS from its issue (claims.services.tokens decides expiry), and dies
the moment its user's password changes. The second is a trigger, not application code: a password
changes through the password page, the admin, `manage.py changepassword`, `set_password()` + `save()`,
a hasher upgrade at sign-in, or plain SQL, and PostgreSQL sees every one of them.
"""

from __future__ import annotations

import pgtrigger
from django.contrib.auth.models import User


class TokenHolder(User):
    """auth.User as the API tokens see it. A proxy only because pgtrigger keeps a trigger, and its
    migration, with a model of this app; it adds no table and nothing else uses it."""

    class Meta:
        proxy = True
        triggers = [
            pgtrigger.Trigger(
                name="password_change_revokes_api_tokens",
                when=pgtrigger.After,
                operation=pgtrigger.UpdateOf("password"),
                condition=pgtrigger.Q(old__password__df=pgtrigger.F("new__password")),
                func="DELETE FROM authtoken_token WHERE user_id = NEW.id; RETURN NULL;",
            ),
        ]
