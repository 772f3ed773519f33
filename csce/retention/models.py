"""The retention job's own records: a lock shared by every node, and what each run did.

Policy M: "the company hosting the website deletes collected data every three months";
our forms keep data at most 90 days. A purge record holds counts only, never data.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobLock(models.Model):
    """One row per scheduled job; taking it is one conditional UPDATE, on any database."""

    name = models.CharField(_("job"), max_length=100, primary_key=True)
    holder = models.CharField(_("held by"), max_length=64, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("job lock")
        verbose_name_plural = _("job locks")

    def __str__(self) -> str:
        return self.name


class PurgeRun(models.Model):
    started_at = models.DateTimeField(_("started"), db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # {"submissions": 12, "sign_in_attempts": 3}: counts per registry source, no data.
    counts = models.JSONField(_("records deleted"), default=dict)
    total = models.PositiveBigIntegerField(_("total deleted"), default=0)
    errors = models.JSONField(_("sources that failed"), default=list, blank=True)

    class Meta:
        verbose_name = _("purge run")
        verbose_name_plural = _("purge runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.total})"


class ScheduledJobRun(models.Model):
    """One row per daily job and day: claiming it is how one node, once, runs the job.

    A unique (job, day) row is created by the first node; the others see it and skip.
    A failed run is retried by the next call, up to MAX_ATTEMPTS times that day; a run
    whose node died is taken over once its ``locked_until`` has passed.
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    job = models.CharField(_("job"), max_length=100)
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    holder = models.CharField(_("held by"), max_length=64, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # The exception's class name only: a message could quote personal data.
    error = models.CharField(_("error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("scheduled job run")
        verbose_name_plural = _("scheduled job runs")
        ordering = ["-day", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="retention_one_job_run_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.day:%Y-%m-%d} ({self.status})"
