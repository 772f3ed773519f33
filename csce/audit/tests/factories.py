"""Plain helpers that build what the access log tests need."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

PASSWORD = "une phrase de passe assez longue"
_numbers = itertools.count(1)


def staff_member_create(*, may_read_log: bool = False, **fields):
    """A staff member who may use the admin, and read the access log when asked."""
    n = next(_numbers)
    fields.setdefault("username", f"agent{n}")
    fields.setdefault("email", f"agent{n}@example.org")
    fields.setdefault("first_name", "Agente")
    fields.setdefault("last_name", f"Numéro{n}")
    user = get_user_model().objects.create_user(password=PASSWORD, **fields)
    group, _ = Group.objects.get_or_create(
        name="Audit test readers" if may_read_log else "Audit test staff"
    )
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    if may_read_log:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="audit", codename="view_accesslogentry")
        )
    user.groups.add(group)
    return user


def admin_sign_in(client, user) -> None:
    """Sign in the way the admin requires: with a second factor where MFA is installed."""
    try:
        from csce.accounts.tests.conftest import staff_prepare, staff_session_verify
    except ImportError:  # before the accounts app's other gates: the second factor only
        from csce.accounts.testing import login_with_mfa

        login_with_mfa(client, user)
        return
    staff_prepare(user)
    staff_session_verify(client, user)


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
