"""The retention job: delete everything past its retention, for every registered source.

Policy M ("the company hosting the website deletes collected data every three months"),
as every scheduled job: runs without a human, idempotent, in batches that never block
the site, safe on two nodes at once (a database lock), and leaves a record with counts
only.
"""

from __future__ import annotations

import datetime
import logging

from django.utils import timezone

from csce.common.registry import personal_data_registry

from .locks import job_lock_acquire, job_lock_extend, job_lock_release
from .models import PurgeRun

logger = logging.getLogger(__name__)

PURGE_JOB = "purge_expired_data"
# Longer than any run should take; a crashed run frees the lock after this.
PURGE_LOCK_TTL = datetime.timedelta(hours=1)
DEFAULT_BATCH_SIZE = 1000


def purge_expired_data(
    *, now: datetime.datetime | None = None, batch_size: int = DEFAULT_BATCH_SIZE
) -> PurgeRun | None:
    """Run every source's purge once. None when another run holds the lock."""
    holder = job_lock_acquire(name=PURGE_JOB, ttl=PURGE_LOCK_TTL)
    if holder is None:
        logger.info("purge_expired_data: another run holds the lock; nothing done.")
        return None
    try:
        now = now or timezone.now()
        run = PurgeRun.objects.create(started_at=timezone.now())
        counts: dict[str, int] = {}
        errors: list[str] = []
        for source in personal_data_registry:
            if source.purge_expired is None:
                continue
            try:
                counts[source.key] = source.purge_expired(now=now, batch_size=batch_size)
            except Exception as exc:  # one failing source must not stop the others
                # The class name only: a message could quote a value.
                logger.error("purge of %s failed: %s", source.key, type(exc).__name__)
                errors.append(source.key)
            job_lock_extend(name=PURGE_JOB, holder=holder, ttl=PURGE_LOCK_TTL)
        run.counts = counts
        run.total = sum(counts.values())
        run.errors = errors
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "total", "errors", "finished_at"])
        logger.info("purge_expired_data: %s records deleted %s", run.total, counts)
        return run
    finally:
        job_lock_release(name=PURGE_JOB, holder=holder)
