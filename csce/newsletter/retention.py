"""The newsletter's part of the daily purge (policy M; CASL s.10: consent is confirmed).

A subscription whose confirmation link was never followed is deleted once the link has
expired (``policy.NEWSLETTER_UNCONFIRMED_DAYS``), with its consent record. Nothing else
is purged here: a confirmed subscription lasts while the person is subscribed (CASL
s.13), and the suppression list keeps its keyed hashes (CASL s.11).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q

from csce.common import policy

from .models import Subscriber, SubscriberStatus


def subscriptions_unconfirmed_expired(*, now: datetime.datetime):
    limit = now - datetime.timedelta(days=policy.NEWSLETTER_UNCONFIRMED_DAYS)
    # Counted from the last confirmation e-mail too: its link stays valid that long.
    return Subscriber.objects.filter(status=SubscriberStatus.PENDING, created_at__lt=limit).filter(
        Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lt=limit)
    )


def subscriptions_unconfirmed_purge(*, now: datetime.datetime, batch_size: int) -> int:
    """Delete expired unconfirmed subscriptions, each batch in its own short transaction;
    idempotent. Returns the subscriptions deleted."""
    deleted = 0
    expired = subscriptions_unconfirmed_expired(now=now)
    while ids := list(expired.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            # Checked again inside the transaction: a link followed meanwhile keeps it.
            batch = subscriptions_unconfirmed_expired(now=now).filter(pk__in=ids)
            deleted += batch.delete()[1].get(Subscriber._meta.label, 0)
    return deleted
