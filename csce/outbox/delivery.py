"""Delivering from the outbox: one try at each message that is due, with back-off
between tries (policy M: a slow or silent mail server holds no visitor's request).

Below the task that runs it (``tasks``) and the writing side (``services``): delivering
schedules nothing itself; the task asks ``outbox_next_attempt_at`` when to come back.
"""

from __future__ import annotations

import base64
import datetime
import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import F, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from csce.common.registry import email_processor_declared

from .models import OutboxMessage, OutboxState

logger = logging.getLogger(__name__)


def message_rebuild(content: dict) -> EmailMultiAlternatives:
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


def delivery_error_text(exc: BaseException) -> str:
    """The class and SMTP code only: an exception's text may hold an address (a refused
    recipient's code is read from the refusal, never its address)."""
    code = getattr(exc, "smtp_code", None)
    if code is None and isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(reply[0]) for reply in exc.recipients.values() if reply})
        code = ",".join(codes) or None
    name = type(exc).__name__
    return f"{name} {code}" if code else name


def delivery_retry_delay(attempts: int) -> datetime.timedelta:
    """Back-off: OUTBOX_RETRY_SECONDS, then twice as long after each failed try."""
    return datetime.timedelta(seconds=settings.OUTBOX_RETRY_SECONDS * 2 ** max(0, attempts - 1))


# The reason kept on a message held back (no personal value): the words are on the screens.
PROVIDER_NOT_DECLARED = "EmailProviderNotDeclared"
PROVIDER_NOT_DECLARED_TEXT = _(
    "An e-mail provider is configured but not declared in the processors register: "
    "nothing is sent until the Privacy Officer adds it."
)


def delivery_through_provider() -> bool:
    """Whether messages leave through an outside e-mail provider (django-anymail) rather
    than SMTP to the centre's own host or the mail folder (the hosting company's)."""
    return bool(getattr(settings, "EMAIL_PROVIDER", "")) or str(
        settings.OUTBOX_DELIVERY_BACKEND
    ).startswith("anymail.")


def delivery_held() -> bool:
    """Policy F: a provider is configured, but the processors register does not declare
    an e-mail processor; nothing may be handed to it. Every delivery path asks here."""
    return delivery_through_provider() and not email_processor_declared()


def delivery_connection():
    """A connection of the delivery backend (SMTP with EMAIL_TIMEOUT, or the mail folder),
    not opened yet; the newsletter opens one for a whole batch."""
    return get_connection(settings.OUTBOX_DELIVERY_BACKEND, fail_silently=False)


def outbox_message_deliver(*, message_id: int, now: datetime.datetime | None = None) -> str:
    """One try at one message that is due; returns its state afterwards.

    The row is claimed with a conditional update, so two workers never send it twice."""
    now = now or timezone.now()
    if delivery_held():
        # Kept waiting, no try counted, due again after the first back-off.
        OutboxMessage.objects.filter(
            pk=message_id, state=OutboxState.QUEUED, next_attempt_at__lte=now
        ).update(next_attempt_at=now + delivery_retry_delay(1), last_error=PROVIDER_NOT_DECLARED)
        row = OutboxMessage.objects.filter(pk=message_id).only("state").first()
        return row.state if row else ""
    claimed = OutboxMessage.objects.filter(
        pk=message_id, state=OutboxState.QUEUED, next_attempt_at__lte=now
    ).update(state=OutboxState.SENDING, attempts=F("attempts") + 1, last_attempt_at=now)
    if not claimed:
        row = OutboxMessage.objects.filter(pk=message_id).only("state").first()
        return row.state if row else ""
    row = OutboxMessage.objects.get(pk=message_id)
    try:
        connection = delivery_connection()
        if connection.send_messages([message_rebuild(row.content)]) != 1:
            raise smtplib.SMTPException("not accepted")
    except Exception as exc:  # any fault of the mail server or the message is a failed try
        row.last_error = delivery_error_text(exc)
        if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            row.state = OutboxState.FAILED
            logger.warning(
                "outbox message %s failed after %s tries: %s", row.pk, row.attempts, row.last_error
            )
        else:
            row.state = OutboxState.QUEUED
            row.next_attempt_at = now + delivery_retry_delay(row.attempts)
            logger.info(
                "outbox message %s not sent (%s); next try %s",
                row.pk,
                row.last_error,
                row.next_attempt_at,
            )
        row.save(update_fields=["state", "next_attempt_at", "last_error"])
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


def outbox_next_attempt_at() -> datetime.datetime | None:
    """When the earliest message waiting for another try is due again."""
    return OutboxMessage.objects.filter(state=OutboxState.QUEUED).aggregate(
        at=Min("next_attempt_at")
    )["at"]
