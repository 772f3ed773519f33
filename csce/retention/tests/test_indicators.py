"""The retention compliance indicators with the real database (policy M): the daily
job's last run (red when it never ran or missed days, amber for one missed run, green
when fresh) and a store holding a record past its own retention (red until purged)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from csce.common import policy
from csce.common.compliance import AMBER, GREEN, RED, indicator_registry
from csce.outbox.models import OUTBOX_RECORD_DAYS, OutboxMessage
from csce.retention.indicators import retention_overdue_read, retention_run_read
from csce.retention.models import PurgeRun

pytestmark = pytest.mark.django_db


def test_both_are_registered():
    keys = {indicator.key for indicator in indicator_registry}
    assert {"retention.last_run", "retention.oldest_record"} <= keys


def test_the_last_run_is_red_never_or_missed_amber_once_green_fresh():
    now = timezone.now()
    assert retention_run_read(now=now).level == RED
    late, missed = policy.COMPLIANCE_RETENTION_RUN_HOURS
    run = PurgeRun.objects.create(
        started_at=now - datetime.timedelta(hours=missed + 1),
        finished_at=now - datetime.timedelta(hours=missed + 1),
    )
    assert retention_run_read(now=now).level == RED
    PurgeRun.objects.filter(pk=run.pk).update(finished_at=now - datetime.timedelta(hours=late + 1))
    assert retention_run_read(now=now).level == AMBER
    PurgeRun.objects.filter(pk=run.pk).update(finished_at=now - datetime.timedelta(hours=1))
    assert retention_run_read(now=now).level == GREEN
    PurgeRun.objects.filter(pk=run.pk).update(errors=["submissions"])
    assert retention_run_read(now=now).level == AMBER


def test_a_record_past_its_stores_retention_is_red_until_the_job_purges_it():
    now = timezone.now()
    assert retention_overdue_read(now=now).level == GREEN
    OutboxMessage.objects.create(
        kind="test", created_at=now - datetime.timedelta(days=OUTBOX_RECORD_DAYS + 3)
    )
    reading = retention_overdue_read(now=now)
    assert reading.level == RED
    assert "1 source" in str(reading.summary)
    call_command("purge_expired_data", stdout=io.StringIO())
    assert retention_overdue_read(now=now).level == GREEN
    assert retention_run_read(now=timezone.now()).level == GREEN
