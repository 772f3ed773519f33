"""Daily jobs: due at their time of day, run once a day across nodes, retried on failure."""

from __future__ import annotations

import datetime
import threading
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from csce.common.schedule import ScheduledJob, job_schedule
from csce.retention.models import ScheduledJobRun
from csce.retention.scheduling import (
    FAILED,
    MAX_ATTEMPTS,
    NOT_DUE,
    RUN_LOCK_TTL,
    SUCCEEDED,
    TAKEN,
    scheduled_job_run_if_due,
)

TORONTO = zoneinfo.ZoneInfo("America/Toronto")


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=TORONTO)


class Counter:
    def __init__(self, *, fail: bool = False):
        self.calls = 0
        self.fail = fail

    def __call__(self) -> None:
        self.calls += 1
        if self.fail:
            raise RuntimeError("jean@example.org")


@pytest.mark.django_db
def test_a_job_runs_once_a_day_at_or_after_its_time():
    counter = Counter()
    job = ScheduledJob(name="test_daily", at=datetime.time(3, 0), func=counter)
    with time_machine.travel(at(27, 2, 59), tick=False):
        assert scheduled_job_run_if_due(job=job) == NOT_DUE
    with time_machine.travel(at(27, 3, 5), tick=False):
        assert scheduled_job_run_if_due(job=job) == SUCCEEDED
    with time_machine.travel(at(27, 23, 50), tick=False):
        assert scheduled_job_run_if_due(job=job) == TAKEN
    assert counter.calls == 1
    with time_machine.travel(at(28, 3, 0), tick=False):
        assert scheduled_job_run_if_due(job=job) == SUCCEEDED
        assert scheduled_job_run_if_due(job=job) == TAKEN
    assert counter.calls == 2
    runs = ScheduledJobRun.objects.filter(job="test_daily").order_by("day")
    assert [(r.day.isoformat(), r.status) for r in runs] == [
        ("2026-11-27", SUCCEEDED),
        ("2026-11-28", SUCCEEDED),
    ]


@pytest.mark.django_db
def test_the_day_is_the_local_day_not_utc():
    counter = Counter()
    job = ScheduledJob(name="test_late", at=datetime.time(21, 0), func=counter)
    # 21:30 in Toronto is 02:30 UTC the next day: still one run for the 27th.
    with time_machine.travel(at(27, 21, 30), tick=False):
        assert scheduled_job_run_if_due(job=job) == SUCCEEDED
    assert ScheduledJobRun.objects.get(job="test_late").day == datetime.date(2026, 11, 27)


@pytest.mark.django_db
def test_a_failed_job_is_retried_a_few_times_then_left_for_tomorrow(caplog):
    counter = Counter(fail=True)
    job = ScheduledJob(name="test_failing", at=datetime.time(3, 0), func=counter)
    with time_machine.travel(at(27, 4), tick=False):
        outcomes = [scheduled_job_run_if_due(job=job) for _ in range(MAX_ATTEMPTS + 2)]
    assert outcomes == [FAILED] * MAX_ATTEMPTS + [TAKEN, TAKEN]
    run = ScheduledJobRun.objects.get(job="test_failing")
    assert run.attempts == MAX_ATTEMPTS
    assert run.error == "RuntimeError"
    # Never the message: it could quote personal data.
    assert "jean@example.org" not in caplog.text


@pytest.mark.django_db
def test_a_run_whose_node_died_is_taken_over_after_its_lock_expires():
    job = ScheduledJob(name="test_crashed", at=datetime.time(3, 0), func=Counter())
    ScheduledJobRun.objects.create(
        job="test_crashed",
        day=datetime.date(2026, 11, 27),
        status=ScheduledJobRun.Status.RUNNING,
        holder="dead-node",
        locked_until=at(27, 3) + RUN_LOCK_TTL,
        started_at=at(27, 3),
    )
    with time_machine.travel(at(27, 4), tick=False):
        assert scheduled_job_run_if_due(job=job) == TAKEN
    with time_machine.travel(at(27, 5, 1), tick=False):
        assert scheduled_job_run_if_due(job=job) == SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_do_not_both_run_a_job():
    started, release = threading.Event(), threading.Event()
    calls = []

    def slow_job() -> None:
        calls.append(threading.current_thread().name)
        started.set()
        release.wait(10)

    job = ScheduledJob(name="test_slow", at=datetime.time(0, 0), func=slow_job)
    results = {}

    def first_node() -> None:
        try:
            results["first"] = scheduled_job_run_if_due(job=job)
        finally:
            connection.close()

    thread = threading.Thread(target=first_node, name="first")
    thread.start()
    try:
        assert started.wait(10)
        # The first run is still going: a second timer on another node skips the job.
        results["second"] = scheduled_job_run_if_due(job=job)
    finally:
        release.set()
        thread.join(10)
    assert results == {"first": SUCCEEDED, "second": TAKEN}
    assert calls == ["first"]


def test_the_daily_jobs_are_registered():
    names = {job.name for job in job_schedule}
    assert {"purge_expired_data", "disable_dormant_accounts", "access_log_anchor"} <= names


@pytest.mark.django_db
def test_the_command_runs_the_due_jobs_once(capsys):
    with time_machine.travel(at(27, 12), tick=False):
        call_command("run_scheduled_jobs")
        first = capsys.readouterr().out
        call_command("run_scheduled_jobs")
        second = capsys.readouterr().out
    assert "purge_expired_data" in first
    assert "disable_dormant_accounts" in first
    assert second == ""
    succeeded = ScheduledJobRun.objects.filter(status=SUCCEEDED).values_list("job", flat=True)
    assert {"purge_expired_data", "disable_dormant_accounts"} <= set(succeeded)
