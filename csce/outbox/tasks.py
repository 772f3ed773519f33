"""The task the worker runs (django-tasks, the database backend: `manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task

from .services import outbox_deliver_due


@task()
def outbox_deliver(message_ids: list[int] | None = None) -> dict[str, int]:
    return outbox_deliver_due(message_ids=message_ids)
