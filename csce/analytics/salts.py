"""The day and its random salt, which the visitor hash is keyed with (policy P4, P5).

The day's salt is random, stored only for its day and deleted at rotation
(``salt_rotate``), so no one, us included, can link a hash to an address afterwards.
Below both ``collection`` (which hashes with it) and ``recorder`` (whose loop drops a
finished day's salt from memory).
"""

from __future__ import annotations

import datetime
import secrets
import threading

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .models import DailySalt

_salt_lock = threading.RLock()
_salts: dict[datetime.date, bytes] = {}  # this process's copy: today's salt only


def local_day(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


def salt_for(day: datetime.date) -> bytes:
    """Today's salt, created at random on first use; older ones are destroyed then."""
    salt = _salts.get(day)
    if salt is not None:
        return salt
    with _salt_lock:
        salt = _salts.get(day)
        if salt is not None:
            return salt
        row = DailySalt.objects.filter(day=day).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = DailySalt.objects.create(day=day, salt=secrets.token_bytes(32))
            except IntegrityError:  # another process created it first
                row = DailySalt.objects.get(day=day)
            salts_destroy(before=day)
        _salts.clear()
        _salts[day] = bytes(row.salt)
        return _salts[day]


def salts_forget(*, before: datetime.date) -> None:
    """Drop this process's copy of any salt older than ``before``."""
    with _salt_lock:
        for day in [d for d in _salts if d < before]:
            del _salts[day]


def salts_destroy(*, before: datetime.date) -> int:
    """Delete every salt of a day before ``before``, here and in the database.

    SQLite overwrites deleted rows (``secure_delete``, settings); PostgreSQL keeps a
    deleted row's bytes until VACUUM, which runs here when outside a transaction.
    """
    salts_forget(before=before)
    deleted, _ = DailySalt.objects.filter(day__lt=before).delete()
    if deleted and connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {DailySalt._meta.db_table}")
    return deleted


def salt_rotate(now: datetime.datetime | None = None) -> int:
    """The daily job: today's salt exists, every older one is gone. Safe to run twice."""
    today = local_day(now)
    destroyed = salts_destroy(before=today)
    salt_for(today)
    return destroyed
