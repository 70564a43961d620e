"""Each list and detail endpoint runs the same number of SQL queries for 1 item as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Role
from claims.services.labels import article_stance_set
from tests.api import client_for
from tests.builders import (
    add_member,
    make_article,
    make_assignment,
    make_claim,
    make_mention,
    make_project,
    make_speaker,
    make_user,
)


def build(n: int):
    """A project with n of everything: articles, speakers (with aliases), claims, members, labels."""
    alice = make_user(f"alice{n}")
    project = make_project(manager=alice)
    for i in range(n - 1):
        add_member(project, make_user(f"member{n}_{i}"), Role.ANNOTATOR)
    articles = [make_article(project, external_id=f"e{i}") for i in range(n)]
    speakers = [make_speaker(project, f"Speaker {i}", aliases=[f"S{i}", f"Spk {i}"]) for i in range(n)]
    claims = [make_claim(project, f"Claim number {i}") for i in range(n)]
    work = make_assignment(articles[0], alice)
    body = articles[0].body
    for i in range(n):
        make_mention(
            work,
            body[i % 5 : i % 5 + 3 + i // 5],
            speaker=speakers[i],
            claim=claims[0],
            stance="support",
            cue={"start": 0, "end": 1, "text": body[0]},
        )
        article_stance_set(assignment=work, claim=claims[i], stance="neutral")
    for article in articles[1:]:
        make_assignment(article, alice)
    return alice, project, work, claims[0]


ROUTES = {
    "projects": lambda p, w, c: "/api/projects/",
    "members": lambda p, w, c: f"/api/projects/{p.pk}/members/",
    "articles": lambda p, w, c: f"/api/projects/{p.pk}/articles/",
    "speakers": lambda p, w, c: f"/api/projects/{p.pk}/speakers/",
    "speaker search": lambda p, w, c: f"/api/projects/{p.pk}/speakers/?search=speaker",
    "claims": lambda p, w, c: f"/api/projects/{p.pk}/claims/",
    "similar claims": lambda p, w, c: f"/api/projects/{p.pk}/claims/?similar_to=claim%20number",
    "assignments": lambda p, w, c: f"/api/projects/{p.pk}/assignments/",
    "assignment queue": lambda p, w, c: f"/api/projects/{p.pk}/assignment-queue/",
    "assignment detail": lambda p, w, c: f"/api/assignments/{w.pk}/",
    "mentions": lambda p, w, c: f"/api/assignments/{w.pk}/mentions/",
    "article stances": lambda p, w, c: f"/api/assignments/{w.pk}/article-stances/",
    "claim timeline": lambda p, w, c: f"/api/claims/{c.pk}/timeline/",
}


def queries(user, url) -> tuple[int, int]:
    client = client_for(user)
    client.get(url)  # warm caches (content types, …) so both runs count the same things
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx), response


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES)
def test_query_count_does_not_grow_with_items(route):
    small_user, *small = build(1)
    big_user, *big = build(50)
    small_count, _ = queries(small_user, ROUTES[route](*small))
    big_count, response = queries(big_user, ROUTES[route](*big))
    data = response.json()
    items = data.get("results", data.get("mentions"))
    if route != "projects":
        assert len(items) >= 20, "the big case must really list many items"
    assert big_count == small_count
