"""The daily purge deletes unconfirmed subscriptions once their link has expired, and
nothing else of the newsletter (policy M; CASL s.10, s.11, s.13)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from csce.common import policy
from csce.newsletter.factories import subscriber_create
from csce.newsletter.models import (
    ConsentRecord,
    Subscriber,
    Suppression,
    SuppressionReason,
    suppression_hash,
)
from csce.newsletter.registry import newsletter_oldest
from csce.newsletter.retention import subscriptions_unconfirmed_purge
from csce.retention.services import purge_expired_data

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
LIMIT = datetime.timedelta(days=policy.NEWSLETTER_UNCONFIRMED_DAYS)


def _pending(email: str, *, age: datetime.timedelta, now) -> Subscriber:
    return subscriber_create(email=email, confirmed=False, requested_at=now - age)


def test_the_daily_purge_deletes_unconfirmed_subscriptions_after_their_days_only():
    now = timezone.now()
    younger = _pending("un.jour.de.moins@example.org", age=LIMIT - DAY, now=now)
    older = _pending("un.jour.de.plus@example.org", age=LIMIT + DAY, now=now)
    # Confirmed years ago: kept while the person is subscribed (CASL s.13).
    confirmed = subscriber_create(email="abonnee.fidele@example.org", requested_at=now - 900 * DAY)
    Suppression.objects.create(
        address_hash=suppression_hash("partie@example.org"),
        reason=SuppressionReason.UNSUBSCRIBED,
        created_at=now - 900 * DAY,
    )

    run = purge_expired_data(now=now)

    assert run.counts["newsletter"] == 1
    assert set(Subscriber.objects.values_list("pk", flat=True)) == {younger.pk, confirmed.pk}
    assert not ConsentRecord.objects.filter(subscriber_id=older.pk).exists()
    assert Suppression.objects.count() == 1  # the suppression list is never purged
    # Run again: nothing more to do.
    assert purge_expired_data(now=now).counts["newsletter"] == 0


def test_a_confirmation_email_sent_again_keeps_the_subscription_until_its_link_expires():
    now = timezone.now()
    pending = _pending("relance@example.org", age=LIMIT + DAY, now=now)
    Subscriber.objects.filter(pk=pending.pk).update(confirmation_sent_at=now - DAY)
    assert subscriptions_unconfirmed_purge(now=now, batch_size=10) == 0
    assert subscriptions_unconfirmed_purge(now=now + LIMIT, batch_size=10) == 1


def test_the_purge_works_in_batches_and_counts_subscriptions():
    now = timezone.now()
    for n in range(5):
        _pending(f"lot{n}@example.org", age=LIMIT + DAY, now=now)
    assert subscriptions_unconfirmed_purge(now=now, batch_size=2) == 5
    assert not Subscriber.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_the_oldest_record_is_the_oldest_subscription():
    now = timezone.now()
    assert newsletter_oldest() is None
    first = subscriber_create(email="premiere@example.org", requested_at=now - 30 * DAY)
    subscriber_create(email="seconde@example.org", requested_at=now - DAY)
    assert newsletter_oldest() == first.created_at
