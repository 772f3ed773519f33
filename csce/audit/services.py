"""The one API through which every app writes to the access log."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import AccessAction, AccessLogEntry

GENESIS = "0" * 64


def entry_digest(*, previous_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 over the previous entry's hash and this entry's canonical fields."""
    payload = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{previous_hash}|{payload}".encode()).hexdigest()


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
    with transaction.atomic():
        last = AccessLogEntry.objects.select_for_update().order_by("-pk").first()
        previous_hash = last.entry_hash if last else GENESIS
        fields = {
            "created_at": timezone.now().isoformat(),
            "actor_id": getattr(actor, "pk", actor) if actor is not None else None,
            "action": str(action),
            "object_type": object_type,
            "object_id": str(object_id),
            "details": details or {},
        }
        return AccessLogEntry.objects.create(
            created_at=fields["created_at"],
            actor_id=fields["actor_id"],
            action=fields["action"],
            object_type=object_type,
            object_id=fields["object_id"],
            details=fields["details"],
            previous_hash=previous_hash,
            entry_hash=entry_digest(previous_hash=previous_hash, fields=fields),
        )
