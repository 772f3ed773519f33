"""The overdue-inquiries compliance indicator with the real database (policy R): amber
once an inquiry waits past its due time, red once late by more than the threshold,
green once answered."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group

from csce.common import policy
from csce.common.compliance import AMBER, GREEN, RED, indicator_registry
from csce.submissions.indicators import overdue_inquiries_read
from csce.submissions.models import FormKind, Submission

pytestmark = pytest.mark.django_db

RECEIVED = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)
DUE = RECEIVED + datetime.timedelta(days=2)


@pytest.fixture
def inquiry():
    inbox, _created = Group.objects.get_or_create(name="Accueil")
    return Submission.objects.create(
        form_title="Nous joindre",
        kind=FormKind.INQUIRY,
        inbox=inbox,
        created_at=RECEIVED,
        expires_at=RECEIVED + datetime.timedelta(days=30),
        due_at=DUE,
    )


def test_it_is_registered():
    assert "submissions.overdue_inquiries" in {i.key for i in indicator_registry}


def test_an_inquiry_late_beyond_the_threshold_is_red_and_green_once_answered(inquiry):
    assert overdue_inquiries_read(now=DUE - datetime.timedelta(hours=1)).level == GREEN
    reading = overdue_inquiries_read(now=DUE + datetime.timedelta(hours=1))
    assert reading.level == AMBER
    assert reading.summary == "1 demande de renseignements attend au-delà de son délai."
    late = DUE + datetime.timedelta(days=policy.COMPLIANCE_OVERDUE_RED_DAYS, hours=1)
    reading = overdue_inquiries_read(now=late)
    assert reading.level == RED
    assert reading.action_url == "/admin/inboxes/"
    Submission.objects.filter(pk=inquiry.pk).update(answered_at=late)
    assert overdue_inquiries_read(now=late).level == GREEN
