"""Run the daily jobs that are due, once a day across every node (policy M: every job is
safe to run twice and on two nodes at once; the schedule itself makes twice rare).

A job is due when the local time has reached its ``at`` and no node has run it today.
The first node to create the job's (job, day) row runs it; creating that row is atomic
on SQLite and PostgreSQL alike, so two nodes or two timers at once never both run it.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from csce.common.schedule import ScheduledJob, job_schedule

from .models import ScheduledJobRun

logger = logging.getLogger(__name__)

# Longer than any job should take: a run whose node died is taken over after this.
RUN_LOCK_TTL = datetime.timedelta(hours=2)
# A failing job is tried again by the next calls, at most this many times a day.
MAX_ATTEMPTS = 3

NOT_DUE = "not_due"
TAKEN = "taken"  # another node runs it, or it already ran today
SUCCEEDED = ScheduledJobRun.Status.SUCCEEDED.value
FAILED = ScheduledJobRun.Status.FAILED.value


@dataclass(frozen=True)
class JobOutcome:
    job: str
    outcome: str  # NOT_DUE, TAKEN, SUCCEEDED or FAILED


def _scheduled_job_claim(
    *, job: ScheduledJob, day: datetime.date, now: datetime.datetime
) -> str | None:
    """Take today's run of ``job``; returns a holder token, or None when it is not ours."""
    holder = uuid.uuid4().hex
    locked_until = now + RUN_LOCK_TTL
    try:
        with transaction.atomic():
            ScheduledJobRun.objects.create(
                job=job.name,
                day=day,
                status=ScheduledJobRun.Status.RUNNING,
                holder=holder,
                locked_until=locked_until,
                started_at=now,
            )
        return holder
    except IntegrityError:
        pass
    # Today's row exists: take it over only if its run failed or its node died.
    taken = (
        ScheduledJobRun.objects.filter(job=job.name, day=day)
        .filter(
            Q(status=ScheduledJobRun.Status.FAILED, attempts__lt=MAX_ATTEMPTS)
            | Q(status=ScheduledJobRun.Status.RUNNING, locked_until__lt=now)
        )
        .update(
            status=ScheduledJobRun.Status.RUNNING,
            holder=holder,
            locked_until=locked_until,
            attempts=F("attempts") + 1,
            started_at=now,
            finished_at=None,
            error="",
        )
    )
    return holder if taken else None


def scheduled_job_run_if_due(*, job: ScheduledJob, now: datetime.datetime | None = None) -> str:
    """Run ``job`` if it is due and no node has run it today; returns the outcome."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.time() < job.at:
        return NOT_DUE
    holder = _scheduled_job_claim(job=job, day=local.date(), now=now)
    if holder is None:
        return TAKEN
    run = ScheduledJobRun.objects.filter(job=job.name, day=local.date(), holder=holder)
    try:
        job.run()
    except Exception as exc:  # one failing job must not stop the others
        # The class name only: a message could quote personal data.
        logger.error("scheduled job %s failed: %s", job.name, type(exc).__name__)
        run.update(
            status=ScheduledJobRun.Status.FAILED,
            finished_at=timezone.now(),
            locked_until=None,
            error=type(exc).__name__[:200],
        )
        return FAILED
    run.update(
        status=ScheduledJobRun.Status.SUCCEEDED, finished_at=timezone.now(), locked_until=None
    )
    logger.info("scheduled job %s done", job.name)
    return SUCCEEDED


def scheduled_jobs_run_due(*, now: datetime.datetime | None = None) -> list[JobOutcome]:
    """Run every registered job that is due, in the order of their time of day."""
    return [
        JobOutcome(job=job.name, outcome=scheduled_job_run_if_due(job=job, now=now))
        for job in job_schedule
    ]
