"""Dataset releases: an export frozen into a numbered, immutable file (Django's storage API).

A release is written once. The export runs in one read-only snapshot together with its row counts,
into a temporary file while its SHA-256 is computed; only then is the next number taken (under a
lock on the project row) and the file stored under a name no other file has (storage never
overwrites). Nothing offers to change a release afterwards, and the database refuses any UPDATE of
one (a trigger), so a published checksum stays true.
"""

from __future__ import annotations

import hashlib
import tempfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max

from claims.exports.query import with_changed_articles
from claims.exports.streaming import ExportStats
from claims.models import Job, JobKind, Project, Release

from .exports import export_counts, export_filename, export_query, export_snapshot, export_stream_in
from .jobs import Progress, job_enqueue

RELEASE_FOLDER = "releases"


def _options(query, annotators) -> dict:
    return {
        "scope": query.scope,
        "annotators": sorted(annotators),
        "since": query.since.isoformat() if query.since else None,
        "split": list(query.split) if query.split else None,
        "split_by": query.split_by,
        "part": query.part,
    }


def release_create(
    *,
    project: Project,
    user,
    format: str | None = None,
    scope: str | None = None,
    annotators: list[str] | tuple[str, ...] = (),
    since: object = None,
    split: object = None,
    split_by: str | None = None,
    part: str | None = None,
    progress: Progress | None = None,
) -> Release:
    progress = progress or Progress()
    query = export_query(
        project=project, format=format, scope=scope, annotators=annotators, since=since, split=split,
        split_by=split_by, part=part,
    )  # fmt: skip
    stats = ExportStats()
    digest = hashlib.sha256()
    with tempfile.TemporaryFile() as temporary:
        with export_snapshot() as cursor:
            query = with_changed_articles(cursor, query)  # once, for the counts and the export
            counts = export_counts(cursor=cursor, query=query)
            progress.stage("Exporting records")
            for chunk in export_stream_in(cursor=cursor, query=query, stats=stats):
                digest.update(chunk)
                temporary.write(chunk)
                progress(stats.records - progress.done)
        progress.stage("Storing the file")
        temporary.seek(0)
        with transaction.atomic():
            Project.objects.select_for_update().filter(pk=project.pk).first()
            number = (project.releases.aggregate(last=Max("number"))["last"] or 0) + 1
            name = f"{RELEASE_FOLDER}/{project.slug}/{number}-{export_filename(project=project, query=query)}"
            stored = default_storage.save(name, File(temporary))
            try:
                return Release.objects.create(
                    project=project, number=number, format=query.format,
                    options=_options(query, annotators), file=stored,
                    sha256=digest.hexdigest(), size=stats.bytes, row_counts={"records": stats.records, **counts},
                    created_by=user,
                )  # fmt: skip
            except BaseException:
                default_storage.delete(stored)
                raise


def release_enqueue(*, project: Project, user, **options) -> Job:
    """Check the release's options now (a 400 names every problem), cut it in a worker."""
    export_query(project=project, **options)
    return job_enqueue(project=project, user=user, kind=JobKind.RELEASE, parameters=_json_options(options))


def _json_options(options: dict) -> dict:
    return {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in options.items()}


def release_job_run(*, job: Job, progress: Progress) -> dict:
    release = release_create(project=job.project, user=job.created_by, progress=progress, **job.parameters)
    return {"release": release.pk, "number": release.number, "sha256": release.sha256, "size": release.size,
            "download_url": f"/api/releases/{release.pk}/download/"}  # fmt: skip
