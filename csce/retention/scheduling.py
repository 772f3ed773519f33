"""Run the daily jobs that are due, once a day across every node (policy M: every job is
safe to run twice and on two nodes at once; the schedule itself makes twice rare).

A job is due when the local time has reached its ``at`` and no node has run it today.
The first node to create the job's (job, day) row runs it; creating that row is atomic
on SQLite and PostgreSQL alike, so two nodes or two timers at once never both run it.

A tick job (``every_tick``, such as ``publish_scheduled``, policy C) runs at every call,
on one node at a time: the same (job, day) row is its lease. A call takes it when no run
holds it (or the holder's lease of TICK_LOCK_TTL passed: its node died or restarted);
a second node calling meanwhile is told TAKEN and the next tick runs it again.
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
# A tick job takes seconds; a lease whose node died is taken over after this, so a
# restart delays go-live times by minutes, not hours (policy C).
TICK_LOCK_TTL = datetime.timedelta(minutes=10)

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
    locked_until = now + (TICK_LOCK_TTL if job.every_tick else RUN_LOCK_TTL)
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
    if job.every_tick:
        # Today's row is a lease: free once the last tick finished (whatever its outcome)
        # or once its node died; ``attempts`` counts today's runs.
        free = ~Q(status=ScheduledJobRun.Status.RUNNING) | Q(locked_until__lt=now)
    else:
        # Today's row exists: take it over only if its run failed or its node died.
        free = Q(status=ScheduledJobRun.Status.FAILED, attempts__lt=MAX_ATTEMPTS) | Q(
            status=ScheduledJobRun.Status.RUNNING, locked_until__lt=now
        )
    taken = (
        ScheduledJobRun.objects.filter(job=job.name, day=day)
        .filter(free)
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
    """Run ``job`` if it is due and no node has run it today (a tick job: if no node runs
    it now); returns the outcome."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if not job.every_tick and local.time() < job.at:
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
    # A tick job runs every few minutes: its success is a debug line, its failure an error.
    logger.log(logging.DEBUG if job.every_tick else logging.INFO, "scheduled job %s done", job.name)
    return SUCCEEDED


def scheduled_jobs_run_due(*, now: datetime.datetime | None = None) -> list[JobOutcome]:
    """Run every registered job that is due: the tick jobs, then the daily ones in the
    order of their time of day."""
    return [
        JobOutcome(job=job.name, outcome=scheduled_job_run_if_due(job=job, now=now))
        for job in job_schedule
    ]
