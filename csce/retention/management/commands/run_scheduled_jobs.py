"""Run the jobs that are due (csce/common/schedule.py): the tick jobs (scheduled
publishing, policy C) at every call, the daily ones once a day. A timer calls it every
SCHEDULER_INTERVAL_MINUTES (5) on any number of nodes, or `make run` keeps it going with
--every."""

from __future__ import annotations

import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _

from csce.common.schedule import job_schedule
from csce.retention.scheduling import FAILED, NOT_DUE, SUCCEEDED, scheduled_jobs_run_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run each tick job, and each daily job that is due and that no node has run today; "
        "safe to run twice and on several nodes at once. --every MINUTES keeps running "
        "until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            nargs="?",
            const=settings.SCHEDULER_INTERVAL_MINUTES,
            default=None,
            metavar="MINUTES",
            help="Check again every MINUTES (default SCHEDULER_INTERVAL_MINUTES) until stopped.",
        )

    def handle(self, *args, every: int | None, **options):
        if every is None:
            if self.run_once(verbosity=options["verbosity"]):
                raise CommandError(_("At least one scheduled job failed."))
            return
        if every < 1:
            raise CommandError(_("--every takes a number of minutes, 1 or more."))
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_args: stop.set())
        self.run_every(minutes=every, stop=stop, verbosity=options["verbosity"])

    def run_every(self, *, minutes: int, stop: threading.Event, verbosity: int) -> None:
        failing = False
        while not stop.is_set():
            try:
                self.run_once(verbosity=verbosity)
            except DatabaseError:
                # The database cannot be read or written: try again at the next round,
                # without stopping the whole system; logged once, and once on recovery.
                if not failing:
                    logger.exception("Scheduled jobs could not run: the database failed.")
                failing = True
            else:
                if failing:
                    logger.warning("Scheduled jobs run again.")
                failing = False
            # No connection held open while sleeping (SQLite file, PostgreSQL slots).
            connections.close_all()
            stop.wait(minutes * 60)

    def run_once(self, *, verbosity: int) -> bool:
        """Run what is due; True when a job failed."""
        outcomes = scheduled_jobs_run_due()
        labels = {
            SUCCEEDED: _("done"),
            FAILED: _("FAILED (see the log)"),
        }
        for outcome in outcomes:
            every_tick = job_schedule.get(outcome.job).every_tick
            if outcome.outcome == SUCCEEDED and every_tick and verbosity < 2:
                continue  # a tick job's success, every few minutes, is not news
            if outcome.outcome in labels:
                self.stdout.write(f"{outcome.job}: {labels[outcome.outcome]}")
            elif verbosity > 1:
                if outcome.outcome == NOT_DUE:
                    label = _("not due yet")
                elif every_tick:
                    label = _("running on another node")
                else:
                    label = _("already run today")
                self.stdout.write(f"{outcome.job}: {label}")
        return any(outcome.outcome == FAILED for outcome in outcomes)
