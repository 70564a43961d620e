"""Where an interactive request's time goes, in-process and without HTTP: for GET /healthz and the
annotators' writes, the SQL statements per request, their time, and the CPU the request costs in
Python and in its PostgreSQL backend. CPU time is what a busy, shared machine does not distort
much, so this complements bench/load_annotators.py (run that first: it builds the database).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator_load python bench/profile_requests.py [--profile]

--profile adds a cProfile (CPU clock) of mention create, summed by the app's own functions.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sys
import time

from common import say, setup_django

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/annotator_load"
PROJECT = "load-saturation"


def backend_cpu(process) -> float:
    t = process.cpu_times()
    return t.user + t.system


def measure(client, connection, backend, call, n: int) -> dict:
    from django.db import reset_queries
    from django.test.utils import CaptureQueriesContext

    for _ in range(10):
        call()
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        call()
    statements = queries.captured_queries  # now: the next request clears the log
    wall, cpu, pg = time.perf_counter(), time.process_time(), backend_cpu(backend)
    for _ in range(n):
        call()
    wall, cpu, pg = time.perf_counter() - wall, time.process_time() - cpu, backend_cpu(backend) - pg
    return {
        "wall_ms": wall / n * 1000,
        "python_cpu_ms": cpu / n * 1000,
        "postgres_cpu_ms": pg / n * 1000,
        "statements": len(statements),
        "sql": [q["sql"][:120] for q in statements],
    }


def main(n: int, profile: bool) -> dict:
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    setup_django()
    import psutil
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from claims.models import Project, Role
    from claims.services.projects import membership_set

    sys.path.insert(0, os.path.dirname(__file__))
    from load_client import mention_candidates

    project = Project.objects.get(slug=PROJECT)
    user, _ = get_user_model().objects.get_or_create(username="profile-annotator")
    membership_set(project=project, user=user, role=Role.ANNOTATOR)
    token, _ = Token.objects.get_or_create(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_HOST="127.0.0.1")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = psutil.Process(cursor.fetchone()[0])
    speakers = dict(project.speakers.values_list("name", "pk"))
    claims = list(project.claims.values_list("pk", flat=True))

    work = client.post(f"/api/projects/{project.pk}/assignments/next/").json()
    body = client.get(f"/api/articles/{work['article']['id']}/").json()["body"]
    payload = mention_candidates(body, speakers)[0] | {"claim_id": claims[0], "stance": "support"}
    mention = client.post(f"/api/assignments/{work['id']}/mentions/", payload, content_type="application/json")
    state = {"etag": mention["ETag"], "stance": 0}

    def edit():
        state["stance"] ^= 1
        change = {"stance": ["refute", "support"][state["stance"]]}
        answer = client.patch(f"/api/mentions/{mention.json()['id']}/", change, content_type="application/json",
                              HTTP_IF_MATCH=state["etag"])  # fmt: skip
        state["etag"] = answer["ETag"]

    def stance():
        state["stance"] ^= 1
        client.post(f"/api/assignments/{work['id']}/article-stances/",
                    {"claim_id": claims[1], "stance": ["neutral", "support"][state["stance"]]},
                    content_type="application/json")  # fmt: skip

    def create():
        client.post(f"/api/assignments/{work['id']}/mentions/", payload, content_type="application/json")

    calls = {
        "healthz": lambda: client.get("/healthz"),
        "read_article": lambda: client.get(f"/api/articles/{work['article']['id']}/"),
        "mention_create": create,
        "mention_edit": edit,
        "article_stance": stance,
    }
    results = {}
    for name, call in calls.items():
        results[name] = measure(client, connection, backend, call, n)
        r = results[name]
        say(f"{name}: {r['wall_ms']:.2f} ms wall, {r['python_cpu_ms']:.2f} ms Python CPU, "
            f"{r['postgres_cpu_ms']:.2f} ms PostgreSQL CPU, {r['statements']} SQL statements")  # fmt: skip
    if profile:
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        for _ in range(n):
            create()
        profiler.disable()
        stats = pstats.Stats(profiler).stats
        total = sum(tt for (_, _, _), (_, _, tt, _, _) in stats.items())
        wanted = ("to_representation", "is_valid", "authenticate")
        mine = {f"{os.path.relpath(f, os.getcwd())}:{line}({fn})": ct / total
                for (f, line, fn), (_, _, _, ct, _) in stats.items() if "/claims/" in f or fn in wanted}  # fmt: skip
        results["mention_create_profile"] = dict(sorted(mine.items(), key=lambda kv: -kv[1])[:20])
        for where, share in results["mention_create_profile"].items():
            say(f"  {share * 100:5.1f}% of mention create's CPU under {where}")
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    arguments = parser.parse_args()
    print(json.dumps(main(arguments.n, arguments.profile), indent=1))
