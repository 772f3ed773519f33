"""Failed sign-in records of django-axes leave with the retention job (policy M)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.utils import timezone

from csce.retention.services import purge_expired_data

pytestmark = pytest.mark.django_db


def _attempt(username: str) -> AccessAttempt:
    return AccessAttempt.objects.create(
        # Addresses are stored as IPv6-shaped keyed pseudonyms (csce/accounts/lockout.py).
        username=username,
        ip_address="2001:db8::1",
        user_agent="ua",
        failures_since_start=1,
    )


def test_failed_sign_ins_older_than_30_days_are_purged_newer_ones_kept():
    with time_machine.travel(timezone.now() - datetime.timedelta(days=31), tick=False):
        old = _attempt("old")
    with time_machine.travel(timezone.now() - datetime.timedelta(days=29), tick=False):
        recent = _attempt("recent")
    run = purge_expired_data()
    assert run.counts["sign_in_attempts"] == 1
    assert not AccessAttempt.objects.filter(pk=old.pk).exists()
    assert AccessAttempt.objects.filter(pk=recent.pk).exists()
