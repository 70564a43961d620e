"""The data page: managers upload files and cut releases, reviewers download; annotators stay out."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.models import Article, Job, Release, Role, Suggestion
from tests.builders import add_member, make_article, make_project, make_user, zip_bytes
from tests.jobs import run_jobs


@pytest.fixture
def team(db):
    mia, rita, bob = make_user("mia"), make_user("rita"), make_user("bob")
    project = make_project(manager=mia)
    add_member(project, rita, Role.REVIEWER)
    add_member(project, bob, Role.ANNOTATOR)
    return project, mia, rita, bob


def test_manager_imports_a_file_follows_its_job_and_sees_the_report(client, team):
    project, mia, *_ = team
    client.force_login(mia)
    data = b'{"external_id": "a", "body": "\\u201cRain,\\u201d she said."}\n{"external_id": "b"}\nnot json\n'
    response = client.post(f"/projects/{project.pk}/data/import/",
                           {"file": SimpleUploadedFile("news.jsonl", data)}, follow=True)  # fmt: skip
    html = response.content.decode()
    job = Job.objects.get()
    assert response.status_code == 200 and "news.jsonl is being imported" in html
    assert f'data-job-url="/api/jobs/{job.pk}/"' in html and 'data-status="queued"' in html
    assert not Article.objects.exists()
    run_jobs()
    html = client.get(f"/projects/{project.pk}/data/").content.decode()
    assert "1 imported, 0 already there, 2 rejected" in html
    assert "<strong>body</strong>" in html  # line 2's reason
    assert list(Article.objects.values_list("external_id", flat=True)) == ["a"]
    assert Suggestion.objects.filter(article__external_id="a").exists()
    # What the page promises is what just happened: rejected lines are not stored, the rest of the file is.
    assert "rejected and not stored" in html and "Atomic per file" in html and "whole or not at all" not in html


def test_an_upload_refused_at_once_is_a_message_and_queues_nothing(client, team):
    project, mia, *_ = team
    client.force_login(mia)
    response = client.post(f"/projects/{project.pk}/data/import/",
                           {"file": SimpleUploadedFile("news.pdf", b"%PDF")}, follow=True)  # fmt: skip
    assert "Name the format" in response.content.decode()
    assert not Job.objects.exists()


def test_manager_cuts_a_release_and_everyone_who_reviews_sees_it(client, team):
    project, mia, rita, bob = team
    make_article(project)
    client.force_login(mia)
    client.post(f"/projects/{project.pk}/data/release/", {"format": "jsonl", "scope": "all"})
    assert not Release.objects.exists()
    run_jobs()
    release = Release.objects.get()
    assert f"Release {release.number}" in client.get(f"/projects/{project.pk}/data/").content.decode()
    client.force_login(rita)
    html = client.get(f"/projects/{project.pk}/data/").content.decode()
    assert f"/api/releases/{release.pk}/download/" in html and "Cut a release" not in html
    assert client.post(f"/projects/{project.pk}/data/release/", {"format": "jsonl"}).status_code == 403


def test_annotators_and_outsiders_stay_out(client, team):
    project, mia, rita, bob = team
    client.force_login(bob)
    assert client.get(f"/projects/{project.pk}/data/").status_code == 403
    upload = SimpleUploadedFile("x.jsonl", b'{"external_id": "x", "body": "t"}\n')
    assert client.post(f"/projects/{project.pk}/data/import/", {"file": upload}).status_code == 403
    client.force_login(make_user("zed"))
    assert client.get(f"/projects/{project.pk}/data/").status_code == 404
    assert not Article.objects.exists()


def test_a_dataset_import_from_the_page_names_its_duplicates(client, team):
    project, mia, *_ = team
    client.force_login(mia)
    bodies = b"Body ID,articleBody\r\n7,Ankara will go ahead.\r\n"
    stances = (
        b"Headline,Body ID,Stance\r\nTurkey buys it,7,agree\r\nTurkey buys it,7,agree\r\nturkey  buys it,7,agree\r\n"
    )
    client.post(f"/projects/{project.pk}/data/import/", {"file": SimpleUploadedFile("b.csv", bodies), "format": "fnc1",
                "stances": SimpleUploadedFile("s.csv", stances), "gold": "1"})  # fmt: skip
    run_jobs()
    html = client.get(f"/projects/{project.pk}/data/").content.decode()
    assert "1 duplicate rows (kept once)" in html and "line 3 repeats line 2: Turkey buys it / 7" in html
    assert "Turkey buys it · turkey  buys it" in html
    assert Article.objects.get(external_id="7").assignments.get().is_gold


def test_a_brat_mapping_from_the_page_is_checked_at_once(client, team):
    from claims.imports.brat import BRAT_MAPPING_INVALID

    project, mia, *_ = team
    client.force_login(mia)
    archive = zip_bytes({"a.txt": b"He said no.", "a.ann": b"T1\tStatement 8 10\tno\n"})
    response = client.post(f"/projects/{project.pk}/data/import/", {"file": SimpleUploadedFile("a.zip", archive),
                           "format": "brat", "mapping": '{"Statement": "quote"}'}, follow=True)  # fmt: skip
    assert BRAT_MAPPING_INVALID.replace('"', "&quot;") in response.content.decode() and not Job.objects.exists()
    client.post(f"/projects/{project.pk}/data/import/", {"file": SimpleUploadedFile("a.zip", archive),
                "format": "brat", "mapping": '{"Statement": "content"}'})  # fmt: skip
    run_jobs()
    assert Article.objects.get(external_id="a").assignments.get().mentions.get().text == "no"
