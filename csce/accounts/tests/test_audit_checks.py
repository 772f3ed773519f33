"""The staff accounts' checks of the annual security audit (policy M, S)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from csce.accounts.audit_checks import dormant_accounts_run, expired_accounts_run, staff_mfa_run
from csce.accounts.factories import staff_user
from csce.accounts.models import PersonType, StaffProfile
from csce.common import policy
from csce.common.compliance import FAIL, PASS
from csce.common.roles import CONTENT, PRIVACY_OFFICER


@pytest.fixture(autouse=True)
def _english():
    """The details read in the language active when a check runs: English here."""
    with translation.override("en"):
        yield


def test_mfa_coverage_passes_when_every_active_staff_member_has_a_second_factor(db):
    staff_user(role=CONTENT)
    staff_user(role=PRIVACY_OFFICER)
    result = staff_mfa_run(now=timezone.now())
    assert result.status == PASS
    assert "2" in result.detail


def test_mfa_coverage_fails_on_one_staff_member_without_it_and_names_no_one(db):
    staff_user(role=CONTENT)
    staff_user(role=PRIVACY_OFFICER, verified=False, last_name="Tremblay")
    result = staff_mfa_run(now=timezone.now())
    assert result.status == FAIL
    assert "1 of 2" in result.detail
    assert "Tremblay" not in result.detail


def test_a_disabled_account_without_a_second_factor_does_not_count(db):
    staff_user(role=CONTENT)
    staff_user(role=CONTENT, verified=False, is_active=False)
    assert staff_mfa_run(now=timezone.now()).status == PASS


def test_dormant_accounts_fail_the_audit(db):
    now = timezone.now()
    user = staff_user(role=CONTENT)
    user.last_login = now - datetime.timedelta(days=1)
    user.save()
    assert dormant_accounts_run(now=now).status == PASS
    user.last_login = now - datetime.timedelta(days=policy.DORMANT_ACCOUNT_DAYS + 1)
    user.save()
    result = dormant_accounts_run(now=now)
    assert result.status == FAIL
    assert "1 active account" in result.detail


def test_an_account_active_after_its_end_date_fails_the_audit(db):
    today = timezone.localdate()
    user = staff_user(role=CONTENT)
    profile = StaffProfile.objects.create(
        user=user, person_type=PersonType.VOLUNTEER, end_date=today + datetime.timedelta(days=3)
    )
    assert expired_accounts_run(now=timezone.now()).status == PASS
    profile.end_date = today - datetime.timedelta(days=1)
    profile.save()
    assert expired_accounts_run(now=timezone.now()).status == FAIL
    user.is_active = False
    user.save()
    assert expired_accounts_run(now=timezone.now()).status == PASS
