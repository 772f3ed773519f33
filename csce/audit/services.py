"""The one API through which every app writes to the access log."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .models import AccessAction, AccessLogEntry, AccessLogHead

GENESIS = "0" * 64
HEAD_PK = 1


def canonical_time(value: datetime.datetime) -> str:
    """The one textual form of an entry's time that is hashed: UTC, microseconds."""
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def key_id(key: str) -> str:
    """The short name an entry records for the key that signed it: not the key itself."""
    return hashlib.sha256(key.encode()).hexdigest()[:8]


def access_log_keys() -> dict[str, bytes]:
    """Every key this server can verify with, by key id: the current one first.

    The keys live outside the database (ACCESS_LOG_KEY, ACCESS_LOG_KEY_FALLBACKS), so
    that write access to the database is not enough to re-sign a rewritten chain.
    """
    keys = [settings.ACCESS_LOG_KEY, *settings.ACCESS_LOG_KEY_FALLBACKS]
    return {key_id(key): key.encode() for key in keys if key}


def entry_digest(*, previous_hash: str, fields: dict[str, Any], key: bytes | None) -> str:
    """HMAC-SHA256 with ``key`` over the previous entry's hash and this entry's fields.

    ``key=None`` is the unkeyed SHA-256 of entries written before the log was keyed
    (their ``key_id`` is empty); the verifier accepts them only before the first keyed entry.
    """
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    message = f"{previous_hash}|{payload}".encode()
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def entry_fields(
    *,
    created_at: datetime.datetime,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    details: dict[str, Any],
    key_id: str = "",
) -> dict[str, Any]:
    """The fields an entry's hash covers, in the form both the writer and the verifier use.

    A keyed entry's key id is covered too; legacy entries (no key id) keep their old form.
    """
    fields = {
        "created_at": canonical_time(created_at),
        "actor_id": actor_id,
        "action": str(action),
        "object_type": object_type,
        "object_id": str(object_id),
        "details": details,
    }
    if key_id:
        fields["key_id"] = key_id
    return fields


def _locked_head() -> AccessLogHead:
    # The row exists from migration 0002; it is created again after a test-database flush.
    head, _created = AccessLogHead.objects.select_for_update().get_or_create(
        pk=HEAD_PK, defaults={"last_hash": GENESIS}
    )
    return head


def access_log_record(
    *,
    action: AccessAction | str,
    actor=None,
    object_type: str = "",
    object_id: str | int = "",
    details: dict[str, Any] | None = None,
) -> AccessLogEntry:
    """Append one entry. ``actor`` is a user (or None for the system / anonymous).

    ``details`` must never contain personal data: counts, field names, reasons, ids.
    """
    actor_id = getattr(actor, "pk", actor) if actor is not None else None
    # Stored exactly as it will be read back, so that the hash can be recomputed.
    details = json.loads(json.dumps(details or {}, cls=DjangoJSONEncoder))
    with transaction.atomic():
        # Policy F (tamper-evident): one writer at a time, so the chain never forks.
        head = _locked_head()
        now = timezone.now()
        current_key_id, key = next(iter(access_log_keys().items()))
        fields = entry_fields(
            created_at=now,
            actor_id=actor_id,
            action=str(action),
            object_type=object_type,
            object_id=str(object_id),
            details=details,
            key_id=current_key_id,
        )
        entry = AccessLogEntry.objects.create(
            created_at=now,
            actor_id=actor_id,
            action=fields["action"],
            object_type=object_type,
            object_id=fields["object_id"],
            details=details,
            previous_hash=head.last_hash,
            key_id=current_key_id,
            entry_hash=entry_digest(previous_hash=head.last_hash, fields=fields, key=key),
        )
        AccessLogHead.objects.filter(pk=HEAD_PK).update(
            last_entry_id=entry.pk, last_hash=entry.entry_hash
        )
        return entry
