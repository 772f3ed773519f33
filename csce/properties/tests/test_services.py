"""The registry's services: administrators added and removed with their history, the
access review, the owner by default (policy O, R, M)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import translation
from wagtail.models import ModelLogEntry

from csce.accounts.factories import staff_user
from csce.common import policy
from csce.common.roles import AED, ED
from csce.properties.factories import online_property_create
from csce.properties.models import PropertyAdministrator
from csce.properties.services import (
    ACCESS_REVIEWED,
    ADMINISTRATOR_ADDED,
    ADMINISTRATOR_REMOVED,
    property_access_review_record,
    property_administrators_set,
    property_default_owner,
)

pytestmark = pytest.mark.django_db

DAY = datetime.datetime(2026, 4, 1, 14, 0, tzinfo=datetime.UTC)


def _messages(prop, language):
    with translation.override(language):
        return [entry.message for entry in ModelLogEntry.objects.for_instance(prop).order_by("pk")]


def test_adding_and_removing_administrators_is_recorded_with_who_did_it():
    aed = staff_user(role=AED, first_name="Alice", last_name="Tremblay")
    one = staff_user(first_name="Bruno", last_name="Gagnon")
    two = staff_user(first_name="Chloé", last_name="Roy")
    prop = online_property_create()

    added, removed = property_administrators_set(online_property=prop, users=[one, two], actor=aed)
    assert {u.pk for u in added} == {one.pk, two.pk}
    assert removed == []
    link = PropertyAdministrator.objects.get(online_property=prop, user=one)
    assert link.added_by == aed

    added, removed = property_administrators_set(online_property=prop, users=[two], actor=aed)
    assert added == []
    assert [u.pk for u in removed] == [one.pk]
    assert list(prop.administrator_links.values_list("user_id", flat=True)) == [two.pk]

    entries = ModelLogEntry.objects.for_instance(prop).order_by("pk")
    assert [e.action for e in entries] == [
        ADMINISTRATOR_ADDED,
        ADMINISTRATOR_ADDED,
        ADMINISTRATOR_REMOVED,
    ]
    assert all(e.user_id == aed.pk for e in entries)
    assert "Removed Bruno Gagnon as an administrator" in _messages(prop, "en")
    assert "Bruno Gagnon retiré des administrateurs" in _messages(prop, "fr")


def test_setting_the_same_administrators_again_records_nothing():
    aed = staff_user(role=AED)
    one = staff_user()
    prop = online_property_create(administrators=[one], actor=aed)
    before = ModelLogEntry.objects.for_instance(prop).count()
    assert property_administrators_set(online_property=prop, users=[one], actor=aed) == ([], [])
    assert ModelLogEntry.objects.for_instance(prop).count() == before


def test_an_access_review_sets_the_dates_and_keeps_who_was_confirmed():
    aed = staff_user(role=AED)
    admin = staff_user(first_name="Bruno", last_name="Gagnon")
    prop = online_property_create(
        administrators=[admin], actor=aed, mfa_enabled=False, mfa_confirmed_on=None
    )
    with time_machine.travel(DAY, tick=False):
        reviewed = property_access_review_record(
            online_property=prop, actor=aed, mfa_confirmed=True
        )
    assert reviewed.last_review_on == DAY.date()
    assert reviewed.next_review_due == DAY.date() + datetime.timedelta(
        days=policy.PROPERTY_ACCESS_REVIEW_DAYS
    )
    assert reviewed.mfa_enabled
    assert reviewed.mfa_confirmed_on == DAY.date()
    entry = ModelLogEntry.objects.for_instance(prop).get(action=ACCESS_REVIEWED)
    assert entry.user_id == aed.pk
    assert [a["user_id"] for a in entry.data["administrators"]] == [admin.pk]
    assert "Bruno Gagnon" in _messages(prop, "en")[-1]
    assert _messages(prop, "fr")[-1].startswith("Revue des accès")


def test_a_review_without_the_mfa_tick_leaves_mfa_as_it_was():
    aed = staff_user(role=AED)
    prop = online_property_create(mfa_enabled=False, mfa_confirmed_on=None)
    reviewed = property_access_review_record(online_property=prop, actor=aed)
    assert not reviewed.mfa_enabled
    assert reviewed.mfa_confirmed_on is None


def test_the_owner_by_default_is_an_active_member_of_the_aed_group():
    staff_user(role=ED)
    assert property_default_owner() is None
    staff_user(role=AED, is_active=False)
    assert property_default_owner() is None
    aed = staff_user(role=AED)
    assert property_default_owner() == aed


def test_overdue_is_said_in_words():
    prop = online_property_create()
    with time_machine.travel(DAY, tick=False):
        prop.next_review_due = DAY.date() - datetime.timedelta(days=1)
        with translation.override("en"):
            assert prop.review_status.startswith("Overdue since")
        with translation.override("fr"):
            assert prop.review_status.startswith("En retard depuis")
        prop.next_review_due = DAY.date()
        with translation.override("en"):
            assert "Overdue" not in prop.review_status
