"""The schedule registry: each app declares its daily jobs once."""

from __future__ import annotations

import datetime

import pytest

from csce.common.schedule import JobSchedule, ScheduledJob


def test_a_job_names_a_command_or_a_function_not_both():
    with pytest.raises(ValueError, match="needs a command or a func"):
        ScheduledJob(name="x", at=datetime.time(3))
    with pytest.raises(ValueError, match="needs a command or a func"):
        ScheduledJob(name="x", at=datetime.time(3), command="check", func=print)


def test_jobs_come_in_order_of_their_time_and_names_are_unique():
    schedule = JobSchedule()
    late = schedule.register(ScheduledJob(name="late", at=datetime.time(4), func=print))
    early = schedule.register(ScheduledJob(name="early", at=datetime.time(2), func=print))
    schedule.register(ScheduledJob(name="early", at=datetime.time(2), func=print))  # same: fine
    assert list(schedule) == [early, late]
    with pytest.raises(ValueError, match="is registered"):
        schedule.register(ScheduledJob(name="early", at=datetime.time(5), func=print))


def test_a_command_job_calls_the_management_command(monkeypatch):
    called = []
    monkeypatch.setattr("csce.common.schedule.call_command", lambda name: called.append(name))
    ScheduledJob(name="purge", at=datetime.time(3), command="purge_expired_data").run()
    assert called == ["purge_expired_data"]
