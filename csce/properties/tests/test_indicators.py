"""The registry's compliance indicator and audit check (policy O, R, M), by date."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from csce.common import policy
from csce.common.compliance import (
    AMBER,
    FAIL,
    GREEN,
    PASS,
    RED,
    WARN,
    audit_check_registry,
    indicator_registry,
)
from csce.properties.factories import online_property_create
from csce.properties.services import property_access_review_record

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 9, 1, 15, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()


def _read():
    return indicator_registry.get("property_access_reviews").read(now=NOW)


def _run():
    return audit_check_registry.get("property_mfa_confirmed").run(now=NOW)


def test_reviews_green_when_none_is_due_soon():
    online_property_create(next_review_due=TODAY + datetime.timedelta(days=60))
    reading = _read()
    assert reading.level == GREEN
    assert reading.action_url == reverse("properties:index")


def test_reviews_amber_when_one_falls_due_within_the_warning():
    online_property_create(next_review_due=TODAY + datetime.timedelta(days=60))
    online_property_create(
        next_review_due=TODAY + datetime.timedelta(days=policy.PROPERTY_REVIEW_WARNING_DAYS)
    )
    assert _read().level == AMBER


def test_reviews_red_when_one_is_overdue_and_green_once_reviewed():
    late = online_property_create(next_review_due=TODAY - datetime.timedelta(days=1))
    online_property_create(next_review_due=TODAY + datetime.timedelta(days=2))
    reading = _read()
    assert reading.level == RED
    assert "1" in str(reading.summary)
    with time_machine.travel(NOW, tick=False):
        property_access_review_record(online_property=late, actor=None)
    # The other one still falls due within the warning.
    assert _read().level == AMBER


def test_reviews_time_passing_turns_green_to_red():
    online_property_create(next_review_due=TODAY + datetime.timedelta(days=30))
    assert _read().level == GREEN
    later = NOW + datetime.timedelta(days=31)
    assert indicator_registry.get("property_access_reviews").read(now=later).level == RED


def test_mfa_check_fails_on_a_property_with_mfa_off_then_passes():
    prop = online_property_create(mfa_enabled=False, mfa_confirmed_on=None)
    online_property_create(mfa_confirmed_on=TODAY)
    result = _run()
    assert result.status == FAIL
    assert "1" in str(result.detail)
    prop.mfa_enabled = True
    prop.mfa_confirmed_on = TODAY - datetime.timedelta(days=3)
    prop.save()
    assert _run().status == PASS


def test_mfa_check_fails_on_a_confirmation_older_than_a_year():
    online_property_create(
        mfa_confirmed_on=TODAY
        - datetime.timedelta(days=policy.PROPERTY_MFA_CONFIRMATION_MAX_DAYS + 1)
    )
    assert _run().status == FAIL
    online_property_create(mfa_confirmed_on=None)
    assert _run().status == FAIL


def test_mfa_check_on_an_empty_registry_warns():
    assert _run().status == WARN
