"""Password guessing: throttles and lock-outs count the real client, and cannot be turned against the user.

Addresses are documentation ranges (RFC 5737). Mallory attacks, Bob is the user being attacked.
"""

import pytest
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.test import RequestFactory, override_settings
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
