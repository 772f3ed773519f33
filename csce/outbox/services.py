"""Writing to the outbox and delivering from it (policy M: a slow or silent mail server
never holds a visitor's request; nothing is lost: every message ends sent or failed,
and staff see the failures).

``message_enqueue`` is all that sending code needs; Django's and Wagtail's own mail
(password resets) reach it through ``OutboxBackend``, the site's EMAIL_BACKEND. The task
worker delivers through OUTBOX_DELIVERY_BACKEND (SMTP with EMAIL_TIMEOUT, or the mail
folder of the embedded default), retries with back-off, and marks the message failed
after OUTBOX_MAX_ATTEMPTS tries.
"""

from __future__ import annotations

import base64
import datetime
import logging
import smtplib
from collections.abc import Iterable
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from csce.common.crypto import blind_index

from .models import OutboxMessage, OutboxState

logger = logging.getLogger(__name__)


# --- writing ----------------------------------------------------------------------------


def _attachment(item) -> dict:
    if isinstance(item, MIMEBase):
        filename = item.get_filename() or ""
        content = item.get_payload(decode=True) or b""
        mimetype = item.get_content_type()
    else:
        filename, content, mimetype = item
    if isinstance(content, str):
        return {"filename": filename, "text": content, "mimetype": mimetype or ""}
    return {
        "filename": filename,
        "base64": base64.b64encode(content).decode("ascii"),
        "mimetype": mimetype or "",
    }


def _content(message: EmailMessage) -> dict:
    return {
        "from": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "subject": str(message.subject),
        "body": str(message.body),
        "subtype": message.content_subtype,
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "headers": {str(k): str(v) for k, v in message.extra_headers.items()},
        "attachments": [_attachment(item) for item in message.attachments],
    }


def _message_rebuild(content: dict) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=content["subject"],
        body=content["body"],
        from_email=content["from"],
        to=content["to"],
        cc=content["cc"],
        bcc=content["bcc"],
        reply_to=content["reply_to"],
        headers=content["headers"],
        alternatives=[tuple(pair) for pair in content["alternatives"]],
    )
    message.content_subtype = content["subtype"]
    for item in content["attachments"]:
        data = item["text"] if "text" in item else base64.b64decode(item["base64"])
        message.attach(item["filename"], data, item["mimetype"] or None)
    return message


def message_enqueue(
    *,
    message: EmailMessage,
    kind: str = "",
    reference: str = "",
    language: str = "",
    created_at: datetime.datetime | None = None,
) -> OutboxMessage:
    """Keep the message, encrypted, for the task worker; returns at once.

    Called inside the sender's transaction, the message exists exactly when the data it
    speaks of does (a rolled-back form sends nothing)."""
    return messages_enqueue(
        messages=[message], kind=kind, reference=reference, language=language, created_at=created_at
    )[0]


def messages_enqueue(
    *,
    messages: Iterable[EmailMessage],
    kind: str = "",
    reference: str = "",
    language: str = "",
    created_at: datetime.datetime | None = None,
) -> list[OutboxMessage]:
    now = created_at or timezone.now()
    rows = []
    for message in messages:
        recipients = list(message.recipients())
        if not recipients:
            continue
        rows.append(
            OutboxMessage(
                created_at=now,
                kind=kind,
                reference=reference,
                recipient_index=blind_index(message.to[0] if message.to else recipients[0]),
                recipients=recipients,
                content=_content(message),
                language=language or translation.get_language() or settings.LANGUAGE_CODE,
                next_attempt_at=now,
            )
        )
    with transaction.atomic():
        for row in rows:
            row.save(force_insert=True)
        if rows:
            _deliver_later(message_ids=[row.pk for row in rows])
    return rows


def _deliver_later(*, message_ids: list[int] | None = None, at=None) -> None:
    """A task for the worker. The database task backend writes it in the current
    transaction, so the worker sees it with the messages, never before."""
    from django_tasks import default_task_backend

    from .tasks import outbox_deliver

    task = outbox_deliver
    if at is not None:
        if not default_task_backend.supports_defer:
            return  # the immediate backend of the tests: the next sweep retries
        task = outbox_deliver.using(run_after=at)
    task.enqueue(message_ids=message_ids)


def outbox_recent_count(
    *, kind: str, email: str, since: datetime.datetime, exclude_failed: bool = False
) -> int:
    """Messages of one kind to one address since a moment, counted from the rows
    themselves (a cache may forget; the database does not)."""
    index = blind_index(email)
    if not index:
        return 0
    rows = OutboxMessage.objects.filter(kind=kind, recipient_index=index, created_at__gte=since)
    if exclude_failed:
        rows = rows.exclude(state=OutboxState.FAILED)
    return rows.count()


# --- delivering -------------------------------------------------------------------------


def _error_text(exc: BaseException) -> str:
    """The class and SMTP code only: an exception's text may hold an address."""
    code = getattr(exc, "smtp_code", None)
    name = type(exc).__name__
    return f"{name} {code}" if code else name


def _retry_delay(attempts: int) -> datetime.timedelta:
    """Back-off: OUTBOX_RETRY_SECONDS, then twice as long after each failed try."""
    return datetime.timedelta(seconds=settings.OUTBOX_RETRY_SECONDS * 2 ** max(0, attempts - 1))


def outbox_message_deliver(*, message_id: int, now: datetime.datetime | None = None) -> str:
    """One try at one message that is due; returns its state afterwards.

    The row is claimed with a conditional update, so two workers never send it twice."""
    now = now or timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id, state=OutboxState.QUEUED, next_attempt_at__lte=now
    ).update(state=OutboxState.SENDING, attempts=F("attempts") + 1, last_attempt_at=now)
    if not claimed:
        row = OutboxMessage.objects.filter(pk=message_id).only("state").first()
        return row.state if row else ""
    row = OutboxMessage.objects.get(pk=message_id)
    try:
        connection = get_connection(settings.OUTBOX_DELIVERY_BACKEND, fail_silently=False)
        if connection.send_messages([_message_rebuild(row.content)]) != 1:
            raise smtplib.SMTPException("not accepted")
    except Exception as exc:  # any fault of the mail server or the message is a failed try
        row.last_error = _error_text(exc)
        if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            row.state = OutboxState.FAILED
            logger.warning(
                "outbox message %s failed after %s tries: %s", row.pk, row.attempts, row.last_error
            )
        else:
            row.state = OutboxState.QUEUED
            row.next_attempt_at = now + _retry_delay(row.attempts)
            logger.info(
                "outbox message %s not sent (%s); next try %s",
                row.pk,
                row.last_error,
                row.next_attempt_at,
            )
        row.save(update_fields=["state", "next_attempt_at", "last_error"])
        if row.state == OutboxState.QUEUED:
            _deliver_later(at=row.next_attempt_at)
        return row.state
    # Policy F: once it has gone out, the site keeps no copy of what it said.
    OutboxMessage.objects.filter(pk=row.pk).update(
        state=OutboxState.SENT, sent_at=timezone.now(), content=None, recipients=None, last_error=""
    )
    return OutboxState.SENT


def outbox_deliver_due(
    *,
    message_ids: Iterable[int] | None = None,
    now: datetime.datetime | None = None,
    limit: int = 200,
) -> dict[str, int]:
    """Every message that is due (or those named), one try each; counts by state."""
    now = now or timezone.now()
    # A worker that died while sending left its message "sending": it is due again.
    stale = now - datetime.timedelta(seconds=3 * settings.EMAIL_TIMEOUT + 60)
    OutboxMessage.objects.filter(state=OutboxState.SENDING, last_attempt_at__lt=stale).update(
        state=OutboxState.QUEUED
    )
    due = OutboxMessage.objects.filter(state=OutboxState.QUEUED, next_attempt_at__lte=now)
    if message_ids is not None:
        due = due.filter(pk__in=list(message_ids))
    counts: dict[str, int] = {}
    for pk in list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]):
        state = outbox_message_deliver(message_id=pk, now=now)
        counts[state] = counts.get(state, 0) + 1
    return counts


def outbox_sweep() -> dict[str, int]:
    """The daily safety net (csce/common/schedule.py)."""
    return outbox_deliver_due()


def outbox_message_retry(*, message: OutboxMessage) -> bool:
    """Staff send a failed message again: a fresh series of tries, from now."""
    if message.state != OutboxState.FAILED or message.content is None:
        return False
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(pk=message.pk, state=OutboxState.FAILED).update(
            state=OutboxState.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
        if updated:
            _deliver_later(message_ids=[message.pk])
    return bool(updated)
