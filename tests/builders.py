"""Small builders for test data, made through the services like real data is."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model

from claims.models import Article, Assignment, Project, Role
from claims.services.articles import article_create
from claims.services.assignments import assignment_create
from claims.services.labels import mention_create
from claims.services.projects import membership_set, project_create
from claims.services.speakers import speaker_create
from claims.services.tracked_claims import claim_create

_counter = itertools.count(1)

# One paragraph with quotes, an emoji (2 UTF-16 units, 1 code point) and a combining accent.
BODY = (
    "Officials met on Tuesday 🚀. “We will not back down,” the minister said.\n"
    "Critics, according to José Martínez, called the plan reckless."
)


def make_user(username: str | None = None, **extra):
    username = username or f"user{next(_counter)}"
    return get_user_model().objects.create_user(username=username, password="correct horse battery", **extra)


def make_project(*, manager=None, name: str | None = None, **fields) -> Project:
    return project_create(name=name or f"Project {next(_counter)}", created_by=manager, **fields)


def add_member(project: Project, user, role: str = Role.ANNOTATOR) -> None:
    membership_set(project=project, user=user, role=role)


def make_article(project: Project, *, body: str = BODY, external_id: str | None = None, **fields) -> Article:
    return article_create(
        project=project, external_id=external_id or f"a{next(_counter)}", title=fields.pop("title", "A title"),
        body=body, **fields,
    )  # fmt: skip


def make_assignment(article: Article, annotator, *, is_gold: bool = False) -> Assignment:
    return assignment_create(article=article, annotator=annotator, is_gold=is_gold)


def make_speaker(project: Project, name: str = "The Minister", **fields):
    return speaker_create(project=project, name=name, **fields)


def make_claim(project: Project, text: str = "The plan is reckless", **fields):
    return claim_create(project=project, text=text, **fields)


def errors_of(call, **kwargs) -> dict:
    """The field messages of the RuleViolation that `call(**kwargs)` raises (failing if it raises none)."""
    import pytest

    from claims.services.errors import RuleViolation

    with pytest.raises(RuleViolation) as info:
        call(**kwargs)
    return info.value.errors


def span(body: str, text: str, occurrence: int = 1) -> dict:
    """{start, end, text} of the n-th occurrence of `text` in `body`, in code points."""
    start = -1
    for _ in range(occurrence):
        start = body.index(text, start + 1)
    return {"start": start, "end": start + len(text), "text": text}


def make_mention(assignment: Assignment, text: str = "We will not back down", **fields):
    body = assignment.article.body
    return mention_create(assignment=assignment, **span(body, text), **fields)


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database Django is connected to (the test database in tests), so
    that a subprocess can work on the same data."""
    from urllib.parse import quote

    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    host = quote(settings_dict["HOST"] or "127.0.0.1", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{credentials}{host}:{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"


def zip_bytes(entries: dict[str, bytes], *, symlinks: tuple[str, ...] = ()) -> bytes:
    """A zip archive in memory; names in `symlinks` are stored as symbolic links."""
    import io
    import stat
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data)
    return buffer.getvalue()


_BULK_SENTENCE = "Officials said the plan is fine. "  # 33 code points; "Officials" is [0, 9) of each


def make_many_annotated_articles(project: Project, reviewer, *, articles: int, mentions: int) -> None:
    """`articles` articles, each with a submitted gold assignment holding `mentions` mentions, made by
    PostgreSQL in three statements (its triggers check every span, as for any label)."""
    from django.db import connection

    width = len(_BULK_SENTENCE)
    with connection.cursor() as cursor:
        cursor.execute(
            """INSERT INTO claims_article (project_id, external_id, title, body, body_sha256, source, url, author,
                                           language, metadata, created_at, updated_at)
               SELECT %s, 'bulk-' || i, 'Bulk ' || i, repeat(%s, %s) || i, '', '', '', '', 'en', '{}', now(), now()
                 FROM generate_series(1, %s) i""",
            [project.pk, _BULK_SENTENCE, mentions, articles],
        )
        cursor.execute(
            """INSERT INTO claims_assignment (article_id, annotator_id, is_gold, status, skip_reason, review_comment,
                                              version, created_at, submitted_at, updated_at)
               SELECT id, %s, true, 'submitted', '', '', 1, now(), now(), now() FROM claims_article
                WHERE project_id = %s AND external_id LIKE 'bulk-%%'""",
            [reviewer.pk, project.pk],
        )
        cursor.execute(
            """INSERT INTO claims_claimmention (assignment_id, start, "end", text, quote_type, version, created_at,
                                                updated_at)
               SELECT a.id, j * %s, j * %s + 9, substr(ar.body, j * %s + 1, 9), 'indirect', 1, now(), now()
                 FROM claims_assignment a JOIN claims_article ar ON ar.id = a.article_id,
                      generate_series(0, %s - 1) j
                WHERE ar.project_id = %s AND ar.external_id LIKE 'bulk-%%'""",
            [width, width, width, mentions, project.pk],
        )
