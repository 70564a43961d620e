"""Running the background jobs a test has queued, in this process, as `manage.py db_worker` would.

The worker itself (django-tasks' db_worker) runs in the deployed-mode tier (tests/deployed/); here the
same domain function it calls, job_run, runs inside the test's transaction."""

from __future__ import annotations

from claims.models import Job, JobStatus
from claims.services.jobs import job_run


def run_jobs() -> list[Job]:
    """Run every queued job, oldest first; the jobs that ran, as they ended."""
    queued = list(Job.objects.filter(status=JobStatus.QUEUED).order_by("id").values_list("pk", flat=True))
    for job_id in queued:
        job_run(job_id=job_id)
    return list(Job.objects.filter(pk__in=queued).order_by("id"))


def finished(client, response) -> dict:
    """The job a 202 answer started, run to its end, as the client then reads it at its Location."""
    assert response.status_code == 202, getattr(response, "content", response)
    run_jobs()
    answer = client.get(response["Location"])
    assert answer.status_code == 200, answer.content
    return answer.json()
