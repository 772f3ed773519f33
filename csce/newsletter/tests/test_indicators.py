"""The newsletter compliance indicator with the real database (policy P3, R): a failed
delivery in a recent campaign is amber, a campaign that lost a large share red, green
once the window has passed or nothing failed."""

from __future__ import annotations

import datetime

import pytest

from csce.common import policy
from csce.common.compliance import AMBER, GREEN, RED, indicator_registry
from csce.newsletter.factories import campaign_create, subscriber_create
from csce.newsletter.indicators import newsletter_failures_read
from csce.newsletter.models import CampaignDelivery, CampaignStatus, DeliveryState

pytestmark = pytest.mark.django_db

STARTED = datetime.datetime(2026, 11, 2, 15, 0, tzinfo=datetime.UTC)


def test_it_is_registered():
    assert "newsletter.failed_sends" in {i.key for i in indicator_registry}


def test_failed_deliveries_are_amber_then_red_past_the_share_then_green_out_of_the_window():
    campaign = campaign_create()
    campaign.status = CampaignStatus.SENT
    campaign.started_at = STARTED
    campaign.save()
    deliveries = [
        CampaignDelivery.objects.create(
            campaign=campaign,
            subscriber=subscriber_create(email=f"abonne{n}@example.org"),
            language="fr",
            state=DeliveryState.SENT,
        )
        for n in range(20)
    ]
    now = STARTED + datetime.timedelta(days=1)
    assert newsletter_failures_read(now=now).level == GREEN
    CampaignDelivery.objects.filter(pk=deliveries[0].pk).update(state=DeliveryState.FAILED)
    reading = newsletter_failures_read(now=now)
    assert reading.level == AMBER  # 1 of 20: 5 %
    assert "abonne" not in str(reading.summary)
    CampaignDelivery.objects.filter(pk=deliveries[1].pk).update(state=DeliveryState.FAILED)
    assert policy.COMPLIANCE_NEWSLETTER_FAILED_RED_PERCENT == 10
    assert newsletter_failures_read(now=now).level == RED  # 2 of 20: 10 %
    out = STARTED + datetime.timedelta(days=policy.COMPLIANCE_NEWSLETTER_WINDOW_DAYS + 1)
    assert newsletter_failures_read(now=out).level == GREEN
