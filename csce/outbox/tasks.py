"""The task the worker runs (django-tasks, the database backend: `manage.py db_worker`).

Between the writing side (``services``, which asks for a delivery) and the delivery
itself (``delivery``): the task delivers what is due, then comes back when the next
try is due, so a message that failed once is retried without waiting for the sweep.
"""

from __future__ import annotations

import datetime

from django_tasks import default_task_backend, task

from .delivery import outbox_deliver_due, outbox_next_attempt_at
from .models import OutboxState


def outbox_deliver_later(
    *, message_ids: list[int] | None = None, at: datetime.datetime | None = None
) -> None:
    """A task for the worker. The database task backend writes it in the current
    transaction, so the worker sees it with the messages, never before."""
    deliver = outbox_deliver
    if at is not None:
        if not default_task_backend.supports_defer:
            return  # the immediate backend of the tests: the next sweep retries
        deliver = outbox_deliver.using(run_after=at)
    deliver.enqueue(message_ids=message_ids)


def outbox_deliver_now(*, message_ids: list[int] | None = None) -> dict[str, int]:
    """Deliver what is due (or the messages named), then schedule the next retry."""
    counts = outbox_deliver_due(message_ids=message_ids)
    if counts.get(OutboxState.QUEUED):
        at = outbox_next_attempt_at()
        if at is not None:
            outbox_deliver_later(at=at)
    return counts


@task()
def outbox_deliver(message_ids: list[int] | None = None) -> dict[str, int]:
    return outbox_deliver_now(message_ids=message_ids)


def outbox_sweep() -> dict[str, int]:
    """The daily safety net (csce/common/schedule.py)."""
    return outbox_deliver_now()
