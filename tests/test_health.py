"""GET /healthz: the load balancers' liveness check and the load benchmark's framework floor."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_healthz_answers_ok_to_anyone_without_cookies(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]


def test_healthz_touches_no_database(client, db):
    with CaptureQueriesContext(connection) as queries:
        client.get("/healthz")
    assert len(queries) == 0


def test_healthz_runs_outside_the_request_transaction(client, db):
    """ATOMIC_REQUESTS would otherwise open a connection (and a transaction) for every check."""
    from annotator.views import healthz

    assert getattr(healthz, "_non_atomic_requests", set()) == {"default"}


def test_healthz_takes_only_reads(client, db):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_healthz_ignores_a_signed_in_session(client, django_user_model):
    user = django_user_model.objects.create_user("bob", password="correct horse battery")
    client.force_login(user)
    response = client.get("/healthz")
    assert response.status_code == 200 and not response.cookies
