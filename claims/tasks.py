"""The one task the worker runs (django-tasks; `manage.py db_worker`): a background job, by id.

The job's own row (claims.models.Job) says what to do; keeping the task this thin means the queue's
rows hold only an id, and every kind of job is run, reported and cleaned up the same way.
"""

from django_tasks import task

from claims.services.jobs import job_run


@task()
def run_job(job_id: int) -> str | None:
    return job_run(job_id=job_id)
