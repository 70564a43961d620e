"""What one article with many mentions costs the reviewer's reads: the review queue, the project's
agreement figures and the article's review (GET /api/articles/{id}/review/).

Each case is a fresh project with one article (a 12,000-character body) whose submitted work holds
n mentions per annotator, inserted by PostgreSQL (every trigger on). The shapes:

| shape | mentions |
| --- | --- |
| `one-same` | one annotator, the same span n times (refused since the one-mention-per-span constraint) |
| `two-same` | two annotators, the same span n times each (refused likewise) |
| `one-distinct` | one annotator, n distinct spans [i, i + 40), overlapping their neighbours |
| `two-sliding` | two annotators, n spans [i, i + 40) each, the second's one code point on: ~80 overlaps each |
| `two-nested` | two annotators, n distinct spans [i, i + n) each: all overlap all (n² overlapping pairs) |

Usage (from the repository root, on a database of its own that it migrates):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator_agreement_bench \\
        python bench/agreement_cost.py --shapes one-distinct two-sliding --sizes 2000 4000

`--code DIR` measures the code checked out in DIR instead (e.g. `git archive <commit> | tar -x -C DIR`),
so the same run can time the code before and after a change on the same machine. Prints one JSON
object per case: seconds (the least of `--repeat` runs) of each read, and the review's size in bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

BODY_LENGTH = 12_000
SHAPES = ("one-same", "two-same", "one-distinct", "two-sliding", "two-nested")


def setup(code: Path) -> None:
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # the test client's host
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    sys.path.insert(0, str(code))
    os.chdir(code)
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # static files are not collected here
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def spans(shape: str, n: int, annotator: int) -> list[tuple[int, int]]:
    if shape.endswith("-same"):
        return [(100, 140)] * n
    if shape == "one-distinct":
        return [(i, i + 40) for i in range(n)]
    if shape == "two-sliding":
        return [(i + annotator, i + annotator + 40) for i in range(n)]
    if shape == "two-nested":
        return [(i, i + n) for i in range(n)]
    raise ValueError(shape)


def build(shape: str, n: int):
    """A project whose one article has the shape's submitted work; returns (project, article, reviewer)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from claims.models import Role
    from claims.services.articles import article_create
    from claims.services.assignments import assignment_create, assignment_submit
    from claims.services.projects import membership_set, project_create

    User = get_user_model()
    tag = f"{shape}-{n}-{time.time_ns()}"
    reviewer = User.objects.create(username=f"reviewer-{tag}")
    project = project_create(name=f"Agreement cost {tag}", created_by=reviewer)
    membership_set(project=project, user=reviewer, role=Role.MANAGER)
    words = "The minister said the plan would go ahead whatever the critics argued. "
    body = (words * (BODY_LENGTH // len(words) + 1))[:BODY_LENGTH]
    article = article_create(project=project, external_id="one", title="Many mentions", body=body)
    annotators = 1 if shape.startswith("one-") else 2
    for number in range(annotators):
        user = User.objects.create(username=f"annotator{number}-{tag}")
        membership_set(project=project, user=user, role=Role.ANNOTATOR)
        assignment = assignment_create(article=article, annotator=user)
        rows = spans(shape, n, number)
        with connection.cursor() as cursor:
            cursor.execute(
                """INSERT INTO claims_claimmention (assignment_id, start, "end", text, quote_type, version,
                                                    created_at, updated_at)
                   SELECT %s, s, e, substr(%s, s + 1, e - s), 'direct', 1, now(), now()
                     FROM unnest(%s::int[], %s::int[]) AS t(s, e)""",
                [assignment.pk, body, [s for s, _ in rows], [e for _, e in rows]],
            )
        assignment_submit(assignment=assignment)
    return project, article, reviewer


def least(repeat: int, call) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - started)
    return best, result


def measure(shape: str, n: int, repeat: int) -> dict:
    from rest_framework.test import APIClient

    from claims.agreement import project_agreement

    try:
        from claims.reads.review import review_queue
    except ImportError:  # --code of a commit from before claims/reads/
        from claims.review import review_queue

    project, article, reviewer = build(shape, n)
    client = APIClient()
    client.force_authenticate(reviewer)
    queue, items = least(repeat, lambda: review_queue(project=project))
    agreement, figures = least(repeat, lambda: project_agreement(project=project))
    review, response = least(repeat, lambda: client.get(f"/api/articles/{article.pk}/review/"))
    assert response.status_code == 200, response.content[:200]
    return {
        "shape": shape,
        "n": n,
        "units": items[0].units,
        "review_queue_s": round(queue, 4),
        "agreement_s": round(agreement, 4),
        "article_review_s": round(review, 4),
        "article_review_bytes": len(response.content),
        "f1_overlap": figures["mention_spans"]["mean"]["f1_overlap"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", nargs="+", choices=SHAPES, default=["one-distinct", "two-sliding", "two-nested"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[2000, 4000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent)
    arguments = parser.parse_args()
    setup(arguments.code.resolve())
    for shape in arguments.shapes:
        for n in arguments.sizes:
            print(json.dumps(measure(shape, n, arguments.repeat)), flush=True)


if __name__ == "__main__":
    main()
