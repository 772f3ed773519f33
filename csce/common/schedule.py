"""The schedule of jobs: management commands that a timer runs and that the worker can
also schedule, declared in a registry rather than a list that names every app.

Each app declares its jobs here from its own ``apps.py``; ``run_scheduled_jobs``
(csce/retention) runs the daily ones that are due, once a day across every node, and the
tick ones (``every_tick``: scheduled publishing, policy C) at each of its runs, on one
node at a time.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.management import call_command


@dataclass(frozen=True)
class ScheduledJob:
    """A job run once a day, at or after ``at`` (local time, settings.TIME_ZONE), or, with
    ``every_tick`` and no ``at``, at every run of the scheduler (every
    SCHEDULER_INTERVAL_MINUTES), on one node at a time.

    ``command`` names a management command; ``func`` is a callable taking no arguments
    (a function or a django-tasks task's ``call``). Give one of them. Either must be safe
    to run twice and on two nodes at once.
    """

    name: str
    at: datetime.time | None = None
    command: str = ""
    func: Callable[[], object] | None = None
    every_tick: bool = False

    def __post_init__(self) -> None:
        if bool(self.command) == (self.func is not None):
            raise ValueError(f"Scheduled job {self.name!r} needs a command or a func, not both.")
        # Explicit both ways: a daily job that forgot its time must not run every tick.
        if self.every_tick == (self.at is not None):
            raise ValueError(f"Scheduled job {self.name!r} needs a time of day or every_tick.")

    def run(self) -> None:
        if self.command:
            call_command(self.command)
        else:
            self.func()


class JobSchedule:
    def __init__(self) -> None:
        self._jobs: dict[str, ScheduledJob] = {}

    def register(self, job: ScheduledJob) -> ScheduledJob:
        if job.name in self._jobs and self._jobs[job.name] != job:
            raise ValueError(f"A scheduled job named {job.name!r} is registered.")
        self._jobs[job.name] = job
        return job

    def unregister(self, name: str) -> None:
        self._jobs.pop(name, None)

    def get(self, name: str) -> ScheduledJob:
        return self._jobs[name]

    def __iter__(self) -> Iterator[ScheduledJob]:
        # Tick jobs first: a go-live time is not held up by a long daily job.
        return iter(
            sorted(
                self._jobs.values(),
                key=lambda job: (not job.every_tick, job.at or datetime.time.min, job.name),
            )
        )

    def __len__(self) -> int:
        return len(self._jobs)


job_schedule = JobSchedule()
