"""Token auth for scripts (over real HTTP), session auth with CSRF for pages, throttled logins."""

import json
import urllib.error
import urllib.request

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from claims.api.auth import BAD_CREDENTIALS
from tests.builders import make_project, make_user


def http(method: str, url: str, body=None, token: str | None = None) -> tuple[int, dict, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"{}")


@pytest.fixture
def fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db(transaction=True)
def test_token_flow_end_to_end(live_server, fresh_throttle):
    alice = make_user("alice")
    make_project(manager=alice, name="Alice's")
    status, _, body = http(
        "POST", f"{live_server.url}/api/auth/token/", {"username": "alice", "password": "correct horse battery"}
    )
    assert status == 200 and len(body["token"]) == 40
    status, _, projects = http("GET", f"{live_server.url}/api/projects/", token=body["token"])
    assert status == 200 and [p["name"] for p in projects["results"]] == ["Alice's"]
    status, headers, _ = http("GET", f"{live_server.url}/api/projects/", token="0" * 40)
    assert status == 401 and headers["WWW-Authenticate"] == "Token"
    status, _, again = http(
        "POST", f"{live_server.url}/api/auth/token/", {"username": "alice", "password": "correct horse battery"}
    )
    assert again["token"] == body["token"]


@pytest.mark.django_db(transaction=True)
def test_wrong_password_and_unknown_user_get_the_same_answer(fresh_throttle):
    make_user("alice")
    client = APIClient()
    wrong = client.post("/api/auth/token/", {"username": "alice", "password": "nope"}, format="json")
    unknown = client.post("/api/auth/token/", {"username": "zed", "password": "nope"}, format="json")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json() == {"non_field_errors": [BAD_CREDENTIALS]}


@pytest.mark.django_db(transaction=True)
def test_inactive_users_get_no_token(fresh_throttle):
    make_user("gone", is_active=False)
    response = APIClient().post(
        "/api/auth/token/", {"username": "gone", "password": "correct horse battery"}, format="json"
    )
    assert response.status_code == 400


@pytest.mark.django_db(transaction=True)  # the endpoint runs outside a request transaction, as in production
def test_token_endpoint_is_throttled(fresh_throttle):
    make_user("alice")
    client = APIClient()
    codes = [client.post("/api/auth/token/", {"username": "alice", "password": f"guess{i}"}, format="json").status_code
             for i in range(12)]  # fmt: skip
    # django-axes locks the username after ten failures (the tenth answer is already the lockout);
    # DRF's rate limit (10/minute per address) stands behind it.
    assert codes[:9] == [400] * 9 and codes[9:] == [429, 429, 429]
    right = client.post("/api/auth/token/", {"username": "alice", "password": "correct horse battery"}, format="json")
    assert right.status_code == 429


@pytest.mark.django_db
def test_session_writes_need_the_csrf_token(fresh_throttle):
    alice = make_user("alice")
    make_project(manager=alice)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice)
    refused = client.post("/api/projects/", {"name": "Without CSRF"}, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    client.get("/admin/login/")  # any page that sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post("/api/projects/", {"name": "With CSRF"}, format="json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


@pytest.mark.django_db
def test_token_requests_need_no_csrf_token(fresh_throttle):
    from rest_framework.authtoken.models import Token

    alice = make_user("alice")
    make_project(manager=alice)
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=alice).key}")
    assert client.post("/api/projects/", {"name": "Scripted"}, format="json").status_code == 201


def test_a_token_request_leaves_no_session_behind(db):
    from django.contrib.sessions.models import Session

    make_user("mia")
    response = APIClient().post("/api/auth/token/", {"username": "mia", "password": "correct horse battery"},
                                format="json")  # fmt: skip
    assert response.status_code == 200 and response.json()["token"]
    assert "sessionid" not in response.cookies
    assert not Session.objects.exists()
