"""Real server processes for tests: gunicorn serving the app on a free loopback port, and the job worker."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager

from django.conf import settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn in its own process group, so kill -9 takes the master and its workers together."""

    def __init__(self, env: dict, port: int | None = None, workers: int = 1, arguments: list[str] | None = None):
        self.env = env
        self.port = port or free_port()
        self.workers = workers
        # gunicorn's arguments after the bind address; by default one or more sync workers with a long timeout.
        self.arguments = arguments or ["annotator.wsgi", "--workers", str(workers), "--timeout", "120",
                                       "--graceful-timeout", "1"]  # fmt: skip
        self.process: subprocess.Popen | None = None
        self.log = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> Server:
        command = [sys.executable, "-m", "gunicorn", *self.arguments, "--bind", f"127.0.0.1:{self.port}"]
        # The log goes to a file: a pipe nobody reads fills up and blocks the workers mid-request.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  (lives as long as the server; closed in stop)
        self.process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=self.env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=self.log,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError("gunicorn exited: " + self.log.read().decode()[-2000:])
            try:
                with urllib.request.urlopen(f"{self.url}/accounts/login/", timeout=2):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not answer in time")

    def log_tail(self, size: int = 4000) -> str:
        """The end of gunicorn's log (its workers' tracebacks land there), for a failing test's message."""
        if self.log is None or self.log.closed:
            return ""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-size:]

    def kill(self) -> None:
        """kill -9 the whole server: no graceful shutdown, no finished requests."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.log:
            self.log.close()


@contextmanager
def running(env: dict, **options):
    server = Server(env, **options).start()
    try:
        yield server
    finally:
        server.stop()


class JobWorker:
    """`manage.py db_worker` in its own process group, as deployed beside gunicorn; its log goes to a file."""

    def __init__(self, env: dict, arguments: list[str] | None = None):
        arguments = arguments or ["db_worker", "--interval", "0.1"]  # manage.py's
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  (lives as long as the worker; closed in stop)
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", *arguments], cwd=settings.BASE_DIR, env=env, start_new_session=True,
            stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def log_tail(self, size: int = 4000) -> str:
        if self.log.closed:
            return ""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-size:]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
        self.log.close()
