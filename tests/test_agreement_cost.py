"""What a reviewer's reads cost as an article's mentions grow: the review queue, the agreement figures
and the article's review. Lining mentions up across annotators compared every pair of mentions (one
annotator's 4,000 copies of a span took 5 to 8 s per read, two annotators' 4,000 each 45 s).

Work is counted, not timed: the Python and C function calls a read makes (a profiling hook counts
them), with n and then 2n mentions. Linear work doubles; pairwise work quadruples. The counts are
the same on any machine, however loaded.
"""

import sys

import pytest
from django.db import connection

from claims.agreement import MentionLabel, project_agreement
from claims.models import Role
from claims.reads.review import review_queue
from claims.services.assignments import assignment_submit
from tests.api import client_for
from tests.builders import add_member, make_article, make_assignment, make_project, make_user

WORDS = "The minister said the plan would go ahead whatever the critics argued. "
BODY = (WORDS * 100)[:6000]
# Doubling n may cost a little more than twice the work (sorting is n log n), never four times.
LINEAR = 2.6


def calls_made(read) -> int:
    """The function calls `read()` makes, Python and C (the same count on every run)."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    read()  # once before counting: caches filled on a first call are not the read's work
    sys.setprofile(profile)
    try:
        read()
    finally:
        sys.setprofile(None)
    return count


def insert_mentions(assignment, spans: list[tuple[int, int]]) -> None:
    """Many mentions in one statement (the database's triggers check each as for any label)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO claims_claimmention (assignment_id, start, "end", text, quote_type, version, created_at,
                                                updated_at)
               SELECT %s, s, e, substr(%s, s + 1, e - s), 'direct', 1, now(), now()
                 FROM unnest(%s::int[], %s::int[]) AS t(s, e)""",
            [assignment.pk, BODY, [s for s, _ in spans], [e for _, e in spans]],
        )


def article_with_mentions(n: int, annotators: int):
    """A project with one article whose `annotators` submitted work each holds n overlapping spans of 40
    code points, one starting at every code point (the second annotator's one code point on)."""
    project = make_project(manager=make_user())
    reviewer = make_user()
    add_member(project, reviewer, Role.REVIEWER)
    article = make_article(project, body=BODY)
    for number in range(annotators):
        annotator = make_user()
        add_member(project, annotator, Role.ANNOTATOR)
        work = make_assignment(article, annotator)
        insert_mentions(work, [(i + number, i + number + 40) for i in range(n)])
        assignment_submit(assignment=work)
    return project, article, reviewer


def growth(read, n: int, annotators: int) -> float:
    """Work of `read` with 2n mentions per annotator over its work with n."""
    return calls_made(read(*article_with_mentions(2 * n, annotators))) / calls_made(
        read(*article_with_mentions(n, annotators))
    )


def queue(project, article, reviewer):
    return lambda: review_queue(project=project)


def agreement(project, article, reviewer):
    return lambda: project_agreement(project=project)


def article_review(project, article, reviewer):
    api = client_for(reviewer)

    def read():
        response = api.get(f"/api/articles/{article.pk}/review/")
        assert response.status_code == 200

    return read


@pytest.mark.django_db
@pytest.mark.parametrize("annotators", [1, 2])
@pytest.mark.parametrize("read", [queue, agreement, article_review], ids=["review_queue", "agreement", "review"])
def test_work_of_a_reviewer_read_grows_linearly_with_the_mentions_of_an_article(read, annotators):
    ratio = growth(read, 600, annotators)
    assert ratio < LINEAR


def test_spans_stacked_on_purpose_are_matched_by_identical_spans_at_a_bounded_cost():
    """Two annotators nesting 3,000 spans each overlap in 9 million pairs; past the budget the article is
    matched by identical spans only, and the work stays near linear (compare 1,500 with 3,000)."""
    from claims.agreement.units import mention_units

    def nested(count: int) -> dict:
        return {name: [MentionLabel(i, 2 * count - i) for i in range(count)] for name in ("bob", "carol")}

    calls, units = {}, {}
    for count in (1_500, 3_000):
        calls[count] = calls_made(lambda count=count: units.__setitem__(count, mention_units(nested(count))))
    for count in (1_500, 3_000):
        assert units[count].exact_only and len(units[count]) == count  # each span with its identical twin
        assert all(set(unit) == {"bob", "carol"} for unit in units[count])
    assert calls[3_000] / calls[1_500] < 2.6
    few = {"bob": [MentionLabel(0, 10), MentionLabel(20, 30)], "carol": [MentionLabel(2, 12)]}
    assert not mention_units(few).exact_only
