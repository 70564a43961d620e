"""Adding articles: validation, newline normalisation, idempotent atomic bulk import, frozen bodies."""

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Article
from claims.services import articles as svc
from tests.builders import errors_of, make_article, make_assignment, make_mention


def test_article_is_stored_with_normalised_newlines_and_its_checksum(project):
    article = svc.article_create(
        project=project, external_id="x", title="T", body="Line one\r\nLine two\rLine three 🚀  ",
        published_at="2019-03-12", url="https://example.org/a", metadata={"k": [1]},
    )  # fmt: skip
    article.refresh_from_db()
    assert article.body == "Line one\nLine two\nLine three 🚀  "
    assert article.body_sha256 == hashlib.sha256(article.body.encode()).hexdigest()
    assert article.published_at.isoformat() == "2019-03-12T00:00:00+00:00"
    assert article.language == "en"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"body": "text"}, "external_id", svc.ARTICLE_EXTERNAL_ID_REQUIRED),
        ({"external_id": "x" * 256, "body": "text"}, "external_id", svc.ARTICLE_EXTERNAL_ID_REQUIRED),
        ({"external_id": "x", "body": " \n "}, "body", svc.ARTICLE_BODY_REQUIRED),
        ({"external_id": "x", "body": 5}, "body", svc.ARTICLE_BODY_REQUIRED),
        ({"external_id": "x", "body": "t", "title": "x" * 1001}, "title", svc.ARTICLE_TEXT_FIELD.format(limit=1000)),
        ({"external_id": "x", "body": "t", "url": "javascript:alert(1)"}, "url", svc.ARTICLE_URL_INVALID),
        ({"external_id": "x", "body": "t", "published_at": "yesterday"}, "published_at", svc.ARTICLE_DATE_INVALID),
        ({"external_id": "x", "body": "t", "published_at": "2019-02-30"}, "published_at", svc.ARTICLE_DATE_INVALID),
        ({"external_id": "x", "body": "t", "metadata": [1]}, "metadata", svc.ARTICLE_METADATA_INVALID),
        ({"external_id": "x", "body": "t", "colour": "red"}, "colour", svc.ARTICLE_UNKNOWN_FIELD),
    ],
)
def test_article_rules(project, data, field, message):
    assert errors_of(svc.article_create, project=project, **data)[field] == [message]
    assert not Article.objects.exists()


def test_external_id_must_be_new(article):
    errors = errors_of(svc.article_create, project=article.project, external_id=article.external_id, body="x")
    assert errors == {"external_id": [svc.ARTICLE_EXTERNAL_ID_TAKEN]}


def test_body_of_an_annotated_article_cannot_change(article, bob):
    make_mention(make_assignment(article, bob))
    assert errors_of(svc.article_update, article=article, body="New body") == {"body": [svc.ARTICLE_BODY_FROZEN]}
    updated = svc.article_update(article=article, title="New title")
    assert (updated.title, updated.body) == ("New title", article.body)


def test_body_of_an_unannotated_article_can_change(article):
    updated = svc.article_update(article=article, body="New body")
    assert updated.body_sha256 == hashlib.sha256(b"New body").hexdigest()


def rows(*articles):
    return list(enumerate(articles, start=1))


def test_import_reports_accepted_skipped_and_rejected_lines(project):
    make_article(project, external_id="old")
    report = svc.articles_import(project=project, rows=rows(
        {"external_id": "new1", "body": "One"},
        {"external_id": "old", "body": "Already here"},
        {"external_id": "bad"},
        {"external_id": "new1", "body": "Again"},
        "not an object",
        {"external_id": "new2", "body": "Two"},
    ))  # fmt: skip
    assert [(row["line"], row["external_id"]) for row in report.accepted] == [(1, "new1"), (6, "new2")]
    assert report.skipped == [{"line": 2, "external_id": "old", "reason": svc.IMPORT_ALREADY_PRESENT}]
    assert report.rejected == [
        {"line": 3, "errors": {"body": [svc.ARTICLE_BODY_REQUIRED]}},
        {"line": 4, "errors": {"external_id": [svc.IMPORT_DUPLICATE_IN_BATCH.format(external_id="new1", line=1)]}},
        {"line": 5, "errors": {"non_field_errors": [svc.ARTICLE_NOT_OBJECT]}},
    ]
    assert sorted(Article.objects.values_list("external_id", flat=True)) == ["new1", "new2", "old"]


def test_reimport_changes_nothing(project):
    data = rows(*({"external_id": f"e{i}", "body": f"Body {i}"} for i in range(30)))
    first = svc.articles_import(project=project, rows=data)
    before = list(Article.objects.values_list("id", "external_id", "body", "updated_at"))
    second = svc.articles_import(project=project, rows=data)
    assert (len(first.accepted), len(second.accepted), len(second.skipped)) == (30, 0, 30)
    assert list(Article.objects.values_list("id", "external_id", "body", "updated_at")) == before


def test_import_is_all_or_nothing(project, monkeypatch):
    calls = {"n": 0}
    real = Article.objects.bulk_create

    def failing_second_batch(objs, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(svc, "_BATCH", 10)
    monkeypatch.setattr(Article.objects, "bulk_create", failing_second_batch)
    with pytest.raises(RuntimeError):
        svc.articles_import(project=project, rows=rows(*({"external_id": f"e{i}", "body": "b"} for i in range(25))))
    assert not Article.objects.exists()


def test_import_query_count_does_not_grow_with_the_project(project):
    def queries_for(prefix):
        with CaptureQueriesContext(connection) as ctx:
            svc.articles_import(
                project=project, rows=rows(*({"external_id": f"{prefix}{i}", "body": "b"} for i in range(50)))
            )
        return len(ctx)

    first = queries_for("a")
    svc.articles_import(project=project, rows=rows(*({"external_id": f"bulk{i}", "body": "b"} for i in range(2000))))
    assert queries_for("z") == first
