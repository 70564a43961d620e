"""Accounts a project's manager creates for a new member, and how that person signs in the first time.

The manager is shown one secret, once: a one-time sign-in link (Django's password-reset token: it stops
working when the password is set, or after PASSWORD_RESET_TIMEOUT) or a generated password, with which
the person must choose their own before anything else (claims.models.accounts.PasswordChangeRequired).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from claims.models import Membership, PasswordChangeRequired, Project, Role

from .errors import Problems
from .projects import membership_set

SIGN_IN_LINK = "link"
SIGN_IN_PASSWORD = "password"  # noqa: S105 (a method's name, not a secret)
SIGN_IN_METHODS = (SIGN_IN_LINK, SIGN_IN_PASSWORD)

ACCOUNT_USERNAME_INVALID = "A username has at most 150 letters, digits and @ . + - _ characters."
ACCOUNT_USERNAME_TAKEN = "An account with this username already exists: add it as an existing user instead."
ACCOUNT_EMAIL_INVALID = "Enter a valid e-mail address, or leave it empty."
FIRST_PASSWORD_REQUIRED = "Choose your own password first: the one you were given was shown to someone else."  # noqa: S105
ACCOUNT_SIGN_IN_UNKNOWN = "Choose how they sign in the first time: a one-time link or a generated password."


@dataclass(frozen=True)
class NewAccount:
    """The new member and the one secret to hand them: exactly one of `password` and `sign_in_path`."""

    membership: Membership
    password: str | None = None
    sign_in_path: str | None = None


def account_sign_in_path(user) -> str:
    """A one-time sign-in link (a path on this site) for the user: it opens a page to choose a password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("account-welcome", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)})


@transaction.atomic
def account_create(
    *, project: Project, username: str, email: str = "", role: str = Role.ANNOTATOR, sign_in: str = SIGN_IN_LINK
) -> NewAccount:
    """A new user, member of the project with `role`, and their first sign-in secret (never stored in clear)."""
    problems = Problems()
    username = username.strip() if isinstance(username, str) else ""
    try:
        if not username or len(username) > 150:
            raise ValidationError(ACCOUNT_USERNAME_INVALID)
        UnicodeUsernameValidator()(username)
    except ValidationError:
        problems.add("username", ACCOUNT_USERNAME_INVALID)
    else:
        if get_user_model().objects.filter(username__iexact=username).exists():
            problems.add("username", ACCOUNT_USERNAME_TAKEN)
    email = email.strip() if isinstance(email, str) else email
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.add("email", ACCOUNT_EMAIL_INVALID)
    if sign_in not in SIGN_IN_METHODS:
        problems.add("sign_in", ACCOUNT_SIGN_IN_UNKNOWN)
    problems.raise_if_any()
    user = get_user_model().objects.create_user(username=username, email=email or "")
    membership = membership_set(project=project, user=user, role=role)
    if sign_in == SIGN_IN_LINK:
        return NewAccount(membership=membership, sign_in_path=account_sign_in_path(user))
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save(update_fields=["password"])
    # After the password is set: the database clears this flag whenever the password changes.
    PasswordChangeRequired.objects.create(user=user)
    return NewAccount(membership=membership, password=password)
