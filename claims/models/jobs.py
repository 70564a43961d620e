"""Background jobs: work that grows with its input (an import, pre-annotating a project, a release)
runs in a worker process, never in a web request; this row is what people see of it.

The queue itself is django-tasks' database backend (a DBTaskResult row per run, `manage.py
db_worker`); a Job is the domain's record of the work: which project, who asked, how far it has
got, and what came of it (an import's report, the release made, or the errors that stopped it).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from .projects import REVIEWING, Project, member_project_ids

# The namespace of the advisory locks that tell a running job's worker is alive (see JobQuerySet.stalled).
JOB_LOCK_NAMESPACE = 7301


class JobKind(models.TextChoices):
    IMPORT = "import", "Import"
    PREANNOTATE = "preannotate", "Pre-annotation"
    RELEASE = "release", "Release"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED)


class JobQuerySet(models.QuerySet):
    def visible_to(self, user) -> JobQuerySet:
        """Jobs of the projects the user reviews or manages (imports and releases hold everyone's work)."""
        return self.filter(project__in=member_project_ids(user, roles=REVIEWING))

    def stalled(self) -> JobQuerySet:
        """Running jobs whose worker is gone. A worker holds a session advisory lock on its job from before
        it marks it running to after it marks it finished (services.jobs.job_run); PostgreSQL drops the
        lock with the session, however the worker died. JOB_STALL_SECONDS since the last heartbeat is a
        margin on top, so that a job is never reported lost on one look alone."""
        worker_alive = RawSQL(
            "EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = %s "
            "AND objid = (claims_job.id %% 2147483647)::int::oid AND objsubid = 2)",
            [JOB_LOCK_NAMESPACE],
        )
        quiet_since = timezone.now() - datetime.timedelta(seconds=settings.JOB_STALL_SECONDS)
        return (
            self.filter(status=JobStatus.RUNNING, heartbeat_at__lt=quiet_since)
            .annotate(worker_alive=worker_alive)
            .filter(worker_alive=False)
        )


class Job(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=16, choices=JobKind.choices)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    # SET_NULL: a job is a record of work, not of who may do it; deleting an account keeps the record.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    parameters = models.JSONField(default=dict, help_text="What the job was asked to do (file, format, options).")
    stage = models.CharField(max_length=100, blank=True, help_text="What it is doing now, in words.")
    done = models.PositiveBigIntegerField(default=0, help_text="Units of the stage done (bytes, articles).")
    total = models.PositiveBigIntegerField(null=True, blank=True, help_text="Units of the stage in all.")
    result = models.JSONField(null=True, blank=True, help_text="What came of it: a report, the release made.")
    errors = models.JSONField(null=True, blank=True, help_text="Why it failed, as field errors.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="The worker's last progress report.")
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "-created_at"], name="job_project_newest")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="job_status_known"),
            models.CheckConstraint(condition=Q(kind__in=JobKind.values), name="job_kind_known"),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(done__lte=models.F("total")), name="job_done_within_total"
            ),
            models.CheckConstraint(
                condition=Q(status__in=FINISHED, finished_at__isnull=False)
                | (~Q(status__in=FINISHED) & Q(finished_at__isnull=True)),
                name="job_finished_when_finished",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"
