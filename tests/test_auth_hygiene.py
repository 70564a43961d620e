"""Password guessing: throttles and lock-outs count the real client, and cannot be turned against the user.

Addresses are documentation ranges (RFC 5737). Mallory attacks, Bob is the user being attacked.
"""

import datetime

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from tests.builders import make_user

TOKEN_URL = "/api/auth/token/"
LOGIN_URL = "/accounts/login/"
RIGHT, WRONG = "correct horse battery", "wrong guess"
PROXY = "10.0.0.2"
MALLORY, BOB_AT_HOME, BOB_TRAVELLING = "203.0.113.66", "198.51.100.7", "198.51.100.99"


# The token endpoint runs outside a request transaction, as in production, and its refusals would mark
# a test's own transaction as failed: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def fresh_throttle():
    # Throttle counters live in the database cache, which transactional tests elsewhere leave behind.
    cache.clear()
    yield
    cache.clear()


def token_attempt(username: str, password: str = WRONG, **meta):
    return APIClient().post(TOKEN_URL, {"username": username, "password": password}, format="json", **meta)


def page_attempt(client, username: str, password: str = WRONG, **meta):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **meta)


# --- The client's address ---------------------------------------------------------------------


def test_rotating_x_forwarded_for_gives_no_more_guesses():
    """With no trusted proxy the header is the client's own words: the throttle keys on REMOTE_ADDR."""
    codes = [token_attempt(f"user{i}", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").status_code for i in range(12)]
    rate = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"].split("/")[0])
    assert codes[:rate] == [400] * rate and codes[rate:] == [429] * (12 - rate)


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_each_client_is_throttled_on_its_own_address():
    behind_proxy = {"REMOTE_ADDR": PROXY}
    codes = [token_attempt(f"user{i}", HTTP_X_FORWARDED_FOR=MALLORY, **behind_proxy).status_code for i in range(10)]
    assert codes == [400] * 10
    assert token_attempt("user10", HTTP_X_FORWARDED_FOR=MALLORY, **behind_proxy).status_code == 429
    # What Mallory writes in front of the address the proxy appended does not make her someone else.
    forged = f"192.0.2.1, {MALLORY}"
    assert token_attempt("user11", HTTP_X_FORWARDED_FOR=forged, **behind_proxy).status_code == 429
    assert token_attempt("user12", HTTP_X_FORWARDED_FOR=BOB_AT_HOME, **behind_proxy).status_code == 400


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_a_guesser_cannot_lock_out_another_client(client):
    bob = make_user("bob")
    answers = [page_attempt(client, "bob", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=MALLORY).status_code
               for _ in range(11)]  # fmt: skip
    assert answers[-1] == 429
    signed_in = page_attempt(client, "bob", RIGHT, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=BOB_AT_HOME)
    assert signed_in.status_code == 302 and client.session["_auth_user_id"] == str(bob.pk)


def test_the_lockout_reads_the_client_address_as_the_throttle_does():
    """django-axes asks annotator.lockout for the address, so a forged header moves neither of them."""
    request = RequestFactory().post(LOGIN_URL, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.1, {MALLORY}")
    assert get_client_ip_address(request) == PROXY
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert get_client_ip_address(request) == MALLORY
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert get_client_ip_address(request) == "192.0.2.1"
    # An address field that is not an address (a misconfigured proxy chain) falls back to the connection's.
    garbage = RequestFactory().post(LOGIN_URL, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert get_client_ip_address(garbage) == PROXY


# --- Locking the pair, slowing the username ---------------------------------------------------


def test_guessing_from_one_address_does_not_lock_the_user_out(client):
    make_user("bob")
    mallory = [page_attempt(client, "bob", REMOTE_ADDR=MALLORY).status_code for _ in range(30)]
    mallory += [token_attempt("bob", REMOTE_ADDR=MALLORY).status_code for _ in range(10)]
    assert mallory[:9] == [200] * 9 and set(mallory[9:]) == {429}
    assert page_attempt(client, "bob", RIGHT, REMOTE_ADDR=BOB_AT_HOME).status_code == 302
    assert token_attempt("bob", RIGHT, REMOTE_ADDR=BOB_AT_HOME).status_code == 200


def guess_from_many_addresses(username: str, client) -> None:
    for i in range(settings.LOGIN_USERNAME_ADDRESS_LIMIT):
        assert page_attempt(client, username, REMOTE_ADDR=f"203.0.113.{i + 1}").status_code == 200


def test_failures_from_many_addresses_slow_the_username_for_new_addresses(client):
    make_user("bob")
    assert page_attempt(client, "bob", RIGHT, REMOTE_ADDR=BOB_AT_HOME).status_code == 302
    client.logout()
    guess_from_many_addresses("bob", client)
    # Even the right password is not checked from an address Bob never signed in from: no oracle to guess with.
    paused = page_attempt(client, "bob", RIGHT, REMOTE_ADDR=BOB_TRAVELLING)
    cooloff = settings.AXES_COOLOFF_TIME.total_seconds()
    assert paused.status_code == 429 and 0 < int(paused["Retry-After"]) <= cooloff
    assert "Too many failed sign-ins for this username" in paused.content.decode()
    assert "_auth_user_id" not in client.session
    # From where he has signed in before, Bob is not slowed; his own address's count is his own.
    assert page_attempt(client, "bob", RIGHT, REMOTE_ADDR=BOB_AT_HOME).status_code == 302
    client.logout()
    # Once the failures are older than the cool-off, a new address may try again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(1))
    assert page_attempt(client, "bob", RIGHT, REMOTE_ADDR=BOB_TRAVELLING).status_code == 302


def test_a_slowed_username_is_slowed_on_the_token_endpoint_and_the_admin_too(client):
    make_user("bob", is_staff=True)
    guess_from_many_addresses("bob", client)
    api = token_attempt("bob", RIGHT, REMOTE_ADDR=BOB_TRAVELLING)
    assert api.status_code == 429 and int(api["Retry-After"]) > 0
    assert "Too many failed sign-ins for this username" in api.json()["detail"]
    admin = client.post("/admin/login/", {"username": "bob", "password": RIGHT}, REMOTE_ADDR=BOB_TRAVELLING)
    assert admin.status_code == 429


def test_slowing_a_username_reveals_no_accounts(client):
    make_user("bob")
    guess_from_many_addresses("bob", client)
    guess_from_many_addresses("nobody", client)
    known = page_attempt(client, "bob", REMOTE_ADDR=BOB_TRAVELLING)
    unknown = page_attempt(client, "nobody", REMOTE_ADDR=BOB_TRAVELLING)
    assert known.status_code == unknown.status_code == 429
    assert known.content == unknown.content


def test_a_signed_in_token_request_counts_as_a_sign_in_from_that_address(client):
    """Scripts sign in on the token endpoint: that address is then one Bob has signed in from."""
    make_user("bob")
    assert token_attempt("bob", RIGHT, REMOTE_ADDR=BOB_AT_HOME).status_code == 200
    guess_from_many_addresses("bob", client)
    assert token_attempt("bob", RIGHT, REMOTE_ADDR=BOB_AT_HOME).status_code == 200
    assert token_attempt("bob", RIGHT, REMOTE_ADDR=BOB_TRAVELLING).status_code == 429


def test_a_locked_pair_says_when_to_try_again(client):
    make_user("bob")
    answers = [page_attempt(client, "bob", REMOTE_ADDR=MALLORY) for _ in range(10)]
    assert answers[-1].status_code == 429
    assert int(answers[-1]["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
