"""The moderation compliance indicator with the real database (policy U, R): a report of
a concern waiting past its due moment is amber, late beyond the threshold red, green once
closed."""

from __future__ import annotations

import datetime

import pytest

from csce.common import policy
from csce.common.compliance import AMBER, GREEN, RED, indicator_registry
from csce.moderation.factories import report_create
from csce.moderation.indicators import moderation_overdue_read
from csce.moderation.models import ConcernReport, ReportState

pytestmark = pytest.mark.django_db


def test_it_is_registered():
    assert "moderation.overdue" in {i.key for i in indicator_registry}


def test_a_report_late_beyond_the_threshold_is_red_and_green_once_closed():
    report = report_create(description="Quintessa Zorblax harcèle quelqu'un")
    due = report.due_at
    assert moderation_overdue_read(now=due - datetime.timedelta(minutes=1)).level == GREEN
    reading = moderation_overdue_read(now=due + datetime.timedelta(hours=1))
    assert reading.level == AMBER
    assert "0 commentaire" in str(reading.summary)
    assert "1 signalement" in str(reading.summary)
    assert "Quintessa" not in str(reading.summary)
    late = due + datetime.timedelta(days=policy.COMPLIANCE_OVERDUE_RED_DAYS, hours=1)
    assert moderation_overdue_read(now=late).level == RED
    ConcernReport.objects.filter(pk=report.pk).update(state=ReportState.CLOSED, closed_at=late)
    assert moderation_overdue_read(now=late).level == GREEN
