"""Faults, for real: the server killed mid-import, the database restarted while clients write.

These start real processes (gunicorn; a private PostgreSQL for the restart), so they are slow,
but they run in CI: nothing here is simulated.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.authtoken.models import Token

from claims.models import Article
from claims.services.jobs import JOB_WORKER_LOST
from tests.builders import database_url, make_project, make_user
from tests.servers import running

pytestmark = pytest.mark.slow


def request(method: str, url: str, *, token: str, body: bytes | None = None, content_type="application/json",
            timeout: float = 60) -> tuple[int, bytes]:  # fmt: skip
    call = urllib.request.Request(url, data=body, method=method)
    call.add_header("Authorization", f"Token {token}")
    if body is not None:
        call.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(call, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = "----fault-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def articles_file(count: int) -> bytes:
    line = (
        '{{"external_id": "k{i}", "title": "Article {i}", "body": "\\u201cWe will,\\u201d she said about plan {i}."}}\n'
    )
    return "".join(line.format(i=i) for i in range(count)).encode()


class Worker:
    """`manage.py db_worker` in its own process group, as deployed beside gunicorn."""

    def __init__(self, env: dict):
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.1"], cwd=settings.BASE_DIR, env=env,
            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


def wait_for_job(url: str, token: str, *, statuses=("succeeded", "failed"), timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, answer = request("GET", url, token=token)
        job = json.loads(answer)
        if status == 200 and job["status"] in statuses:
            return job
        time.sleep(0.2)
    pytest.fail(f"the job at {url} did not finish: {job}")


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_import_leaves_nothing_fails_the_job_and_a_rerun_imports_once():
    manager = make_user("mia")
    project = make_project(manager=manager, name="Killed", preannotate_on_import=False)
    token = Token.objects.create(user=manager).key
    env = os.environ | {"DATABASE_URL": database_url(connection.settings_dict), "JOB_STALL_SECONDS": "1",
                        "DJANGO_SETTINGS_MODULE": "tests.settings"}  # fmt: skip
    body, content_type = multipart("big.jsonl", articles_file(60_000))
    url = f"/api/projects/{project.pk}/import/"
    with running(env) as server:
        worker = Worker(env | {"PGAPPNAME": "fault-worker"})
        try:
            status, answer = request("POST", server.url + url, token=token, body=body, content_type=content_type)
            assert status == 202, answer
            job_url = server.url + json.loads(answer)["url"]
            mid_import = """SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                             WHERE a.application_name = 'fault-worker' AND l.relation = 'claims_article'::regclass
                               AND l.mode = 'RowExclusiveLock'"""
            deadline = time.monotonic() + 90
            with connection.cursor() as cursor:
                while time.monotonic() < deadline:
                    cursor.execute(mid_import)
                    if cursor.fetchone():
                        break
                    time.sleep(0.02)
                else:
                    pytest.fail("the import never started writing")
                worker.kill()
                while time.monotonic() < deadline:  # the backends notice their client is gone and roll back
                    cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'fault-worker'")
                    if cursor.fetchone()[0] == 0:
                        break
                    time.sleep(0.05)
            assert Article.objects.filter(project=project).count() == 0  # wholly or not at all: not at all
            time.sleep(1.5)  # JOB_STALL_SECONDS
            lost = wait_for_job(job_url, token, statuses=("failed",), timeout=10)
            assert lost["errors"] == {"detail": [JOB_WORKER_LOST]}

            worker = Worker(env)
            jobs = []
            for _ in range(2):
                status, answer = request("POST", server.url + url, token=token, body=body,
                                         content_type=content_type)  # fmt: skip
                assert status == 202, answer
                jobs.append(wait_for_job(server.url + json.loads(answer)["url"], token))
            assert [job["status"] for job in jobs] == ["succeeded", "succeeded"], jobs[0]["errors"]
            assert (jobs[0]["result"]["accepted"], jobs[1]["result"]["skipped"]) == (60_000, 60_000)
            assert Article.objects.filter(project=project).count() == 60_000  # no duplicates
        finally:
            worker.kill()


def manage(*args, env, timeout=300):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=timeout)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


SETUP = """
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from claims.services.projects import project_create
from claims.services.articles import article_create
from claims.services.assignments import assignment_create
user = get_user_model().objects.create_user("writer", password="correct horse battery")
project = project_create(name="Restart", created_by=user)
article = article_create(project=project, external_id="r1", body="Officials met. " * 400)
work = assignment_create(article=article, annotator=user)
print(Token.objects.create(user=user).key, work.pk)
"""


def embedded_db(action: str, *, env: dict, check: bool = True) -> None:
    result = subprocess.run([sys.executable, "-m", "annotator.embedded_db", action], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert not check or result.returncode == 0, f"embedded_db {action}: {result.stdout}{result.stderr[-3000:]}"


def test_database_restart_while_clients_write(tmp_path):
    """Requests during the restart fail cleanly (503, nothing half-written); the app recovers by itself."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env |= {"ANNOTATOR_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "tests.settings", "DB_CONN_MAX_AGE": "60"}
    try:
        manage("migrate", "--noinput", env=env)
        token, assignment = manage("shell", "-c", SETUP, env=env).split()[-2:]
        with running(env, workers=2) as server:
            acknowledged, failures, stop = [], [], threading.Event()

            def write(offset: int) -> None:
                # The body is "Officials met. " 400 times: every 15th code point starts "Officials". Each
                # write marks a span no write marked before (an assignment holds one mention per span).
                for i in itertools.count():
                    if stop.is_set():
                        return
                    at = ((2 * i + offset) % 400) * 15
                    length = 9 - ((2 * i + offset) // 400) % 9
                    span = json.dumps({"start": at, "end": at + length, "text": "Officials"[:length]}).encode()
                    began = time.monotonic()
                    status, answer = request("POST", f"{server.url}/api/assignments/{assignment}/mentions/",
                                             token=token, body=span, timeout=30)  # fmt: skip
                    took = time.monotonic() - began
                    (acknowledged if status == 201 else failures).append((status, answer, took))
                    time.sleep(0.02)

            writers = [threading.Thread(target=write, args=(i,)) for i in range(2)]
            for writer in writers:
                writer.start()
            time.sleep(2)
            before_restart = len(acknowledged)
            embedded_db("stop", env=env)
            time.sleep(1.5)  # clients keep writing into a database that is gone
            embedded_db("start", env=env)
            restarted = len(acknowledged)
            time.sleep(3)
            stop.set()
            for writer in writers:
                writer.join(timeout=60)

        assert before_restart > 0, "nothing was written before the restart"
        assert len(acknowledged) > restarted, "the app did not recover without a restart of its own"
        assert failures, "no request met the restart"
        assert {status for status, _, _ in failures} <= {503}, [f for f in failures if f[0] != 503][:3]
        assert all(json.loads(answer)["detail"].startswith("The database is unavailable") for _, answer, _ in failures)
        assert max(took for *_, took in failures) < 10  # failing fast, not hanging
        count = manage("shell", "-c", "from claims.models import ClaimMention; print(ClaimMention.objects.count())",
                       env=env).split()[-1]  # fmt: skip
        # Every acknowledged write is there; a request whose answer was lost may have landed too,
        # but nothing is half-written (the database's constraints hold for every row).
        assert int(count) >= len(acknowledged)
    finally:
        embedded_db("stop", env=env, check=False)
