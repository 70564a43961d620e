"""What a deployment relies on: migrations match the models, `check --deploy` is clean, settings fail loudly."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

PRODUCTION_ENV = {
    "PATH": os.environ.get("PATH", ""),
    "SECRET_KEY": "k" * 20 + "-production-like-key-with-enough-entropy-0123456789",
    "ALLOWED_HOSTS": "annotate.example.org",
    # `check --deploy` does not connect; any well-formed URL keeps the embedded server out of it.
    "DATABASE_URL": "postgres://annotator@db.example.org:5432/annotator",
}


def manage(*args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = PRODUCTION_ENV | {"STATIC_ROOT": str(tmp_path / "static")}
    assert manage("collectstatic", "--noinput", env=env).returncode == 0
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_says_when_static_files_were_not_collected(tmp_path):
    result = manage("check", "--deploy", env=PRODUCTION_ENV | {"STATIC_ROOT": str(tmp_path / "empty")})
    assert result.returncode != 0
    assert "annotator.E001" in result.stderr and "collectstatic" in result.stderr


def test_secret_key_is_required_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_a_malformed_boolean_setting_is_refused():
    result = manage("check", env=PRODUCTION_ENV | {"DEBUG": "maybe"})
    assert result.returncode != 0 and "DEBUG='maybe' is not a boolean" in result.stderr


def test_debug_is_off_and_cookies_secure_by_default():
    code = (
        "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS > 0, s.ALLOWED_HOSTS)"
    )
    env = PRODUCTION_ENV | {"DJANGO_SETTINGS_MODULE": "annotator.settings"}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "False True True True ['annotate.example.org']", result.stderr


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [("ASSIGNMENT_STALE_DAYS", "0", "must be at least 1"), ("CLAIM_MATCH_THRESHOLD", "1.5", "not between 0 and 1")],
)
def test_a_setting_out_of_its_range_stops_the_app_with_its_name(name, value, says):
    result = manage("check", env=PRODUCTION_ENV | {name: value})
    assert result.returncode != 0
    assert f"{name}={value}" in result.stderr and says in result.stderr
