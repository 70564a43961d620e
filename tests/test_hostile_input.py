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

import contextlib
import io
import time

from django.core.files.uploadedfile import SimpleUploadedFile

from claims.imports import csv as csv_import
from claims.models import Article
from claims.services.errors import RuleViolation
from tests.api import client_for, fingerprint


def upload(user, project, data: bytes, name: str):
    """An import over the API, as a manager's script sends it."""
    file = SimpleUploadedFile(name, data)
    return client_for(user).post(f"/api/projects/{project.pk}/import/", {"file": file}, format="multipart")


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


def test_reading_a_wide_header_costs_what_parsing_it_costs(db):
    def read(count: int) -> float:
        data = csv_with_columns(count)

        def read_all():
            with contextlib.suppress(RuleViolation):  # refused (over the limit), but only after reading it
                list(csv_import.read(io.BytesIO(data)))

        return fastest(read_all)

    # Linear work gives a ratio near 4; a list searched once per column gave 16.
    assert read(40_000) / read(10_000) < 8
