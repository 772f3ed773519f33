"""The statistics' salt rotation in the annual security audit (policy M, P5)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from csce.analytics.audit_checks import salt_rotation_run
from csce.analytics.models import DailySalt
from csce.analytics.salts import salt_rotate
from csce.common.compliance import FAIL, PASS


def test_only_todays_salt_passes_a_past_days_salt_fails(db):
    now = timezone.now()
    today = timezone.localdate(now)
    DailySalt.objects.create(day=today, salt=b"x" * 32)
    assert salt_rotation_run(now=now).status == PASS
    DailySalt.objects.create(day=today - datetime.timedelta(days=2), salt=b"y" * 32)
    result = salt_rotation_run(now=now)
    assert result.status == FAIL
    assert (today - datetime.timedelta(days=2)).isoformat() in result.detail
    salt_rotate(now)
    assert salt_rotation_run(now=now).status == PASS
