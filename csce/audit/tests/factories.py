"""Plain helpers that build what the access log tests need."""

from __future__ import annotations

from csce.accounts.factories import PASSWORD as PASSWORD
from csce.audit.factories import admin_sign_in as admin_sign_in
from csce.audit.factories import staff_member_create as staff_member_create


def chain_rewrite(*, key: bytes | None, new_key_id: str, edit: dict | None = None) -> None:
    """What an attacker with write access to the database does: edit an entry in SQL and
    recompute every hash (and the head), with ``key`` or, without it, plain SHA-256;
    each entry then records ``new_key_id`` ("" is the legacy, unkeyed form)."""
    from django.db import connection

    from csce.audit.models import AccessLogEntry
    from csce.audit.services import GENESIS, entry_digest, entry_fields

    table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
    previous = GENESIS
    with connection.cursor() as cursor:
        for entry in AccessLogEntry.objects.order_by("pk"):
            if edit and entry.pk == edit["pk"]:
                entry.object_id = edit["object_id"]
            fields = entry_fields(
                created_at=entry.created_at,
                actor_id=entry.actor_id,
                action=entry.action,
                object_type=entry.object_type,
                object_id=entry.object_id,
                details=entry.details,
                key_id=new_key_id,
            )
            digest = entry_digest(previous_hash=previous, fields=fields, key=key)
            cursor.execute(
                f"UPDATE {table} SET object_id = %s, key_id = %s, previous_hash = %s, "  # noqa: S608
                "entry_hash = %s WHERE id = %s",
                [entry.object_id, new_key_id, previous, digest, entry.pk],
            )
            previous = digest
        head = connection.ops.quote_name("audit_accessloghead")
        cursor.execute(f"UPDATE {head} SET last_hash = %s", [previous])  # noqa: S608


def log_emptied() -> None:
    """Remove every entry in SQL (the models refuse to), as on a log not yet started."""
    from django.db import connection

    from csce.audit.models import AccessLogEntry, AccessLogHead
    from csce.audit.services import GENESIS

    table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    AccessLogHead.objects.update_or_create(
        pk=1, defaults={"last_entry_id": None, "last_hash": GENESIS}
    )


def legacy_entry_create(*, action: str = "sign_in", object_id: str = ""):
    """An entry as written before the log was keyed: plain SHA-256, empty key id."""
    from django.utils import timezone

    from csce.audit.models import AccessLogEntry, AccessLogHead
    from csce.audit.services import GENESIS, entry_digest, entry_fields

    head, _ = AccessLogHead.objects.get_or_create(pk=1, defaults={"last_hash": GENESIS})
    now = timezone.now()
    fields = entry_fields(
        created_at=now,
        actor_id=None,
        action=action,
        object_type="auth.user",
        object_id=object_id,
        details={},
    )
    entry = AccessLogEntry.objects.create(
        created_at=now,
        action=action,
        object_type="auth.user",
        object_id=object_id,
        details={},
        previous_hash=head.last_hash,
        entry_hash=entry_digest(previous_hash=head.last_hash, fields=fields, key=None),
    )
    AccessLogHead.objects.filter(pk=1).update(last_entry_id=entry.pk, last_hash=entry.entry_hash)
    return entry
