"""The worker's task: a message whose try failed is tried again when it is due, without
waiting for the daily sweep (policy M: nothing is lost, nothing waits a day)."""

from __future__ import annotations

import socket

import pytest
from django.core.mail import EmailMessage
from django_tasks_db.models import DBTaskResult

from csce.outbox.models import OutboxMessage, OutboxState
from csce.outbox.services import message_enqueue
from csce.outbox.tasks import outbox_deliver_now

pytestmark = pytest.mark.django_db

DB_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "newsletter"]}
}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_failed_try_brings_the_task_back_when_the_next_try_is_due(settings):
    settings.TASKS = DB_TASKS
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _closed_port()
    row = message_enqueue(message=EmailMessage(subject="s", body="b", to=["lea@example.org"]))
    DBTaskResult.objects.all().delete()  # the enqueue's own task: this test runs it by hand

    assert outbox_deliver_now(message_ids=[row.pk]) == {OutboxState.QUEUED: 1}

    row.refresh_from_db()
    (retry,) = DBTaskResult.objects.all()
    assert retry.task_path == "csce.outbox.tasks.outbox_deliver"
    assert retry.run_after == row.next_attempt_at


def test_nothing_is_scheduled_when_every_message_went_out(settings):
    settings.TASKS = DB_TASKS
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    row = message_enqueue(message=EmailMessage(subject="s", body="b", to=["lea@example.org"]))
    DBTaskResult.objects.all().delete()

    assert outbox_deliver_now(message_ids=[row.pk]) == {OutboxState.SENT: 1}

    assert not DBTaskResult.objects.exists()
    assert OutboxMessage.objects.get(pk=row.pk).content is None
