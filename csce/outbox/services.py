"""Writing to the outbox; ``delivery`` sends, run by the task in ``tasks`` (policy M: a
slow or silent mail server never holds a visitor's request; nothing is lost: every
message ends sent or failed, and staff see the failures).

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
from collections.abc import Iterable
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation

from csce.common.crypto import blind_index

from .models import OutboxMessage, OutboxState
from .tasks import outbox_deliver_later

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
            outbox_deliver_later(message_ids=[row.pk for row in rows])
    return rows


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


def outbox_message_retry(*, message: OutboxMessage) -> bool:
    """Staff send a failed message again: a fresh series of tries, from now."""
    if message.state != OutboxState.FAILED or message.content is None:
        return False
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(pk=message.pk, state=OutboxState.FAILED).update(
            state=OutboxState.QUEUED, attempts=0, next_attempt_at=timezone.now(), last_error=""
        )
        if updated:
            outbox_deliver_later(message_ids=[message.pk])
    return bool(updated)
