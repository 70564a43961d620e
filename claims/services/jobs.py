"""Background jobs (claims/models/jobs.py): a web request enqueues one and answers at once; a worker
process (`manage.py db_worker`, django-tasks' database backend) runs it and reports its progress.

A job's work is one domain function per kind (an import, drafting a project's attributions, cutting
a release), the same function the command line calls in-process. A job that breaks a domain rule
fails with field errors like a 400 would carry; one that crashes fails with a general message (the
traceback is in the worker's log); one whose worker died is found by `jobs_fail_stalled`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import pghistory
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from claims.imports import FileTooLarge
from claims.models import Job, JobKind, JobStatus, Project
from claims.models.jobs import JOB_LOCK_NAMESPACE

from .errors import RuleViolation

logger = logging.getLogger(__name__)

JOB_CRASHED = "The job stopped on an unexpected error; nothing of it was stored. The error has been logged."
JOB_WORKER_LOST = (
    "The worker running this job stopped (killed or restarted) before it finished; nothing of it was stored. "
    "Start it again."
)
WAITING = "Waiting for a worker"


class Progress:
    """What long work reports as it goes: the stage it is in and the units of it done (bytes read,
    articles drafted). This one keeps count only; JobProgress writes it for the page, the commands
    draw a bar (claims/management/progress.py)."""

    def __init__(self) -> None:
        self.name = ""
        self.done = 0
        self.total: int | None = None

    def stage(self, name: str, *, total: int | None = None) -> None:
        self.name, self.done, self.total = name, 0, total
        self.show(new_stage=True)

    def __call__(self, count: int = 1) -> None:
        self.done += count
        self.show(new_stage=False)

    def show(self, *, new_stage: bool) -> None:
        pass


def job_enqueue(*, project: Project, user, kind: str, parameters: dict) -> Job:
    """Record the job and queue its run, in the caller's transaction: the worker sees both or neither."""
    from claims.tasks import run_job

    job = Job.objects.create(project=project, kind=kind, created_by=user, parameters=parameters, stage=WAITING)
    run_job.enqueue(job.pk)
    return job


def _lock_key(job_id: int) -> int:
    return job_id % 2147483647  # the advisory lock's second key is an int4 (see JobQuerySet.stalled)


class JobProgress(Progress):
    """A running job's progress, written on a database connection of its own: the page sees it while the
    job's own transaction (a whole import is one) is still open. The same connection holds an advisory
    lock on the job for as long as it runs, which is how a stalled job (its worker gone) is told apart
    from a slow one. Writes are spaced by `interval` seconds, except a new stage's."""

    def __init__(self, job: Job, *, interval: float = 0.5) -> None:
        super().__init__()
        self.job_id = job.pk
        self.interval = interval
        self._written = 0.0
        self._connection = connections.create_connection(DEFAULT_DB_ALIAS)

    def __enter__(self) -> JobProgress:
        self._connection.ensure_connection()
        self._connection.set_autocommit(True)
        with self._connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [JOB_LOCK_NAMESPACE, _lock_key(self.job_id)])
        return self

    def __exit__(self, *exc_info) -> None:
        self._connection.close()  # the lock goes with the session

    def show(self, *, new_stage: bool) -> None:
        if not new_stage and time.monotonic() - self._written < self.interval:
            return
        done = self.done if self.total is None else min(self.done, self.total)
        with self._connection.cursor() as cursor:
            cursor.execute(
                "UPDATE claims_job SET stage = %s, done = %s, total = %s, heartbeat_at = now() WHERE id = %s",
                [self.name[:100], done, self.total, self.job_id],
            )
        self._written = time.monotonic()


def _runner(kind: str) -> Callable[..., dict]:
    """The domain function that does a job of this kind: (job=, progress=) -> its result."""
    from .imports import import_job_run
    from .releases import release_job_run
    from .suggestions import project_preannotate_job_run

    return {
        JobKind.IMPORT: import_job_run,
        JobKind.PREANNOTATE: project_preannotate_job_run,
        JobKind.RELEASE: release_job_run,
    }[kind]


def _cleanup(job: Job) -> None:
    """What a job leaves behind once it has finished, however it finished (an import's uploaded files)."""
    if job.kind == JobKind.IMPORT:
        from .imports import import_upload_delete

        for key in ("file", "second"):
            if job.parameters.get(key):
                import_upload_delete(name=job.parameters[key])


def _finish(job: Job, status: str, *, result: dict | None = None, errors: dict | None = None) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status, result=result, errors=errors, finished_at=timezone.now(), heartbeat_at=timezone.now()
    )


def job_run(*, job_id: int) -> str | None:
    """Run a queued job to its end (the worker's task). Returns its final status; None when the job was
    not queued (already run, or taken by another worker).

    The job's advisory lock is taken before the job is marked running and given up only after it is
    marked finished, so a running job without the lock always means its worker is gone."""
    job = Job.objects.select_related("project", "created_by").filter(pk=job_id, status=JobStatus.QUEUED).first()
    if job is None:
        return None
    with JobProgress(job) as progress:
        now = timezone.now()
        taken = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, stage="Starting"
        )
        if not taken:
            return None
        try:
            with pghistory.context(user=job.created_by_id, job=job.pk):
                result = _runner(job.kind)(job=job, progress=progress)
        except RuleViolation as error:
            _finish(job, JobStatus.FAILED, errors=error.errors)
            return JobStatus.FAILED
        except FileTooLarge as error:
            _finish(job, JobStatus.FAILED, errors={"file": [str(error)]})
            return JobStatus.FAILED
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            _finish(job, JobStatus.FAILED, errors={"detail": [JOB_CRASHED]})
            raise  # the task's own result records the traceback too
        finally:
            _cleanup(job)
        _finish(job, JobStatus.SUCCEEDED, result=result)
        return JobStatus.SUCCEEDED


def jobs_fail_stalled(*, project: Project | None = None) -> int:
    """Mark failed the running jobs whose worker is gone; how many there were."""
    stalled = Job.objects.stalled()
    if project is not None:
        stalled = stalled.filter(project=project)
    count = 0
    for job in stalled:
        updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, errors={"detail": [JOB_WORKER_LOST]}, finished_at=timezone.now()
        )
        if updated:
            _cleanup(job)
            count += 1
    return count
