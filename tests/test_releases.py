"""Dataset releases: numbered per project, frozen (service and database), checksummed, downloadable
only by the project's reviewers and managers."""

import base64
import hashlib
import io
import zipfile

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from claims.models import Release
from claims.services.assignments import assignment_create, assignment_submit
from claims.services.releases import release_create
from tests.api import client_for
from tests.builders import make_mention
from tests.jobs import finished, run_jobs


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def gold(article, rita):
    work = assignment_create(article=article, annotator=rita, is_gold=True)
    make_mention(work, "We will not back down")
    return assignment_submit(assignment=work)


def call(user, method: str, url: str, data=None):
    # The release views run outside the request transaction; a refused request would otherwise mark
    # the test's own transaction for rollback.
    with transaction.atomic():
        response = getattr(client_for(user), method)(url, data, format="json")
        response.body = b"".join(response.streaming_content) if response.streaming else response.content
    return response


def cut(user, project, options: dict) -> dict:
    """A release cut over the API: queued (202), run by the worker, read back as the release it made."""
    job = finished(client_for(user), call(user, "post", f"/api/projects/{project.pk}/releases/", options))
    assert (job["kind"], job["status"]) == ("release", "succeeded"), job
    return call(user, "get", f"/api/projects/{project.pk}/releases/").json()["results"][0]


def test_manager_cuts_numbered_releases_with_counts_and_checksums(project, alice, gold, media):
    queued = call(alice, "post", f"/api/projects/{project.pk}/releases/", {"format": "jsonl"})
    assert queued.status_code == 202, queued.body
    assert queued.json()["parameters"] == {"format": "jsonl"} and not Release.objects.exists()
    run_jobs()
    job = client_for(alice).get(queued["Location"]).json()
    data = call(alice, "get", f"/api/projects/{project.pk}/releases/").json()["results"][0]
    assert job["result"]["release"] == data["id"] and job["result"]["download_url"] == data["download_url"]
    assert (data["number"], data["format"], data["created_by"]) == (1, "jsonl", "alice")
    assert data["options"] == {"scope": "gold", "annotators": [], "since": None, "split": None,
                               "split_by": "article", "part": None}  # fmt: skip
    assert data["row_counts"] == {"records": 1, "articles": 1, "annotations": 1, "mentions": 1, "article_stances": 0}
    second = cut(alice, project, {"format": "fnc1", "split": [80, 10, 10]})
    assert second["number"] == 2
    release = Release.objects.get(number=1)
    stored = (media / release.file.name).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == release.sha256 and len(stored) == release.size
    listed = call(alice, "get", f"/api/projects/{project.pk}/releases/").json()["results"]
    assert [item["number"] for item in listed] == [2, 1]


def test_a_release_since_a_date_counts_and_holds_only_what_changed(project, alice, gold):
    everything = release_create(project=project, user=alice, format="jsonl", since="2000-01-01")
    nothing = release_create(project=project, user=alice, format="jsonl", since="2999-01-01")
    assert (everything.row_counts["records"], everything.row_counts["mentions"]) == (1, 1)
    assert (nothing.row_counts["records"], nothing.row_counts["mentions"], nothing.size) == (0, 0, 0)


def test_downloaded_bytes_hash_to_the_stored_checksum(project, alice, rita, gold):
    release = release_create(project=project, user=alice, format="brat", scope="gold")
    response = call(rita, "get", f"/api/releases/{release.pk}/download/")
    assert response.status_code == 200
    assert hashlib.sha256(response.body).hexdigest() == release.sha256 == response["X-Content-SHA256"]
    assert response["Repr-Digest"] == f"sha-256=:{base64.b64encode(hashlib.sha256(response.body).digest()).decode()}:"
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="1-newsroom-brat-gold.zip"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert (
        "gold/" + release.project.articles.get().external_id + ".ann"
        in zipfile.ZipFile(io.BytesIO(response.body)).namelist()
    )


def test_the_same_data_gives_the_same_bytes(project, alice, gold):
    first = release_create(project=project, user=alice, format="fnc1")
    second = release_create(project=project, user=alice, format="fnc1")
    assert (first.number, second.number) == (1, 2)
    assert first.sha256 == second.sha256 and first.file.name != second.file.name


def test_a_release_never_changes_afterwards(project, alice, gold, media):
    release = release_create(project=project, user=alice, format="jsonl")
    before = (media / release.file.name).read_bytes()
    make_mention(assignment_create(article=gold.article, annotator=alice), "the minister")
    newer = release_create(project=project, user=alice, format="jsonl", scope="all")
    assert (media / release.file.name).read_bytes() == before
    assert newer.sha256 != release.sha256
    with pytest.raises(DatabaseError, match="Cannot update"), transaction.atomic():
        Release.objects.filter(pk=release.pk).update(sha256="0" * 64)
    with pytest.raises(DatabaseError, match="Cannot update"), transaction.atomic():
        release.options = {"scope": "all"}
        release.save()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE claims_release SET file = 'elsewhere.jsonl' WHERE id = %s", [release.pk])
    release.refresh_from_db()
    assert release.options["scope"] == "gold"


def test_numbers_are_unique_per_project(project, alice, gold):
    release = release_create(project=project, user=alice, format="csv")
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.create(project=project, number=release.number, format="csv", file="x.csv",
                               sha256=release.sha256, size=1, created_by=alice)  # fmt: skip


def test_invalid_options_are_refused_and_nothing_is_stored(project, alice, media):
    response = call(alice, "post", f"/api/projects/{project.pk}/releases/", {"format": "jsonl", "split": [50, 10]})
    assert response.status_code == 400 and "split" in response.json()
    assert not Release.objects.exists()
    assert not (media / "releases").exists()


def test_release_permissions(project, alice, bob, rita, charlie, gold):
    url = f"/api/projects/{project.pk}/releases/"
    assert call(None, "post", url, {"format": "jsonl"}).status_code == 401
    assert call(charlie, "post", url, {"format": "jsonl"}).status_code == 404
    assert call(bob, "post", url, {"format": "jsonl"}).status_code == 403
    assert call(rita, "post", url, {"format": "jsonl"}).status_code == 403
    release = release_create(project=project, user=alice, format="jsonl")
    assert call(bob, "get", url).status_code == 403
    assert call(charlie, "get", url).status_code == 404
    assert call(rita, "get", url).status_code == 200
    download = f"/api/releases/{release.pk}/download/"
    assert call(None, "get", download).status_code == 401
    assert call(charlie, "get", download).status_code == 404
    assert call(bob, "get", download).status_code == 404
    assert call(alice, "get", download).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_release_and_export_over_http_in_their_own_transactions(project, alice, gold, media):
    # Committed data and no test transaction around the request: the views open their own
    # read-only snapshot (SET TRANSACTION … must be the first statement, also under the history
    # middleware of a POST) and then, for a release, a separate write.
    for format in ("citron", "jsonl"):
        response = client_for(alice).post(f"/api/projects/{project.pk}/releases/", {"format": format}, format="json")
        assert response.status_code == 202, response.content
        (job,) = run_jobs()
        assert job.status == "succeeded", job.errors
    for release in Release.objects.all():
        assert hashlib.sha256((media / release.file.name).read_bytes()).hexdigest() == release.sha256
    export = client_for(alice).get(f"/api/projects/{project.pk}/export/", {"format": "jsonl"})
    assert len(b"".join(export.streaming_content).splitlines()) == 1


@pytest.mark.django_db(transaction=True)
def test_a_release_cut_outside_any_transaction_is_built_by_two_connections_in_one_snapshot(project, alice, gold,
                                                                                            media, settings):
    """As deployed: no test transaction around the release, so its snapshot is exported to the second
    connection (it once was exported from inside a savepoint, which PostgreSQL refuses: a 500 every time)."""
    settings.EXPORT_CONNECTIONS = 2
    parallel = release_create(project=project, user=alice, format="jsonl")
    settings.EXPORT_CONNECTIONS = 1
    single = release_create(project=project, user=alice, format="jsonl")
    assert (parallel.number, single.number) == (1, 2)
    assert parallel.sha256 == single.sha256 and parallel.row_counts == single.row_counts
    assert parallel.row_counts["mentions"] == 1
