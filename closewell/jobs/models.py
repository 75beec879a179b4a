"""Job: an export or import started from a page and run by the worker; Heartbeat: the worker is alive."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class JobKind(models.TextChoices):
    CENSUS_EXPORT = "census_export", "CIN census return"
    SSD_IMPORT = "ssd_import", "Standard Safeguarding Dataset import"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "In progress"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


class Job(models.Model):
    """One export or import a person started from a page. Its file (the census XML, the import's
    report) is for that person alone (closewell.accounts.permissions.job_permissions)."""

    kind = models.CharField(max_length=20, choices=JobKind.choices)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    params = models.JSONField(default=dict, help_text="What was asked for: the census year, a dry run …")
    stage = models.CharField(max_length=200, blank=True, help_text="What it is doing now, in words.")
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    outcome = models.JSONField(default=list, help_text="What it did, a line each: counts, errors, warnings.")
    file = models.CharField(max_length=300, blank=True, help_text="Its file, under MEDIA_ROOT.")
    file_name = models.CharField(max_length=100, blank=True, help_text="The name the file downloads as.")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="job_status_valid"),
            models.CheckConstraint(condition=Q(kind__in=JobKind.values), name="job_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} started {self.created_at:%d %B %Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0


class Heartbeat(models.Model):
    """The last time a worker ran the heartbeat task the scheduler queues: one row. Proves the whole
    path (scheduler → queue → worker → database), whichever queue TASK_QUEUE names."""

    at = models.DateTimeField()
    worker = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"Worker heartbeat at {self.at:%d %B %Y %H:%M:%S}"
