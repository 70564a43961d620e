"""GET /healthz: the load balancers' liveness check and the load benchmark's framework floor."""


def test_healthz_answers_ok_to_anyone_without_cookies(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]


def test_healthz_touches_no_database(client):
    """No `db` fixture: pytest-django refuses any connection, so this fails if the view, a
    middleware or the request transaction (ATOMIC_REQUESTS) reaches for the database."""
    assert client.get("/healthz").status_code == 200


def test_healthz_takes_only_reads(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_healthz_ignores_a_signed_in_session(client, django_user_model):
    user = django_user_model.objects.create_user("bob", password="correct horse battery")
    client.force_login(user)
    response = client.get("/healthz")
    assert response.status_code == 200 and not response.cookies


def test_healthz_answers_plain_http_when_the_site_redirects_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200  # exempt: probes come over plain HTTP
    assert client.get("/accounts/login/").status_code == 301
