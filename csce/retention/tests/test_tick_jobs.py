"""Tick jobs (scheduled publishing, policy C): run at every call of the scheduler, not
once a day; one node at a time; a dead node's lease is taken over within minutes."""

from __future__ import annotations

import datetime
import threading
import zoneinfo

import pytest
import time_machine
from django.db import connection

from csce.common.schedule import JobSchedule, ScheduledJob, job_schedule
from csce.retention.models import ScheduledJobRun
from csce.retention.scheduling import (
    FAILED,
    MAX_ATTEMPTS,
    SUCCEEDED,
    TAKEN,
    TICK_LOCK_TTL,
    scheduled_job_run_if_due,
)

TORONTO = zoneinfo.ZoneInfo("America/Toronto")


def at(hour: int, minute: int = 0, day: int = 27) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=TORONTO)


class Counter:
    def __init__(self, *, fail: bool = False):
        self.calls = 0
        self.fail = fail

    def __call__(self) -> None:
        self.calls += 1
        if self.fail:
            raise RuntimeError("jean@example.org")


def test_a_job_is_daily_or_every_tick_never_both_nor_neither():
    with pytest.raises(ValueError, match="a time of day or every_tick"):
        ScheduledJob(name="test_neither", func=Counter())
    with pytest.raises(ValueError, match="a time of day or every_tick"):
        ScheduledJob(name="test_both", at=datetime.time(3), every_tick=True, func=Counter())


def test_tick_jobs_run_before_the_daily_ones():
    schedule = JobSchedule()
    schedule.register(ScheduledJob(name="a_daily", at=datetime.time(0), func=Counter()))
    schedule.register(ScheduledJob(name="z_tick", every_tick=True, func=Counter()))
    assert [job.name for job in schedule] == ["z_tick", "a_daily"]


def test_publish_scheduled_is_registered_every_tick():
    assert job_schedule.get("publish_scheduled").every_tick
    assert job_schedule.get("publish_scheduled").command == "publish_scheduled"


@pytest.mark.django_db
def test_a_tick_job_runs_at_every_call_at_any_hour():
    counter = Counter()
    job = ScheduledJob(name="test_tick", every_tick=True, func=counter)
    for hour, minute in ((0, 1), (0, 6), (9, 0), (23, 55)):
        with time_machine.travel(at(hour, minute), tick=False):
            assert scheduled_job_run_if_due(job=job) == SUCCEEDED
    assert counter.calls == 4
    run = ScheduledJobRun.objects.get(job="test_tick")
    assert (run.status, run.attempts, run.locked_until) == (SUCCEEDED, 4, None)


@pytest.mark.django_db
def test_a_failing_tick_job_is_tried_again_at_every_tick_without_a_daily_cap():
    counter = Counter(fail=True)
    job = ScheduledJob(name="test_tick_failing", every_tick=True, func=counter)
    for minute in range(MAX_ATTEMPTS + 2):
        with time_machine.travel(at(10, minute * 5), tick=False):
            assert scheduled_job_run_if_due(job=job) == FAILED
    assert counter.calls == MAX_ATTEMPTS + 2
    counter.fail = False
    with time_machine.travel(at(11), tick=False):
        assert scheduled_job_run_if_due(job=job) == SUCCEEDED
    run = ScheduledJobRun.objects.get(job="test_tick_failing")
    assert run.error == ""  # and never the exception's message


@pytest.mark.django_db
def test_a_lease_whose_node_died_is_taken_over_after_minutes():
    counter = Counter()
    job = ScheduledJob(name="test_tick_crashed", every_tick=True, func=counter)
    ScheduledJobRun.objects.create(
        job="test_tick_crashed",
        day=datetime.date(2026, 11, 27),
        status=ScheduledJobRun.Status.RUNNING,
        holder="dead-node",
        locked_until=at(9) + TICK_LOCK_TTL,
        started_at=at(9),
    )
    with time_machine.travel(at(9) + TICK_LOCK_TTL - datetime.timedelta(minutes=1), tick=False):
        assert scheduled_job_run_if_due(job=job) == TAKEN
    assert counter.calls == 0
    with time_machine.travel(at(9) + TICK_LOCK_TTL + datetime.timedelta(minutes=1), tick=False):
        assert scheduled_job_run_if_due(job=job) == SUCCEEDED
    assert counter.calls == 1


@pytest.mark.django_db(transaction=True)
def test_two_nodes_at_once_do_not_both_run_a_tick_job_and_the_next_tick_does():
    started, release = threading.Event(), threading.Event()
    calls = []

    def slow_job() -> None:
        calls.append(threading.current_thread().name)
        started.set()
        release.wait(10)

    job = ScheduledJob(name="test_tick_slow", every_tick=True, func=slow_job)
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
        results["second"] = scheduled_job_run_if_due(job=job)
    finally:
        release.set()
        thread.join(10)
    assert results == {"first": SUCCEEDED, "second": TAKEN}
    assert calls == ["first"]
    # The run finished: the next tick, on any node, runs it again.
    release.set()
    assert scheduled_job_run_if_due(job=job) == SUCCEEDED
    assert len(calls) == 2
