"""The accounts' compliance indicators with the real database (policy M, S, V): MFA
coverage of staff and acknowledgements of the policy version in force, each red in the
scenario that should make it red and green once fixed."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from csce.accounts.factories import mfa_device, policy_version, staff_user
from csce.accounts.indicators import mfa_coverage_read, policy_acknowledgements_read
from csce.accounts.models import PolicyAcknowledgement, PolicyVersion
from csce.common import policy
from csce.common.compliance import AMBER, GREEN, RED, indicator_registry
from csce.common.roles import AED, CONTENT

# The acknowledgements are what this indicator reads: the real rule, not the waiver.
pytestmark = [pytest.mark.django_db, pytest.mark.policy_enforced]

START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


def test_both_are_registered():
    keys = {indicator.key for indicator in indicator_registry}
    assert {"accounts.mfa_coverage", "accounts.policy_acknowledgements"} <= keys


def test_a_staff_account_without_a_second_factor_turns_red_after_its_grace():
    with time_machine.travel(START, tick=False):
        staff_user(role=AED)
        newcomer = staff_user(role=CONTENT, verified=False)
        staff_user(role=CONTENT, verified=False, is_active=False)  # disabled: not counted
        assert mfa_coverage_read(now=timezone.now()).level == AMBER
    later = START + datetime.timedelta(days=policy.COMPLIANCE_MFA_ENROLMENT_DAYS + 1)
    reading = mfa_coverage_read(now=later)
    assert reading.level == RED
    assert str(reading.summary).startswith("1 compte du personnel sur 2 n’a pas")
    assert newcomer.username not in str(reading.summary)
    assert reading.action_url == "/admin/users/"
    mfa_device(newcomer)
    assert mfa_coverage_read(now=later).level == GREEN


def test_a_new_policy_version_not_acknowledged_turns_red_after_its_grace():
    now = timezone.now()
    aed = staff_user(role=AED)
    reader = staff_user(role=CONTENT)
    assert policy_acknowledgements_read(now=now).level == GREEN
    version = policy_version(
        approved_by=aed, version_label="2027-A", effective_date=timezone.localdate(now)
    )
    reading = policy_acknowledgements_read(now=now)
    assert reading.level == AMBER
    assert "2027-A" in str(reading.summary)
    later = now + datetime.timedelta(days=policy.COMPLIANCE_ACKNOWLEDGEMENT_DAYS + 1)
    reading = policy_acknowledgements_read(now=later)
    assert reading.level == RED
    assert str(reading.summary).startswith("2 membres du personnel n’ont pas pris connaissance")
    PolicyAcknowledgement.objects.create(user=reader, version=version)
    assert policy_acknowledgements_read(now=later).level == RED  # the AED still has not
    for user in get_user_model().objects.exclude(pk=reader.pk):
        PolicyAcknowledgement.objects.create(user=user, version=version)
    assert policy_acknowledgements_read(now=later).level == GREEN


def test_no_version_in_force_is_red():
    PolicyVersion.objects.all().delete()
    assert policy_acknowledgements_read(now=timezone.now()).level == RED
