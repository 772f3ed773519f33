"""The scheduler's loop (`make run`): a database that fails does not stop the system, and
is logged once when it fails and once when it works again, not at every round."""

import logging

from django.db import OperationalError

from csce.retention.management.commands.run_scheduled_jobs import Command


class _Rounds:
    """Stands for the stop event: a number of rounds, without waiting between them."""

    def __init__(self, rounds: int):
        self.left = rounds

    def is_set(self) -> bool:
        return self.left <= 0

    def wait(self, timeout: float) -> None:
        self.left -= 1


def test_a_failing_database_is_logged_once_and_its_recovery_once(monkeypatch, caplog):
    results = [OperationalError("database or disk is full")] * 4 + [False] * 3
    rounds = []

    def run_once(self, *, verbosity):
        result = results[len(rounds)]
        rounds.append(result)
        if isinstance(result, Exception):
            raise result
        return result

    monkeypatch.setattr(Command, "run_once", run_once)
    caplog.set_level(logging.INFO, logger="csce.retention")

    Command().run_every(minutes=1, stop=_Rounds(len(results)), verbosity=1)

    assert len(rounds) == len(results)  # kept running through the failures
    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        "Scheduled jobs could not run: the database failed.",
        "Scheduled jobs run again.",
    ]
