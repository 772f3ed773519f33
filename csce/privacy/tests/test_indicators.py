"""The overdue-privacy-requests compliance indicator with the real database (policy
P10, PHIPA s.54): amber near the due date, red past it, the extended date counting once
extended, green once closed. Counts and dates only: never the requester."""

from __future__ import annotations

import datetime

import pytest

from csce.common import policy
from csce.common.compliance import AMBER, GREEN, RED, indicator_registry
from csce.privacy.deadlines import request_extended_due_at
from csce.privacy.factories import privacy_request_make
from csce.privacy.indicators import overdue_privacy_requests_read
from csce.privacy.models import PrivacyRequest
from csce.privacy.models.records import RequestStatus

pytestmark = pytest.mark.django_db

VERIFIED = datetime.datetime(2026, 11, 2, 15, 0, tzinfo=datetime.UTC)


def test_it_is_registered():
    assert "privacy.overdue_requests" in {i.key for i in indicator_registry}


def test_a_request_past_its_due_date_is_red_until_extended_or_closed():
    request = privacy_request_make(verified_at=VERIFIED, name="Quintessa Zorblax")
    assert overdue_privacy_requests_read(now=VERIFIED).level == GREEN
    soon = request.due_at - datetime.timedelta(days=policy.COMPLIANCE_PRIVACY_DUE_SOON_DAYS - 1)
    assert overdue_privacy_requests_read(now=soon).level == AMBER
    past = request.due_at + datetime.timedelta(hours=1)
    reading = overdue_privacy_requests_read(now=past)
    assert reading.level == RED
    assert "Quintessa" not in str(reading.summary)
    assert reading.action_url == "/admin/privacy/requests/"
    PrivacyRequest.objects.filter(pk=request.pk).update(
        extended_due_at=request_extended_due_at(due_at=request.due_at, days=30)
    )
    assert overdue_privacy_requests_read(now=past).level == GREEN
    PrivacyRequest.objects.filter(pk=request.pk).update(extended_due_at=None)
    assert overdue_privacy_requests_read(now=past).level == RED
    PrivacyRequest.objects.filter(pk=request.pk).update(status=RequestStatus.CLOSED)
    assert overdue_privacy_requests_read(now=past).level == GREEN
