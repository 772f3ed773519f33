"""What the outbox declares in the personal-data registry (csce/common/registry.py).

Two stores: the outbox rows (recipients and message encrypted, content wiped once sent,
rows kept OUTBOX_RECORD_DAYS), and, in the embedded default, the mail folder where the
file backend writes each delivered message as an .eml file in clear (policy F, M).
"""

from __future__ import annotations

import datetime
import email
import email.policy
from email.utils import getaddresses
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from csce.common.crypto import blind_index, normalise_email
from csce.common.registry import PersonalDataSource, PersonalRecord

from .models import OUTBOX_RECORD_DAYS, OutboxMessage, OutboxState

OUTBOX_KEY = "outbox"
MAIL_FOLDER_KEY = "mail_folder"
FILE_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


def _rows(email_address: str):
    index = blind_index(email_address)
    if not index:
        return OutboxMessage.objects.none()
    return OutboxMessage.objects.filter(recipient_index=index).order_by("pk")


def outbox_find(*, email: str) -> list[PersonalRecord]:
    return [
        PersonalRecord(
            source=OUTBOX_KEY,
            object_type="outbox.outboxmessage",
            object_id=str(row.pk),
            created_at=row.created_at,
            summary=f"{row.kind or 'e-mail'} — {row.get_state_display()}",
        )
        for row in _rows(email)
    ]


def outbox_erase(*, email: str, actor=None) -> int:
    return _rows(email).delete()[0]


def outbox_purge(*, now: datetime.datetime, batch_size: int) -> int:
    """Rows older than OUTBOX_RECORD_DAYS (a message being sent right now waits), and the
    content of any sent message that still has some."""
    limit = now - datetime.timedelta(days=OUTBOX_RECORD_DAYS)
    old = OutboxMessage.objects.filter(created_at__lt=limit).exclude(state=OutboxState.SENDING)
    deleted = 0
    while ids := list(old.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            deleted += OutboxMessage.objects.filter(pk__in=ids).delete()[0]
    OutboxMessage.objects.filter(state=OutboxState.SENT, content__isnull=False).update(
        content=None, recipients=None
    )
    return deleted


def outbox_oldest() -> datetime.datetime | None:
    return OutboxMessage.objects.aggregate(oldest=Min("created_at"))["oldest"]


# --- the mail folder of the embedded default ---------------------------------------------


def _mail_files() -> list[Path]:
    if settings.OUTBOX_DELIVERY_BACKEND != FILE_BACKEND:
        return []
    folder = getattr(settings, "EMAIL_FILE_PATH", None)
    if not folder or not Path(folder).is_dir():
        return []
    return sorted(p for p in Path(folder).iterdir() if p.is_file() and p.suffix in {".log", ".eml"})


def _modified(path: Path) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)


def _addressed_to(path: Path, address: str) -> bool:
    with path.open("rb") as stream:
        message = email.message_from_binary_file(stream, policy=email.policy.default)
    headers = [str(v) for name in ("To", "Cc") for v in message.get_all(name, [])]
    return any(normalise_email(addr) == address for _name, addr in getaddresses(headers))


def mail_folder_find(*, email: str) -> list[PersonalRecord]:
    address = normalise_email(email)
    return [
        PersonalRecord(
            source=MAIL_FOLDER_KEY,
            object_type="mail_file",
            object_id=path.name,
            created_at=_modified(path),
            summary=str(_("E-mail message")),
        )
        for path in _mail_files()
        if address and _addressed_to(path, address)
    ]


def mail_folder_erase(*, email: str, actor=None) -> int:
    address = normalise_email(email)
    erased = 0
    for path in _mail_files():
        if address and _addressed_to(path, address):
            path.unlink(missing_ok=True)
            erased += 1
    return erased


def mail_folder_purge(*, now: datetime.datetime, batch_size: int) -> int:
    limit = now - datetime.timedelta(days=OUTBOX_RECORD_DAYS)
    deleted = 0
    for path in _mail_files():
        if _modified(path) < limit:
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def mail_folder_oldest() -> datetime.datetime | None:
    files = _mail_files()
    return min((_modified(p) for p in files), default=None)


OUTBOX_SOURCE = PersonalDataSource(
    key=OUTBOX_KEY,
    label=_("Outgoing e-mail"),
    purpose=_("Sending the e-mails the site writes: confirmations, links, replies."),
    retention=format_lazy(
        _("Until sent (the text is then deleted); the record that it was sent, {days} days."),
        days=OUTBOX_RECORD_DAYS,
    ),
    find=outbox_find,
    erase=outbox_erase,
    purge_expired=outbox_purge,
    oldest=outbox_oldest,
    models=("outbox.OutboxMessage",),
    retention_days=OUTBOX_RECORD_DAYS,
)

MAIL_FOLDER_SOURCE = PersonalDataSource(
    key=MAIL_FOLDER_KEY,
    label=_("Mail folder (embedded installation)"),
    purpose=_("Copies of the e-mails sent, when the site writes them to a folder."),
    retention=format_lazy(_("{days} days."), days=OUTBOX_RECORD_DAYS),
    find=mail_folder_find,
    erase=mail_folder_erase,
    purge_expired=mail_folder_purge,
    oldest=mail_folder_oldest,
    retention_days=OUTBOX_RECORD_DAYS,
)
