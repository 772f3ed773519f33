"""The one API through which every app writes to the access log."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .models import AccessAction, AccessLogEntry, AccessLogHead

GENESIS = "0" * 64
HEAD_PK = 1


def canonical_time(value: datetime.datetime) -> str:
    """The one textual form of an entry's time that is hashed: UTC, microseconds."""
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def entry_digest(*, previous_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous entry's hash and this entry's canonical fields."""
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{previous_hash}|{payload}".encode()).hexdigest()


def entry_fields(
    *,
    created_at: datetime.datetime,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    details: dict[str, Any],
) -> dict[str, Any]:
    """The fields an entry's hash covers, in the form both the writer and the verifier use."""
    return {
        "created_at": canonical_time(created_at),
        "actor_id": actor_id,
        "action": str(action),
        "object_type": object_type,
        "object_id": str(object_id),
        "details": details,
    }


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
        fields = entry_fields(
            created_at=now,
            actor_id=actor_id,
            action=str(action),
            object_type=object_type,
            object_id=str(object_id),
            details=details,
        )
        entry = AccessLogEntry.objects.create(
            created_at=now,
            actor_id=actor_id,
            action=fields["action"],
            object_type=object_type,
            object_id=fields["object_id"],
            details=details,
            previous_hash=head.last_hash,
            entry_hash=entry_digest(previous_hash=head.last_hash, fields=fields),
        )
        AccessLogHead.objects.filter(pk=HEAD_PK).update(
            last_entry_id=entry.pk, last_hash=entry.entry_hash
        )
        return entry
