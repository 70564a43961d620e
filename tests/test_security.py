"""The security pass: markup never becomes markup, headers, CSRF, sign-in, passwords, files.

See SECURITY.md for what is defended and how.
"""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from tests.api import client_for
from tests.builders import database_url, make_project, make_user
from tests.jobs import finished
from tests.security_world import RAW_MARKERS, build_hostile_world, pages


@pytest.fixture
def hostile(db):
    return build_hostile_world()


def test_user_text_is_escaped_on_every_page(client, hostile):
    for path, user in pages(hostile):
        client.force_login(user)
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        for marker in RAW_MARKERS:
            assert marker not in html, f"{marker!r} unescaped on {path}"


def test_user_text_is_escaped_in_the_admin(client, hostile):
    root = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(root)
    for model in ["project", "article", "speaker", "claim", "assignment", "claimmention", "articlestance",
                  "suggestion"]:  # fmt: skip
        for path in (reverse(f"admin:claims_{model}_changelist"),):
            html = client.get(path).content.decode()
            assert all(marker not in html for marker in RAW_MARKERS), path
    for obj in (hostile.project, hostile.article, hostile.speaker, hostile.claim):
        path = reverse(f"admin:claims_{obj._meta.model_name}_change", args=[obj.pk])
        html = client.get(path).content.decode()
        assert all(marker not in html for marker in RAW_MARKERS), path


def test_every_page_sends_the_security_headers(client, hostile):
    account = [("/accounts/login/", None), ("/accounts/token/", hostile.manager)]
    for path, user in [*pages(hostile), *account, ("/api/docs/", hostile.manager)]:
        client.logout()
        if user:
            client.force_login(user)
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", path


def test_hsts_and_https_redirect_in_production():
    """Production settings (HTTPS on) send HSTS on secure requests and redirect plain HTTP."""
    code = (
        "import django; django.setup(); from django.test import Client; c = Client(); "
        "secure = c.get('/api/projects/', secure=True); plain = c.get('/api/projects/'); "
        "print(secure['Strict-Transport-Security'], plain.status_code, plain['Location'])"
    )
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "annotator.settings",
           "SECRET_KEY": "production-like-key-" + "x" * 40, "ALLOWED_HOSTS": "testserver",
           "DATABASE_URL": database_url(connection.settings_dict)}  # fmt: skip
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True,
                            text=True, timeout=60)  # fmt: skip
    assert result.stdout.split() == ["max-age=31536000;", "includeSubDomains", "301",
                                     "https://testserver/api/projects/"], result.stderr[-2000:]  # fmt: skip


def test_page_forms_need_the_csrf_token(hostile):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(hostile.annotator)
    assert client.post(f"/projects/{hostile.project.pk}/start/").status_code == 403
    client.force_login(hostile.reviewer)
    response = client.post(f"/claims/{hostile.claim.pk}/curate/", {"action": "rename", "text": "Hijacked"})
    assert response.status_code == 403 and "Hijacked" not in str(hostile.claim.__class__.objects.values("text"))


@pytest.mark.django_db(transaction=True)
def test_sign_in_does_not_reveal_which_usernames_exist(client):
    from django.core.cache import cache

    cache.clear()
    make_user("bob")
    known = client.post("/accounts/login/", {"username": "bob", "password": "wrong"})
    unknown = client.post("/accounts/login/", {"username": "nobody-here", "password": "wrong"})
    assert known.status_code == unknown.status_code == 200
    message = "Your username and password did not match"
    assert message in known.content.decode() and message in unknown.content.decode()
    # There is no password-reset form (accounts are given by managers), so nothing to enumerate there.
    assert client.get("/accounts/password/reset/").status_code == 404


def test_password_validators_refuse_weak_passwords(db):
    user = make_user("bob")
    for weak in ["short", "password123", "1234567890", "qwertyuiop"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("correct horse battery staple", user)


def test_password_change_page_enforces_the_validators(client, db):
    user = make_user("bob")
    client.force_login(user)
    form = {"old_password": "correct horse battery", "new_password1": "password123", "new_password2": "password123"}
    response = client.post("/accounts/password/", form)
    assert response.status_code == 200 and "too common" in response.content.decode()


def test_orm_lookups_through_query_strings_never_reach_the_database(hostile):
    manager = client_for(hostile.manager)
    for path in [f"/api/projects/{hostile.project.pk}/assignments/", f"/api/projects/{hostile.project.pk}/articles/"]:
        assert manager.get(path, {"ordering": "annotator__password"}).status_code == 400
        assert manager.get(path, {"ordering": "-project__memberships__user__password"}).status_code == 400
        everything = manager.get(path).json()["results"]
        assert manager.get(path, {"annotator__password__startswith": "md5$"}).json()["results"] == everything


def test_cross_project_ids_are_refused(hostile):
    other = make_project(manager=make_user("charlie"), name="Other")
    from tests.builders import make_claim, make_speaker

    foreign_speaker, foreign_claim = make_speaker(other, "Stranger"), make_claim(other, "Foreign")
    bob = client_for(hostile.annotator)
    url = f"/api/assignments/{hostile.work.pk}/mentions/"
    span = {"start": 0, "end": 5, "text": "Hello"}
    assert bob.post(url, {**span, "speaker_id": foreign_speaker.pk}, format="json").status_code == 400
    assert bob.post(url, {**span, "claim_id": foreign_claim.pk}, format="json").status_code == 400
    assert client_for(hostile.manager).get(f"/api/speakers/{foreign_speaker.pk}/").status_code == 404
    assert client_for(hostile.manager).get(f"/api/projects/{other.pk}/export/?format=jsonl").status_code == 404


def test_exported_and_released_files_are_downloads_never_pages(hostile):
    manager = client_for(hostile.manager)
    for format in ["jsonl", "csv", "fnc1", "emergent", "semeval2016", "citron", "brat"]:
        response = manager.get(f"/api/projects/{hostile.project.pk}/export/", {"format": format, "scope": "all"})
        assert response.status_code == 200, (format, response.content[:300])
        assert response["Content-Disposition"].startswith("attachment;"), format
        assert response["X-Content-Type-Options"] == "nosniff" and "html" not in response["Content-Type"], format
        b"".join(response.streaming_content)
    queued = manager.post(f"/api/projects/{hostile.project.pk}/releases/", {"format": "jsonl", "scope": "all"},
                          format="json")  # fmt: skip
    release = finished(manager, queued)["result"]
    download = manager.get(release["download_url"])
    assert download["Content-Disposition"].startswith("attachment;") and "html" not in download["Content-Type"]
    csv = client_for(hostile.manager)
    from django.test import Client

    browser = Client()
    browser.force_login(hostile.manager)
    dashboard_csv = browser.get(f"/projects/{hostile.project.pk}/dashboard.csv", {"table": "stances"})
    assert (
        dashboard_csv["Content-Disposition"].startswith("attachment;") and "html" not in dashboard_csv["Content-Type"]
    )
    assert csv is not None


def test_media_files_are_not_served_by_the_app(hostile):
    client = client_for(hostile.manager)
    assert client.get("/media/releases/anything.jsonl").status_code == 404


def test_check_deploy_is_clean(tmp_path):
    """Also run with production settings by tests/test_deployment.py; here the command itself, after the
    deployment step it expects (collectstatic, into a directory of the test's own: a clean clone has none)."""
    env = {"PATH": os.environ["PATH"], "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "annotate.example.org",
           "DATABASE_URL": "postgres://a@db.example.org/a", "STATIC_ROOT": str(tmp_path / "static")}  # fmt: skip
    for command in (["collectstatic", "--noinput"], ["check", "--deploy", "--fail-level", "WARNING"]):
        result = subprocess.run([sys.executable, "manage.py", *command], cwd=settings.BASE_DIR, env=env,
                                capture_output=True, text=True, timeout=120)  # fmt: skip
        assert result.returncode == 0, result.stderr


def test_nothing_is_left_open_to_anonymous_visitors(client, hostile):
    for path, _ in pages(hostile):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), path
    assert client.get(f"/api/projects/{hostile.project.pk}/").status_code == 401
    # Last: the export runs outside the request transaction, and its refusal marks the test's own
    # transaction (which stands in for none) as failed.
    assert client.get(f"/api/projects/{hostile.project.pk}/export/?format=jsonl").status_code == 401
