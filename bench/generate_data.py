"""Generate the benchmark project: 100,000 articles and 1,000,000 claim mentions, built by
PostgreSQL itself (INSERT … SELECT over generate_series), with every database trigger on: spans
are cut from the article bodies, so the integrity triggers accept them.

Each article body is ten fixed-width segments of 150 characters, `SpeakerNNNNN said "…"`, with a
non-ASCII letter inside every quote. Each article has a submitted annotator assignment with five
mentions (segments 0-4) and a submitted gold assignment with five more (5-9), and one article
stance in each: 1,000,000 mentions and 200,000 article stances in all.

Usage: python bench/generate_data.py [--articles 100000]   (idempotent: skips when present)
"""

from __future__ import annotations

import argparse

from common import PROJECT_SLUG, say, setup_django

SEGMENT = 150
CHUNK = 2_000

ARTICLES = """
INSERT INTO claims_article (project_id, external_id, title, body, body_sha256, source, url, author, published_at,
                            language, metadata, created_at, updated_at)
SELECT %(project)s, 'bench-' || lpad(i::text, 7, '0'), 'Bench article ' || i,
       (SELECT string_agg(rpad(format('Speaker%%s said "Article %%s, quote %%s: the minister would not back down '
                                      'on the plan that critics called reckless, déclaration',
                                      lpad(((i * 10 + j) %% 1000)::text, 5, '0'), i, j), 148, '.') || '" ',
                          '' ORDER BY j)
          FROM generate_series(0, 9) j),
       '', 'Bench Wire', 'https://example.org/bench/' || i, '', '2019-03-12T09:30:00Z', 'en',
       jsonb_build_object('n', i), now(), now()
  FROM generate_series(%(low)s, %(high)s) i
"""
ASSIGNMENTS = """
INSERT INTO claims_assignment (article_id, annotator_id, is_gold, status, skip_reason, review_comment, version,
                               created_at, started_at, submitted_at, updated_at)
SELECT ar.id, CASE WHEN gold THEN %(reviewer)s ELSE (%(annotators)s::bigint[])[1 + ar.id %% 10] END, gold,
       'submitted', '', '', 1, now(), now(), now(), now()
  FROM claims_article ar CROSS JOIN (VALUES (false), (true)) g(gold)
 WHERE ar.project_id = %(project)s AND ar.external_id BETWEEN %(first)s AND %(last)s
"""
# Segment j starts at j * 150: source [0, 12) "SpeakerNNNNN", cue [13, 17) "said", content [19, 147).
MENTIONS = """
INSERT INTO claims_claimmention (assignment_id, start, "end", text, speaker_id, source_start, source_end,
                                 source_text, cue_start, cue_end, cue_text, quote_type, claim_id, stance, version,
                                 created_at, updated_at)
SELECT a.id, s.o + 19, s.o + 147, substr(ar.body, s.o + 20, 128),
       (%(speakers)s::bigint[])[1 + (split_part(ar.external_id, '-', 2)::int * 10 + s.j) %% 1000],
       s.o, s.o + 12, substr(ar.body, s.o + 1, 12), s.o + 13, s.o + 17, substr(ar.body, s.o + 14, 4),
       (ARRAY['direct', 'indirect', 'mixed'])[1 + s.j %% 3],
       (%(claims)s::bigint[])[1 + (ar.id + s.j) %% 1000],
       (ARRAY['support', 'refute', 'neutral', 'query'])[1 + s.j %% 4], 1, now(), now()
  FROM claims_article ar JOIN claims_assignment a ON a.article_id = ar.id
 CROSS JOIN LATERAL (SELECT j, j * %(segment)s AS o FROM generate_series(0, 4) j0, LATERAL (
                        SELECT j0 + CASE WHEN a.is_gold THEN 5 ELSE 0 END AS j) jj) s
 WHERE ar.project_id = %(project)s AND ar.external_id BETWEEN %(first)s AND %(last)s
"""
STANCES = """
INSERT INTO claims_articlestance (assignment_id, claim_id, stance, version, created_at, updated_at)
SELECT a.id, (%(claims)s::bigint[])[1 + ar.id %% 1000], CASE WHEN a.is_gold THEN 'neutral' ELSE 'support' END, 1,
       now(), now()
  FROM claims_article ar JOIN claims_assignment a ON a.article_id = ar.id
 WHERE ar.project_id = %(project)s AND ar.external_id BETWEEN %(first)s AND %(last)s
"""


def bench_project():
    """The benchmark project with its people, speakers and claims (created once)."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from claims.models import Claim, Project, Role, Speaker
    from claims.services.projects import membership_set, project_create

    User = get_user_model()
    manager, _ = User.objects.get_or_create(username="bench-manager")
    project = Project.objects.filter(slug=PROJECT_SLUG).first()
    if project is None:
        project = project_create(name="Benchmark", slug=PROJECT_SLUG, created_by=manager)
    reviewer, _ = User.objects.get_or_create(username="bench-reviewer")
    membership_set(project=project, user=reviewer, role=Role.REVIEWER)
    annotators = []
    for number in range(1, 11):
        user, _ = User.objects.get_or_create(username=f"bench-annotator-{number}")
        membership_set(project=project, user=user, role=Role.ANNOTATOR)
        annotators.append(user.pk)
    Token.objects.get_or_create(user=manager)
    Speaker.objects.bulk_create(
        [Speaker(project=project, name=f"Speaker{n:05d}") for n in range(1000)], ignore_conflicts=True
    )
    Claim.objects.bulk_create(
        [Claim(project=project, text=f"Bench claim number {n}") for n in range(1000)], ignore_conflicts=True
    )
    speakers = list(Speaker.objects.filter(project=project).order_by("name").values_list("pk", flat=True))
    claims = list(Claim.objects.filter(project=project).order_by("id").values_list("pk", flat=True))
    return project, {"reviewer": reviewer.pk, "annotators": annotators, "speakers": speakers, "claims": claims}


def generate(articles: int) -> None:
    from django.db import connection, transaction

    project, ids = bench_project()
    have = project.articles.count()
    if have >= articles:
        say(f"{PROJECT_SLUG} already holds {have} articles; nothing to generate")
        return
    for low in range(have + 1, articles + 1, CHUNK):
        high = min(low + CHUNK - 1, articles)
        params = {"project": project.pk, "low": low, "high": high, "segment": SEGMENT, **ids,
                  "first": f"bench-{low:07d}", "last": f"bench-{high:07d}"}  # fmt: skip
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in (ARTICLES, ASSIGNMENTS, MENTIONS, STANCES):
                cursor.execute(statement, params)
        say(f"articles {high:,} / {articles:,}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    say("generated and analysed")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    arguments = parser.parse_args()
    setup_django()
    generate(arguments.articles)
