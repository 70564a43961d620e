"""Importing files of articles: every format, line-numbered reports, idempotence, atomicity,
hostile zips, size limits, the API (who may) and the management command."""

import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.imports import FileTooLarge, archives, jsonl
from claims.imports import csv as csv_import
from claims.imports import text as text_import
from claims.models import Article, Assignment, ClaimMention, Job, Project
from claims.services import articles as article_services
from claims.services.errors import RuleViolation
from claims.services.imports import IMPORT_FORMAT_UNKNOWN, articles_file_import
from tests.api import client_for, fingerprint
from tests.builders import add_member, database_url, make_project, make_user, zip_bytes
from tests.jobs import finished

SEED = settings.BASE_DIR / "seeds" / "demo" / "articles.jsonl"


def import_bytes(project, data: bytes, filename: str, **options):
    return articles_file_import(project=project, file=io.BytesIO(data), filename=filename, **options)


def jsonl_bytes(*lines) -> bytes:
    return b"".join((line if isinstance(line, bytes) else json.dumps(line).encode()) + b"\n" for line in lines)


# --- jsonl ----------------------------------------------------------------------------------------
def test_jsonl_report_names_each_rejected_line_and_why(project):
    data = jsonl_bytes(
        {"external_id": "a1", "title": "One", "body": "First body."},
        b"",
        b"{not json",
        {"external_id": "a2"},
        b"\xff\xfe",
        {"external_id": "a1", "body": "Again"},
        {"article": {"external_id": "a3", "body": "Native line."}, "annotations": []},
    )
    report = import_bytes(project, data, "articles.jsonl")
    assert [(e["line"], e["external_id"]) for e in report.accepted] == [(1, "a1"), (7, "a3")]
    rejected = {e["line"]: e["errors"] for e in report.rejected}
    assert list(rejected) == [3, 4, 5, 6]
    assert rejected[3] == {"non_field_errors": [jsonl.NOT_JSON.format(message="Expecting property name enclosed in "
                                                                       "double quotes", column=2)]}  # fmt: skip
    assert rejected[4] == {"body": [article_services.ARTICLE_BODY_REQUIRED]}
    assert rejected[5] == {"non_field_errors": [jsonl.NOT_UTF8]}
    assert rejected[6] == {"external_id": [article_services.IMPORT_DUPLICATE_IN_BATCH.format(external_id="a1", line=1)]}
    assert sorted(Article.objects.values_list("external_id", flat=True)) == ["a1", "a3"]


def test_native_line_with_a_wrong_checksum_is_rejected(project):
    line = {"article": {"external_id": "x", "body": "Text", "body_sha256": "0" * 64}, "annotations": []}
    report = import_bytes(project, jsonl_bytes(line), "a.jsonl")
    assert report.rejected == [{"line": 1, "errors": {"article.body_sha256": [jsonl.SHA_MISMATCH]}}]


def test_native_lines_bring_their_annotations_and_a_second_import_changes_nothing(db):
    project = make_project(name="Copy of the demo")
    report = import_bytes(project, SEED.read_bytes(), "articles.jsonl")
    assert (len(report.accepted), report.accepted[0]["annotations"]) == (1, 3)  # ana, ben and the gold
    gold = Assignment.objects.get(article__project=project, is_gold=True)
    assert (gold.status, gold.annotator.username, gold.mentions.count()) == ("submitted", "demo-reviewer", 10)
    for mention in ClaimMention.objects.filter(assignment=gold):
        assert gold.article.body[mention.start : mention.end] == mention.text
    before = fingerprint()
    again = import_bytes(project, SEED.read_bytes(), "articles.jsonl")
    assert (len(again.accepted), len(again.skipped), again.skipped[0]["annotations"]) == (0, 1, 0)
    assert fingerprint() == before


def test_a_line_whose_annotations_break_a_rule_is_rejected_whole(project):
    body = "The minister said it would rain."
    good = {"annotator": "bob", "mentions": [{"start": 4, "end": 12, "text": "minister"}]}
    bad = {"annotator": "carol", "mentions": [{"start": 4, "end": 12, "text": "MINISTER"}]}
    data = jsonl_bytes(
        {"article": {"external_id": "ok", "body": body}, "annotations": [good]},
        {"article": {"external_id": "broken", "body": body}, "annotations": [good, bad]},
    )
    report = import_bytes(project, data, "a.jsonl")
    assert [e["line"] for e in report.accepted] == [1]
    assert [e["line"] for e in report.rejected] == [2]
    assert list(report.rejected[0]["errors"]) == ["annotations[1].mentions[0].text"]
    assert list(Article.objects.values_list("external_id", flat=True)) == ["ok"]
    assert Assignment.objects.count() == 1


def test_annotations_for_an_existing_article_with_another_body_are_refused(project):
    import_bytes(project, jsonl_bytes({"external_id": "x", "body": "Old body"}), "a.jsonl")
    line = {"article": {"external_id": "x", "body": "New body"}, "annotations": [{"annotator": "bob"}]}
    report = import_bytes(project, jsonl_bytes(line), "a.jsonl")
    assert report.rejected == [{"line": 1, "errors": {"external_id": [article_services.ARTICLE_EXISTS_DIFFERENT]}}]
    assert Article.objects.get().body == "Old body" and not Assignment.objects.exists()


# --- csv ------------------------------------------------------------------------------------------
def test_csv_columns_are_mapped_by_header_and_unknown_ones_kept_in_metadata(project):
    data = (
        "\ufeffExternal_ID,title,body,url,Section,metadata\r\n"
        'c1,First,"One line\r\nand another, with a comma",https://example.org/1,World,"{""k"": 1}"\r\n'
        "\r\n"
        "c2,Second,,,,\r\n"
        "c3,Third,Body three,,Politics\r\n"
        'c4,Fourth,=SUM(A1),,,"[1]"\r\n'
    ).encode()
    report = import_bytes(project, data, "articles.csv")
    assert [(e["line"], e["external_id"]) for e in report.accepted] == [(2, "c1")]
    rejected = {e["line"]: e["errors"] for e in report.rejected}
    assert rejected == {
        5: {"body": [article_services.ARTICLE_BODY_REQUIRED]},
        6: {"non_field_errors": [csv_import.CSV_CELL_COUNT.format(count=5, expected=6)]},
        7: {"metadata": [csv_import.CSV_METADATA_INVALID]},
    }
    article = Article.objects.get(external_id="c1")
    assert article.body == "One line\nand another, with a comma"
    assert article.metadata == {"k": 1, "Section": "World"}


def test_csv_cells_are_taken_as_written(project):
    data = b'external_id,body\n"\'quoted",=1+1\n'
    import_bytes(project, data, "a.csv")
    assert Article.objects.values_list("external_id", "body").get() == ("'quoted", "=1+1")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", csv_import.CSV_EMPTY),
        (b"id,text\n1,x\n", csv_import.CSV_COLUMNS_REQUIRED.format(columns="id, text")),
        (b"external_id,body,body\n", csv_import.CSV_DUPLICATE_COLUMN.format(column="body")),
    ],
)
def test_csv_without_usable_header_is_refused(project, data, message):
    with pytest.raises(RuleViolation) as info:
        import_bytes(project, data, "a.csv")
    assert info.value.errors == {"file": [message]}


def test_a_csv_that_turns_out_unreadable_half_way_stores_nothing(project):
    rows = "".join(f"e{i},Body {i}\n" for i in range(600)).encode()
    with pytest.raises(RuleViolation) as info:
        import_bytes(project, b"external_id,body\n" + rows + b"bad,\xff\xfe\n", "a.csv")
    # Decoding runs a buffer ahead of the parser, so the line is approximate ("near line N").
    assert info.value.errors["file"][0].startswith(csv_import.CSV_NOT_UTF8.split("(")[0])
    assert not Article.objects.exists()


# --- text and zip ---------------------------------------------------------------------------------
def test_text_file_title_then_blank_line_then_body(project):
    import_bytes(project, b"Title line\r\n\r\nBody starts here.\r\nSecond line.\n", "story-1.txt")
    article = Article.objects.get()
    assert (article.external_id, article.title, article.body) == (
        "story-1", "Title line", "Body starts here.\nSecond line.\n"
    )  # fmt: skip


def test_zip_of_text_files(project):
    data = zip_bytes({
        "news/a.txt": b"Title A\n\nBody A", "b.txt": b"Title B\nBody B", "notes.md": b"# no",
        "__MACOSX/._a.txt": b"\x00\x05", "c.txt": b"\xff", "news/": b"",
    })  # fmt: skip
    report = import_bytes(project, data, "batch.zip")
    assert [(e["line"], e["external_id"], e["file"]) for e in report.accepted] == [
        (1, "a", "news/a.txt"), (2, "b", "b.txt")
    ]  # fmt: skip
    assert [(e["line"], e["file"], e["errors"]) for e in report.rejected] == [
        (3, "notes.md", {"file": [text_import.ENTRY_NOT_TEXT]}),
        (5, "c.txt", {"file": [text_import.TEXT_NOT_UTF8]}),
    ]
    assert Article.objects.get(external_id="b").body == "Body B"


@pytest.mark.parametrize("name", ["../evil.txt", "a/../../evil.txt", "/etc/evil.txt", "C:\\evil.txt", "..\\x.txt"])
def test_zip_slip_is_refused_and_nothing_stored(project, name):
    data = zip_bytes({"fine.txt": b"T\n\nB", name: b"T\n\nB"})
    with pytest.raises(RuleViolation) as info:
        import_bytes(project, data, "a.zip")
    assert info.value.errors == {"file": [archives.ZIP_UNSAFE_NAME.format(name=name)]}
    assert not Article.objects.exists()


def test_zip_with_a_symlink_is_refused(project):
    data = zip_bytes({"fine.txt": b"T\n\nB", "link.txt": b"/etc/passwd"}, symlinks=("link.txt",))
    with pytest.raises(RuleViolation) as info:
        import_bytes(project, data, "a.zip")
    assert info.value.errors == {"file": [archives.ZIP_SYMLINK.format(name="link.txt")]}


def test_zip_bomb_is_refused_before_decompressing(project, settings):
    settings.IMPORT_ZIP_MAX_UNCOMPRESSED_BYTES = 1_000_000
    data = zip_bytes({"bomb.txt": b"T\n\n" + b"0" * 5_000_000})
    assert len(data) < 20_000
    with pytest.raises(FileTooLarge) as info:
        import_bytes(project, data, "a.zip")
    assert str(info.value) == archives.ZIP_TOO_LARGE.format(size=5_000_003, limit=1_000_000)


def test_zip_with_too_many_entries_is_refused(project, settings):
    settings.IMPORT_ZIP_MAX_ENTRIES = 3
    data = zip_bytes({f"{i}.txt": b"T\n\nB" for i in range(4)})
    with pytest.raises(FileTooLarge) as info:
        import_bytes(project, data, "a.zip")
    assert str(info.value) == archives.ZIP_TOO_MANY_ENTRIES.format(count=4, limit=3)


def test_garbage_named_zip_is_refused(project):
    with pytest.raises(RuleViolation) as info:
        import_bytes(project, b"not a zip", "a.zip")
    assert info.value.errors == {"file": [archives.ZIP_UNREADABLE]}


def test_format_comes_from_the_extension_or_must_be_named(project):
    with pytest.raises(RuleViolation) as info:
        import_bytes(project, b"{}", "articles.data")
    assert info.value.errors == {"format": [IMPORT_FORMAT_UNKNOWN.format(name="articles.data")]}
    report = import_bytes(project, jsonl_bytes({"external_id": "x", "body": "b"}), "articles.data", format="jsonl")
    assert len(report.accepted) == 1


def test_file_over_the_size_limit_is_refused(project, settings):
    settings.IMPORT_MAX_BYTES = 10
    with pytest.raises(FileTooLarge):
        import_bytes(project, jsonl_bytes({"external_id": "x", "body": "a body"}), "a.jsonl")


# --- scale: the COPY path -------------------------------------------------------------------------
def many(prefix: str, count: int) -> bytes:
    return jsonl_bytes(*({"external_id": f"{prefix}{i}", "title": f"T{i}", "body": f"Body {i}"} for i in range(count)))


def test_large_import_keeps_file_order_and_a_second_run_changes_nothing(project):
    data = many("e", 1200)
    report = import_bytes(project, data, "a.jsonl")
    ids = [entry["id"] for entry in report.accepted]
    assert len(ids) == 1200 and ids == sorted(ids)
    assert list(Article.objects.order_by("id").values_list("external_id", flat=True)[:3]) == ["e0", "e1", "e2"]
    before = fingerprint()
    again = import_bytes(project, data, "a.jsonl")
    assert (len(again.accepted), len(again.skipped)) == (0, 1200)
    assert fingerprint() == before


def test_import_statements_do_not_grow_with_what_the_project_holds(project):
    def statements(prefix: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            import_bytes(project, many(prefix, 600), "a.jsonl")
        return len(queries)

    first = statements("a")
    import_bytes(project, many("big", 6000), "a.jsonl")
    assert statements("z") == first


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_killing_an_import_half_way_leaves_nothing_of_the_file(tmp_path):
    project = make_project(name="Killed")
    path = tmp_path / "big.jsonl"
    path.write_bytes(many("k", 40_000))
    env = os.environ | {
        "DATABASE_URL": database_url(connection.settings_dict), "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PGAPPNAME": "import-kill-test",
    }  # fmt: skip
    command = [sys.executable, "manage.py", "import_articles", str(path), "--project", project.slug, "--no-progress"]
    process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    mid_import = """
        SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE a.application_name = 'import-kill-test' AND l.relation = 'claims_article'::regclass
           AND l.mode = 'RowExclusiveLock'
    """
    deadline = time.monotonic() + 60
    with connection.cursor() as cursor:
        while time.monotonic() < deadline and process.poll() is None:
            cursor.execute(mid_import)
            if cursor.fetchone():
                break
            time.sleep(0.02)
        assert process.poll() is None, "the import ended before it could be killed: " + process.stderr.read().decode()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'import-kill-test'")
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.02)
    assert not Article.objects.filter(project=project).exists()


# --- the API --------------------------------------------------------------------------------------
def upload(client, project, data: bytes, name: str, **fields):
    return client.post(
        f"/api/projects/{project.pk}/import/", {"file": SimpleUploadedFile(name, data), **fields}, format="multipart"
    )


def test_manager_imports_a_file_over_the_api_through_a_background_job(project, alice):
    client = client_for(alice)
    response = upload(client, project, jsonl_bytes({"external_id": "x", "body": "b"}, b"{"), "a.jsonl")
    assert response.status_code == 202, response.content
    queued = response.json()
    assert (queued["kind"], queued["status"], queued["parameters"]) == (
        "import", "queued", {"filename": "a.jsonl", "format": "jsonl"}
    )
    assert response["Location"] == queued["url"] == f"/api/jobs/{queued['id']}/"
    assert not Article.objects.exists()  # nothing until a worker has run it
    job = finished(client, response)
    assert (job["status"], job["errors"], job["created_by"]) == ("succeeded", None, "alice")
    report = job["result"]
    assert (report["accepted"], report["skipped"], report["rejected"]) == (1, 0, 1)
    assert report["rejected_lines"][0]["line"] == 2
    again = finished(client, upload(client, project, jsonl_bytes({"external_id": "x", "body": "b"}), "a.jsonl"))
    assert (again["result"]["accepted"], again["result"]["skipped"]) == (0, 1)
    listed = client.get(f"/api/projects/{project.pk}/jobs/").json()["results"]
    assert [item["id"] for item in listed] == [again["id"], job["id"]]


def test_the_uploaded_file_is_removed_once_its_import_has_run(project, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(alice)
    response = upload(client, project, jsonl_bytes({"external_id": "x", "body": "b"}), "a.jsonl")
    stored = list(tmp_path.rglob("*a.jsonl"))
    assert len(stored) == 1 and stored[0].read_bytes() == jsonl_bytes({"external_id": "x", "body": "b"})
    finished(client, response)
    assert not stored[0].exists()


def test_an_import_that_cannot_read_its_file_fails_its_job_with_the_reason_and_stores_nothing(project, alice):
    client = client_for(alice)
    # The bad byte comes long after the header (which is checked when the upload arrives).
    rows = b"".join(b"r%d,Body %d.\n" % (i, i) for i in range(20_000))
    job = finished(client, upload(client, project, b"external_id,body\n" + rows + b"x,\xff\n", "a.csv"))
    assert job["status"] == "failed" and job["result"] is None
    assert "UTF-8" in " ".join(job["errors"]["file"])
    assert not Article.objects.exists()


def test_format_field_names_the_format(project, alice):
    client = client_for(alice)
    job = finished(client, upload(client, project, b"external_id,body\nx,b\n", "upload.bin", format="csv"))
    assert job["result"]["accepted"] == 1


def test_import_permissions(project, bob, rita, charlie, alice):
    data = jsonl_bytes({"external_id": "x", "body": "b"})
    assert upload(client_for(None), project, data, "a.jsonl").status_code == 401
    assert upload(client_for(charlie), project, data, "a.jsonl").status_code == 404
    assert upload(client_for(bob), project, data, "a.jsonl").status_code == 403
    assert upload(client_for(rita), project, data, "a.jsonl").status_code == 403
    assert not Article.objects.exists()
    assert upload(client_for(alice), project, data, "a.jsonl").status_code == 202
    # The job and its report are the project's reviewers' and managers' to read, nobody else's.
    job_url = f"/api/jobs/{Job.objects.get().pk}/"
    assert client_for(rita).get(job_url).status_code == 200
    assert client_for(bob).get(job_url).status_code == 404
    assert client_for(charlie).get(job_url).status_code == 404
    assert client_for(bob).get(f"/api/projects/{project.pk}/jobs/").status_code == 403


def test_oversized_upload_gets_413(project, alice, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = upload(client_for(alice), project, many("e", 10), "a.jsonl")
    assert response.status_code == 413
    assert "IMPORT_MAX_BYTES" in response.json()["detail"]
    big = upload(client_for(alice), project, b"x" * 200_000, "a.jsonl")
    assert big.status_code == 413
    assert not Article.objects.exists()


def test_a_csv_without_its_columns_is_refused_when_it_arrives(project, alice):
    response = upload(client_for(alice), project, b"id,text\nx,b\n", "a.csv")
    assert response.status_code == 400
    assert response.json() == {"file": [csv_import.CSV_COLUMNS_REQUIRED.format(columns="id, text")]}
    assert not Job.objects.exists()


def test_unsafe_zip_over_the_api_is_a_400(project, alice):
    response = upload(client_for(alice), project, zip_bytes({"../x.txt": b"T\n\nB"}), "a.zip")
    assert response.status_code == 400
    assert response.json() == {"file": [archives.ZIP_UNSAFE_NAME.format(name="../x.txt")]}


def test_import_needs_a_file(project, alice):
    response = client_for(alice).post(f"/api/projects/{project.pk}/import/", {}, format="multipart")
    assert response.status_code == 400 and "file" in response.json()


# --- the management command -----------------------------------------------------------------------
def test_import_articles_command(project, tmp_path, capsys):
    path = tmp_path / "articles.jsonl"
    path.write_bytes(jsonl_bytes({"external_id": "x", "body": "b"}, {"external_id": "y"}))
    call_command("import_articles", str(path), "--project", project.slug)
    captured = capsys.readouterr()
    assert "articles.jsonl: 1 accepted, 0 skipped (already there), 1 rejected" in captured.out
    assert f"line 2: body: {article_services.ARTICLE_BODY_REQUIRED}" in captured.err
    call_command("import_articles", str(path), "--project", project.slug, "--no-progress")
    assert "0 accepted, 1 skipped" in capsys.readouterr().out
    assert Project.objects.get(pk=project.pk).articles.count() == 1


def test_import_articles_command_refuses_unknown_project_and_unsafe_zip(project, tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "a.zip"
    path.write_bytes(zip_bytes({"/abs.txt": b"T\n\nB"}))
    with pytest.raises(CommandError):
        call_command("import_articles", str(path), "--project", "nope")
    with pytest.raises(CommandError, match="unsafe name"):
        call_command("import_articles", str(path), "--project", project.slug)


def test_demo_seed_imports_into_a_new_project_through_the_command(db, tmp_path, capsys):
    alice = make_user("alice")
    project = make_project(manager=alice, name="Demo copy")
    add_member(project, make_user("bob"))
    call_command("import_articles", str(SEED), "--project", project.slug, "--no-progress")
    assert "1 accepted" in capsys.readouterr().out
    assert ClaimMention.objects.filter(assignment__article__project=project).count() == 28  # gold 10, ana 9, ben 9
