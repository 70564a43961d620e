"""Schema fuzzing: schemathesis sends every operation of the API requests made from the API's own
OpenAPI schema, as a manager (alice) and as an annotator (bob), and checks every answer.

What is sent
- The schema is the one /api/schema/ serves: drf-spectacular's generator, called as the schema view
  calls it (test_the_fuzzed_schema_is_the_served_one checks they are equal). It is built at import,
  when pytest-django does not allow the database yet, so it is not fetched through the app
  (`schemathesis.openapi.from_wsgi`): every request of this app opens a transaction. (Fetching it
  inside a test, `schemathesis.pytest.from_fixture`, fails with pytest 9.2 in schemathesis 4.32.)
- Requests go to the WSGI application in this process, never over a network (no_network refuses
  any other address), each in its own savepoint of the test's transaction
  (one_transaction_per_request); every generated case is rolled back, so each one meets the same
  world: tests/api.build_world() plus suggestions and a release, with fixed token keys for alice
  and bob. Released files go to a temporary MEDIA_ROOT.
- Exports stream; the body is read whole inside the request's savepoint and checked like any
  other (media type among the documented ones). It stays small because the world is small and no
  case keeps what it wrote; max_response_time bounds every single request anyway.
- In the fuzzing phase, three valid cases in four name existing objects in the path and in body
  ids (speaker_id, claim_id, into, …): of the caller's project, of another project, other
  annotators' work. So the fuzzing reaches real objects and the role and visibility rules, not
  only 404s. (The coverage phase's cases are built at collection, before any world exists: their
  ids are schemathesis' own, so mostly 404s.)
- Phases: examples, coverage (boundary values, wrong types, missing required headers such as
  If-Match, methods the schema does not list) and fuzzing (MAX_EXAMPLES cases per operation, valid
  and invalid), with a fixed seed and derandomized, so CI runs the same cases every time. Then
  stateful: scenarios of a few steps that follow the links schemathesis infers from the response
  schemas (list projects → create a speaker → merge it; next assignment → add a mention → PATCH
  it; accept a suggestion; …), each scenario rolled back at its end.
- Not fuzzed: /api/schema/ and /api/docs/ (not in the schema; test_api_schema.py), the browser
  pages and the admin (not API), session-cookie auth as the credential (scripts use tokens; the
  session path and its CSRF rule are tested in test_api_auth.py), large or hostile import files
  (zip bombs, oversized uploads: test_import.py).

What is checked (schemathesis 4.32)
- not_a_server_error: no 5xx, ever.
- status_code_conformance, content_type_conformance, response_schema_conformance,
  response_headers_conformance: every answer is one the schema documents, body and media type.
- negative_data_rejection: a request the schema calls invalid gets a 4xx.
- missing_required_header: a write without If-Match gets 428 (added to the statuses it accepts).
- ignored_auth: without the token, or with a wrong one, the answer is 401.
- unsupported_method, allow_header_conformance: other methods get 405 with an Allow header.
- use_after_free, ensure_resource_availability: in the stateful scenarios, a deleted object is
  gone and a created one can be read.
- max_response_time: no single request takes more than MAX_RESPONSE_SECONDS.
Left out:
- positive_data_acceptance (schema-valid data must get a 2xx): this API answers 400 to requests
  the schema cannot call invalid, by design (docs/offsets.md: text must equal body[start:end], ids must
  name objects of the project, an annotated article cannot be deleted, …).
- object_level_authorization: it needs schemathesis' multi-identity (WFC) auth setup; that one
  project's objects are a 404 to members of another is tested by tests/test_api_permissions.py.
"""

from __future__ import annotations

import ipaddress
import json
import socket

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from annotator.wsgi import application
from claims.models import Suggestion
from claims.services.releases import release_create
from claims.services.suggestions import article_preannotate
from tests.api import build_world

SEED = 20261126
MAX_EXAMPLES = 8
STATEFUL_SCENARIOS = 15
STATEFUL_STEPS = 8
MAX_RESPONSE_SECONDS = 10.0
# Who the fuzzer speaks for, with a token key fixed in advance: schemathesis applies credentials
# when it builds a case, and it builds the coverage phase's cases at collection, before any world.
PERSONAS = {
    "manager": ("alice", "fuzz-manager-alice-" + "0" * 21),
    "annotator": ("bob", "fuzz-annotator-bob-" + "0" * 21),
}

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "checks": {
            "enabled": True,
            "positive_data_acceptance": {"enabled": False},
            "object_level_authorization": {"enabled": False},
            "missing_required_header": {"expected-statuses": [400, 401, 403, 406, 415, 422, 428]},
            "max_response_time": MAX_RESPONSE_SECONDS,
        },
    }
)


def served_schema() -> dict:
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


def one_transaction_per_request(environ, start_response):
    """The app, each request in its own savepoint of the test's transaction: what a request commits
    stays, what it rolls back goes, as with its own transaction in production (a refused request to
    a view outside ATOMIC_REQUESTS would otherwise spoil the test's transaction for the next one).
    The body is read inside, so a streamed export runs in the savepoint too."""
    with transaction.atomic():
        result = application(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
    return [body]


# The world's ids, by kind; filled by the `world` fixture, read when a case is drawn.
KNOWN: dict[str, list] = {}
KIND_OF_PATH = {
    "/api/projects/": "project",
    "/api/articles/": "article",
    "/api/assignments/": "assignment",
    "/api/mentions/": "mention",
    "/api/article-stances/": "article_stance",
    "/api/claims/": "claim",
    "/api/speakers/": "speaker",
    "/api/releases/": "release",
}
KIND_OF_BODY_FIELD = {
    "article_id": "article",
    "speaker_id": "speaker",
    "claim_id": "claim",
    "mention_id": "mention",
    "article_stance_id": "article_stance",
}


def known(kind: str) -> st.SearchStrategy:
    """One of the world's ids of this kind, chosen when the case is drawn (ids differ per test)."""
    return st.integers(min_value=0, max_value=99).map(lambda index: KNOWN[kind][index % len(KNOWN[kind])])


def _kind_of(path: str) -> str | None:
    return next((kind for prefix, kind in KIND_OF_PATH.items() if path.startswith(prefix)), None)


def before_generate_path_parameters(context, strategy):
    path = context.operation.path
    kind = _kind_of(path)
    if kind is None:
        return strategy
    names = {"id": known(kind), "username": known("username"), "suggestion": known("suggestion")}
    existing = st.fixed_dictionaries({name: value for name, value in names.items() if f"{{{name}}}" in path})
    return strategy.flatmap(lambda drawn: mostly(existing, drawn))


def mostly(existing: st.SearchStrategy, drawn):
    """Three times in four an existing object instead of a drawn value (which is mostly a 404).
    Positive cases only (a negative one is not a dict): an invalid value stays invalid."""
    if not isinstance(drawn, dict):
        return st.just(drawn)
    return st.integers(min_value=0, max_value=3).flatmap(lambda pick: existing if pick < 3 else st.just(drawn))


def before_generate_body(context, strategy):
    into = _kind_of(context.operation.path)  # merge: {"into": another speaker or claim}

    def with_existing_ids(body):
        if not isinstance(body, dict):
            return st.just(body)
        kinds = {name: kind for name, kind in KIND_OF_BODY_FIELD.items() if name in body}
        if "into" in body and into in ("speaker", "claim"):
            kinds["into"] = into
        if not kinds:
            return st.just(body)
        ids = st.fixed_dictionaries({name: known(kind) for name, kind in kinds.items()})
        return mostly(ids.map(lambda chosen: {**body, **chosen}), body)

    return strategy.flatmap(with_existing_ids)


def persona_schema(token: str):
    """The served schema, sent to the app in this process, with one persona's token as its auth.
    Given to schemathesis as the schema's auth (not as a header of each call), so that its
    ignored_auth check knows which credentials are the real ones when it drops or garbles them."""
    loaded = schemathesis.openapi.from_dict(SERVED_SCHEMA, config=CONFIG)
    loaded.app = one_transaction_per_request
    loaded.hook(before_generate_path_parameters)
    loaded.hook(before_generate_body)

    @loaded.auth(refresh_interval=None, retry_on=[])
    class PersonaToken:
        def get(self, case, context):
            return token

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}

    return loaded


SERVED_SCHEMA = served_schema()
SCHEMAS = {persona: persona_schema(token) for persona, (_, token) in PERSONAS.items()}


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Whatever the fuzzer makes the app do, nothing leaves this machine (the database is reached
    by libpq, outside Python's sockets)."""
    connect = socket.socket.connect

    def loopback_only(sock, address):
        host = address[0] if isinstance(address, tuple) else None  # a str is a Unix socket
        if host is not None and not _is_loopback(host):
            raise OSError(f"schema fuzzing must not reach {host}")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", loopback_only)


def _is_loopback(host: str) -> bool:
    try:
        return host == "localhost" or ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # As Django's test client does: the request signals must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield _build_world()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _build_world():
    world = build_world()
    article_preannotate(article=world.article)
    release = release_create(project=world.project, user=world.users["alice"], format="jsonl", scope="all")
    for username, token in PERSONAS.values():
        Token.objects.create(user=world.users[username], key=token)
    KNOWN.clear()
    KNOWN.update(
        project=[world.project.pk, world.other_project.pk],
        article=[world.article.pk, world.spare_article.pk, world.other_work.article_id],
        assignment=[world.bob_work.pk, world.carol_work.pk, world.gold.pk, world.other_work.pk],
        mention=[world.bob_mention.pk, world.other_mention.pk],
        article_stance=[world.bob_stance.pk],
        claim=[world.claim.pk, world.unused_claim.pk, world.other_claim.pk],
        speaker=[world.speaker.pk, world.unused_speaker.pk, world.other_speaker.pk],
        release=[release.pk],
        username=list(world.users),
        suggestion=list(Suggestion.objects.filter(article=world.article).values_list("pk", flat=True)) or [1],
    )
    return world


def call(case) -> None:
    with transaction.atomic():
        case.call_and_validate()
        transaction.set_rollback(True)  # the next case meets the same world


# The world is built once per operation and kept as it is by rolling every case back.
@SCHEMAS["manager"].parametrize()
@hypothesis.settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_manager(case, world):
    call(case)


@SCHEMAS["annotator"].parametrize()
@hypothesis.settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_annotator(case, world):
    call(case)


WORKFLOWS = {persona: schema.as_state_machine() for persona, schema in SCHEMAS.items()}


@pytest.mark.parametrize("persona", PERSONAS)
def test_stateful_workflows(world, persona):
    class Workflow(WORKFLOWS[persona]):
        def setup(self):
            # Each scenario starts from the same world: its writes stay until it ends, then go.
            self.scenario = transaction.atomic()
            self.scenario.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self.scenario.__exit__(None, None, None)

    Workflow.run(
        settings=hypothesis.settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )


@pytest.mark.django_db
def test_the_fuzzed_schema_is_the_served_one(client, alice):
    client.force_login(alice)
    assert client.get("/api/schema/?format=json").json() == served_schema()
