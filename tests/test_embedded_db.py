"""With no DATABASE_URL the app runs on a private PostgreSQL under the data directory (the `make run` path)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

pytestmark = pytest.mark.slow


def run(*args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=300
    )


def test_embedded_server_starts_migrates_loads_seeds_is_reused_and_stops(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY")}
    env |= {"ANNOTATOR_DATA_DIR": str(tmp_path), "DEBUG": "1"}
    try:
        migrate = run("manage.py", "migrate", "--noinput", env=env)
        assert migrate.returncode == 0, migrate.stderr
        assert (tmp_path / "postgres" / "PG_VERSION").read_text().strip() == "18"
        assert run("-m", "annotator.embedded_db", "status", env=env).stdout.strip() == "running"

        for _ in range(2):  # a second load reuses the running server and creates nothing
            seeds = run("manage.py", "load_seeds", env=env)
            assert seeds.returncode == 0, seeds.stderr
        assert "nothing new" in seeds.stdout

        query = (
            "from claims.models import ClaimMention; from django.db import connection; "
            "print(ClaimMention.objects.count(), connection.pg_version // 10000)"
        )
        shell = run("manage.py", "shell", "-c", query, env=env)
        assert shell.stdout.split()[-2:] == ["28", "18"], shell.stderr  # the demo: gold + two annotators

        # The local secret key was generated once, outside the repository.
        assert (tmp_path / "secret_key").exists()
    finally:
        stop = run("-m", "annotator.embedded_db", "stop", env=env)
    assert "stopped" in stop.stdout
    assert run("-m", "annotator.embedded_db", "status", env=env).stdout.strip() == "stopped"
