"""A lock that every node of the site shares through the database (policy M: every
scheduled job is safe to run twice and on two nodes at once).

Taking the lock is a single conditional UPDATE, atomic on SQLite and PostgreSQL alike;
an expiry frees a lock whose holder died, so a crashed run never blocks the next day's.
"""

from __future__ import annotations

import contextlib
import datetime
import uuid
from collections.abc import Iterator

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import JobLock


class JobLocked(Exception):
    """Another run of the same job holds the lock."""


def job_lock_acquire(*, name: str, ttl: datetime.timedelta) -> str | None:
    """Take the lock for ``ttl``; returns a holder token, or None when it is taken."""
    holder = uuid.uuid4().hex
    now = timezone.now()
    with contextlib.suppress(IntegrityError), transaction.atomic():
        JobLock.objects.get_or_create(name=name)
    taken = (
        JobLock.objects.filter(name=name)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(holder=holder, locked_until=now + ttl)
    )
    return holder if taken else None


def job_lock_extend(*, name: str, holder: str, ttl: datetime.timedelta) -> bool:
    return bool(
        JobLock.objects.filter(name=name, holder=holder).update(locked_until=timezone.now() + ttl)
    )


def job_lock_release(*, name: str, holder: str) -> None:
    JobLock.objects.filter(name=name, holder=holder).update(holder="", locked_until=None)


@contextlib.contextmanager
def job_lock(*, name: str, ttl: datetime.timedelta) -> Iterator[str]:
    holder = job_lock_acquire(name=name, ttl=ttl)
    if holder is None:
        raise JobLocked(name)
    try:
        yield holder
    finally:
        job_lock_release(name=name, holder=holder)
