"""Helpers for API tests: a small world with every persona and a fingerprint of all stored data."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from rest_framework.test import APIClient

from claims.models import Role
from claims.services.assignments import assignment_create
from claims.services.labels import article_stance_set
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

DATA_TABLES = [
    "claims_project", "claims_membership", "claims_stancelabel", "claims_article", "claims_speaker",
    "claims_speakeralias", "claims_claim", "claims_assignment", "claims_claimmention", "claims_articlestance",
    "auth_user",
]  # fmt: skip


def fingerprint() -> dict[str, str]:
    """A digest of every row of every data table: equal before and after means nothing changed."""
    digests = {}
    with connection.cursor() as cursor:
        for table in DATA_TABLES:
            cursor.execute(f"SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t.id), '')) FROM {table} t")
            digests[table] = cursor.fetchone()[0]
    return digests


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@dataclass
class World:
    """Alice manages P; Bob and Carol annotate it; Rita reviews it; Charlie manages Q only."""

    users: dict
    project: object
    article: object
    spare_article: object
    bob_work: object
    carol_work: object
    gold: object
    bob_mention: object
    bob_stance: object
    speaker: object
    unused_speaker: object
    claim: object
    unused_claim: object
    other_project: object
    other_speaker: object
    other_claim: object
    other_work: object
    other_mention: object


def build_world() -> World:
    users = {name: make_user(name) for name in ("alice", "bob", "carol", "rita", "charlie")}
    project = make_project(manager=users["alice"], name="P")
    add_member(project, users["bob"], Role.ANNOTATOR)
    add_member(project, users["carol"], Role.ANNOTATOR)
    add_member(project, users["rita"], Role.REVIEWER)
    article = make_article(project)
    spare = make_article(project)
    speaker = make_speaker(project, "The Minister")
    claim = make_claim(project, "The plan is reckless")
    bob_work = make_assignment(article, users["bob"])
    carol_work = make_assignment(article, users["carol"])
    gold = assignment_create(article=article, annotator=users["rita"], is_gold=True)
    bob_mention = make_mention(bob_work, speaker=speaker, claim=claim, stance="refute")
    make_mention(carol_work, "Officials met on Tuesday")
    make_mention(gold)
    bob_stance, _ = article_stance_set(assignment=bob_work, claim=claim, stance="neutral")

    other = make_project(manager=users["charlie"], name="Q")
    other_article = make_article(other)
    other_work = make_assignment(other_article, users["charlie"])
    other_speaker = make_speaker(other, "Stranger")
    other_claim = make_claim(other, "Foreign claim")
    other_mention = make_mention(other_work, speaker=other_speaker)
    return World(
        users=users, project=project, article=article, spare_article=spare, bob_work=bob_work,
        carol_work=carol_work, gold=gold, bob_mention=bob_mention, bob_stance=bob_stance, speaker=speaker,
        unused_speaker=make_speaker(project, "Nobody Quoted"), claim=claim,
        unused_claim=make_claim(project, "Nobody claims this"), other_project=other, other_speaker=other_speaker,
        other_claim=other_claim, other_work=other_work, other_mention=other_mention,
    )  # fmt: skip
