"""Hostile input, one case each: what a broken exporter or an attacker sends, and what it must get.

Each case is a fixture built in code (small generated files where the finding was a large one),
and each asserts three things: a 4xx whose message names the problem (in an import, that line
rejected with its reason and the other lines imported), nothing written where the whole request
is refused, and bounded work, measured against a normal input of the same size or counted, never
against the clock alone.

What schema fuzzing found (NUL characters, page_size, dates PostgreSQL cannot take, numbers sent
for text) is pinned in tests/test_api_fuzz_findings.py; its NUL import files are reused here to
check that the rest of such a file is still imported.
"""

import io
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims.imports import csv as csv_import
from claims.imports import text as text_import
from claims.models import Article
from claims.services import articles as article_services
from claims.services.errors import RuleViolation
from claims.services.imports import articles_file_import
from tests.api import client_for, fingerprint
from tests.builders import zip_bytes


def upload(user, project, data: bytes, name: str):
    """An import over the API, as a manager's script sends it."""
    file = SimpleUploadedFile(name, data)
    return client_for(user).post(f"/api/projects/{project.pk}/import/", {"file": file}, format="multipart")


def import_bytes(project, data: bytes, filename: str):
    return articles_file_import(project=project, file=io.BytesIO(data), filename=filename)


def fastest(call, repeat: int = 3) -> float:
    """The least time of a few runs: the one least disturbed by whatever else the machine does."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


# --- CSV: a header of a million columns took more than 600 s (a list searched once per column) ----
def csv_with_columns(count: int) -> bytes:
    names = ["external_id", "body", *(f"c{i}" for i in range(count - 2))]
    return (",".join(names) + "\n" + ",".join(["x1", "Body.", *["v"] * (count - 2)]) + "\n").encode()


def test_a_csv_with_more_columns_than_the_limit_is_refused_naming_it(project, alice):
    before = fingerprint()
    response = upload(alice, project, csv_with_columns(csv_import.MAX_COLUMNS + 1), "wide.csv")
    message = csv_import.CSV_TOO_MANY_COLUMNS.format(count=csv_import.MAX_COLUMNS + 1, limit=csv_import.MAX_COLUMNS)
    assert (response.status_code, response.json()) == (400, {"file": [message]})
    assert fingerprint() == before


def test_a_csv_with_as_many_columns_as_the_limit_is_imported(project, alice):
    response = upload(alice, project, csv_with_columns(csv_import.MAX_COLUMNS), "wide.csv")
    assert response.status_code == 201, response.content
    assert len(Article.objects.get(external_id="x1").metadata) == csv_import.MAX_COLUMNS - 2


def test_a_wide_header_costs_no_more_than_as_many_bytes_of_rows(db):
    wide = csv_with_columns(40_000)
    rows = b"external_id,body\n" + b"".join(b"e%d,Body %d.\n" % (i, i) for i in range(len(wide) // 14))
    rows = rows[: rows.rindex(b"\n", 0, len(wide)) + 1]  # whole rows, about as many bytes as the wide file

    def refuse_wide():
        with pytest.raises(RuleViolation):
            list(csv_import.read(io.BytesIO(wide)))

    def read_rows():
        assert all(record.article for record in csv_import.read(io.BytesIO(rows)))

    # Reading the rows makes a record per row; refusing the header only parses it. A lookup in the
    # list of earlier columns made the header cost 100 times the rows (7 s).
    assert fastest(refuse_wide) < 2 * fastest(read_rows)


# --- zip: a 68 KB archive declaring 20 MiB of text was read whole into one batch -----------------
def story(number: int, size: int) -> bytes:
    sentence = b"The minister said the plan would not change, officials said on Tuesday. "
    return b"Story %d\n\n" % number + (sentence * (size // len(sentence) + 1))[:size]


def peak_memory_of(call) -> int:
    """The most memory Python held at once while `call` ran, above what it held before."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_zip_may_unpack_to_no_more_than_a_plain_file_may_hold(settings):
    assert settings.IMPORT_ZIP_MAX_UNCOMPRESSED_BYTES <= settings.IMPORT_MAX_BYTES


def test_a_zip_is_imported_entry_by_entry_not_held_whole(project, settings):
    entry = article_services._BATCH_CHARS // 2  # two entries fill a batch
    settings.ARTICLE_MAX_CHARS = entry + 100

    def import_entries(count: int, prefix: str) -> int:
        data = zip_bytes({f"{prefix}{i}.txt": story(i, entry) for i in range(count)})
        return peak_memory_of(lambda: import_bytes(project, data, "stories.zip"))

    few, many = import_entries(2, "a"), import_entries(8, "b")
    assert Article.objects.count() == 10
    # Held whole, eight entries take four times the memory of two; read one by one, about the same.
    assert many < 1.5 * few, (few, many)


def test_an_entry_longer_than_an_article_may_be_is_rejected_unread(project, settings):
    settings.ARTICLE_MAX_CHARS = 10_000
    data = zip_bytes({"fine.txt": story(1, 5_000), "huge.txt": story(2, 20_000_000), "long.txt": story(3, 10_001)})
    report = {}
    peak = peak_memory_of(lambda: report.update(result=import_bytes(project, data, "stories.zip")))
    result = report["result"]
    assert [entry["file"] for entry in result.accepted] == ["fine.txt"]
    too_long = article_services.ARTICLE_BODY_TOO_LONG.format(limit=10_000)
    huge_size = len(story(2, 20_000_000))
    assert [(entry["file"], entry["errors"]) for entry in result.rejected] == [
        ("huge.txt", {"file": [text_import.FILE_TOO_LARGE.format(size=huge_size, limit=10_000)]}),
        ("long.txt", {"body": [too_long]}),
    ]
    # 20 MB decompressed would show here; what was read is the two small entries.
    assert peak < 2_000_000, peak
