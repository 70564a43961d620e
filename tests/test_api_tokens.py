"""API tokens expire, die with the password they were issued under, and can be revoked by their owner."""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.management.commands import changepassword
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.api.authentication import TOKEN_EXPIRED, TOKEN_INVALID
from tests.builders import make_user

RIGHT, NEW = "correct horse battery", "a brand new passphrase"

# The token endpoint runs outside a request transaction, as in production, and its refusals would mark
# a test's own transaction as failed: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def token_for(username: str, password: str = RIGHT) -> str:
    response = APIClient().post("/api/auth/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def projects_with(key: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/projects/")


def age(key: str, days: float) -> None:
    Token.objects.filter(key=key).update(created=timezone.now() - datetime.timedelta(days=days))


# --- Expiry -----------------------------------------------------------------------------------


def test_a_token_expires_after_the_configured_days_and_the_endpoint_issues_a_new_one():
    make_user("bob")
    old = token_for("bob")
    age(old, settings.API_TOKEN_TTL_DAYS - 0.5)
    assert projects_with(old).status_code == 200
    age(old, settings.API_TOKEN_TTL_DAYS + 0.5)
    refused = projects_with(old)
    assert refused.status_code == 401 and refused.json()["detail"] == TOKEN_EXPIRED
    assert refused["WWW-Authenticate"] == "Token"
    new = token_for("bob")
    assert new != old and projects_with(new).status_code == 200
    assert not Token.objects.filter(key=old).exists()


@override_settings(API_TOKEN_TTL_DAYS=0)
def test_with_no_lifetime_configured_tokens_never_expire():
    make_user("bob")
    key = token_for("bob")
    age(key, 10 * 365)
    assert projects_with(key).status_code == 200
    assert token_for("bob") == key


# --- Revoked by a password change, by any path ------------------------------------------------


def change_on_the_page(bob):
    client = Client()
    client.force_login(bob)
    form = {"old_password": RIGHT, "new_password1": NEW, "new_password2": NEW}
    assert client.post("/accounts/password/", form).status_code == 302


def change_in_the_admin(bob):
    client = Client()
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    form = {"password1": NEW, "password2": NEW, "usable_password": "true"}
    response = client.post(f"/admin/auth/user/{bob.pk}/password/", form)
    assert response.status_code == 302, response.content.decode()[-2000:]


def change_with_the_command(bob):
    with mock.patch.object(changepassword.Command, "_get_pass", return_value=NEW):
        call_command("changepassword", bob.username, stdout=mock.Mock())


def change_in_code(bob):
    bob.set_password(NEW)
    bob.save()


def change_in_sql(bob):
    """Not even a raw update of the column gets past PostgreSQL."""
    get_user_model().objects.filter(pk=bob.pk).update(password=make_password(NEW))


@pytest.mark.parametrize(
    "change", [change_on_the_page, change_in_the_admin, change_with_the_command, change_in_code, change_in_sql]
)
def test_a_password_change_revokes_the_token(change):
    bob = make_user("bob")
    old = token_for("bob")
    change(bob)
    refused = projects_with(old)
    assert refused.status_code == 401 and refused.json()["detail"] == TOKEN_INVALID
    new = token_for("bob", NEW)
    assert new != old and projects_with(new).status_code == 200


def test_saving_a_user_without_changing_the_password_keeps_the_token(client):
    bob = make_user("bob")
    key = token_for("bob")
    bob.email = "bob@example.org"
    bob.save()
    assert client.post("/accounts/login/", {"username": "bob", "password": RIGHT}).status_code == 302  # last_login
    assert projects_with(key).status_code == 200
    assert token_for("bob") == key


def test_other_users_tokens_survive_a_password_change():
    bob = make_user("bob")
    make_user("alice")
    alices = token_for("alice")
    change_in_code(bob)
    assert projects_with(alices).status_code == 200


# --- The owner's page -------------------------------------------------------------------------


def test_the_token_page_shows_when_the_token_was_made_and_expires_but_not_the_key():
    bob = make_user("bob")
    client = Client()
    client.force_login(bob)
    assert "You have no API token" in client.get("/accounts/token/").content.decode()
    key = token_for("bob")
    token = Token.objects.get(key=key)
    html = client.get("/accounts/token/").content.decode()
    assert key[:6] in html and key not in html
    assert token.created.strftime("%Y-%m-%d") in html
    expires = token.created + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS)
    assert expires.strftime("%Y-%m-%d") in html


def test_the_owner_revokes_the_token_with_a_csrf_protected_post():
    bob = make_user("bob")
    make_user("alice")
    alices = token_for("alice")
    key = token_for("bob")
    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    assert client.get("/accounts/token/revoke/").status_code == 405
    assert client.post("/accounts/token/revoke/").status_code == 403
    assert projects_with(key).status_code == 200
    page = client.get("/accounts/token/")
    csrf = page.context["csrf_token"]
    revoked = client.post("/accounts/token/revoke/", {"csrfmiddlewaretoken": str(csrf)}, follow=True)
    assert revoked.status_code == 200 and "Your API token is revoked" in revoked.content.decode()
    refused = projects_with(key)
    assert refused.status_code == 401 and refused.json()["detail"] == TOKEN_INVALID
    assert projects_with(alices).status_code == 200  # Bob's button revokes Bob's token only
    assert token_for("bob") != key


def test_the_token_page_needs_a_signed_in_user_and_is_linked_from_every_page(client):
    for path in ["/accounts/token/", "/accounts/token/revoke/"]:
        response = client.post(path) if path.endswith("revoke/") else client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    client.force_login(make_user("bob"))
    assert 'href="/accounts/token/"' in client.get("/").content.decode()
