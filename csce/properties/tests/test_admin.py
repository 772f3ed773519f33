"""The registry's admin screens (policy O, R, M): the AED keeps it, the Executive Director
reads it, nobody else opens it; the list says MFA and overdue reviews in words; the form
names the AED as owner by default; administrators and reviews land in the history."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from csce.accounts.factories import staff_user
from csce.common.roles import (
    AED,
    COMMUNICATIONS,
    CONTENT,
    ED,
    PRIVACY_OFFICER,
    PROGRAM_STAFF,
    TECHNICAL_ADMIN,
)
from csce.properties.factories import online_property_create
from csce.properties.models import OnlineProperty, PropertyKind
from csce.properties.services import ACCESS_REVIEWED, ADMINISTRATOR_ADDED, ADMINISTRATOR_REMOVED

pytestmark = pytest.mark.django_db

OTHERS = [CONTENT, COMMUNICATIONS, PRIVACY_OFFICER, PROGRAM_STAFF, TECHNICAL_ADMIN]
DAY = datetime.datetime(2026, 6, 15, 14, 0, tzinfo=datetime.UTC)


def _form(**fields) -> dict:
    data = {
        "kind": PropertyKind.INSTAGRAM,
        "name": "Instagram du Centre",
        "url": "https://www.instagram.com/csce_test/",
        "handle": "@csce_test",
        "mfa_enabled": "on",
        "mfa_confirmed_on": "2026-06-01",
        "shown_in_footer": "on",
        "sort_order": "10",
    }
    data.update(fields)
    return data


def test_the_aed_adds_a_property_owned_by_default_by_the_aed(client, staff_login):
    aed = staff_login(role=AED)
    response = client.get(reverse("properties:add"))
    assert response.status_code == 200
    assert response.context["form"].initial["owner"] == aed.pk
    admin = staff_user(first_name="Bruno", last_name="Gagnon")
    with time_machine.travel(DAY, tick=False):
        response = client.post(
            reverse("properties:add"),
            _form(owner=str(aed.pk), administrators=[str(admin.pk)]),
        )
    assert response.status_code == 302
    prop = OnlineProperty.objects.get()
    assert prop.owner == aed
    assert list(prop.administrator_links.values_list("user_id", flat=True)) == [admin.pk]
    # The first review falls a quarter after the property enters the registry.
    assert prop.next_review_due > DAY.date()
    actions = list(ModelLogEntry.objects.for_instance(prop).values_list("action", flat=True))
    assert "wagtail.create" in actions
    assert ADMINISTRATOR_ADDED in actions


def test_removing_an_administrator_in_the_form_is_in_the_history(client, staff_login):
    aed = staff_login(role=AED, language="en")
    admin = staff_user(first_name="Bruno", last_name="Gagnon")
    prop = online_property_create(administrators=[admin], actor=aed, owner=aed)
    data = _form(name=prop.name, url=prop.url, owner=str(aed.pk))
    response = client.post(reverse("properties:edit", args=[prop.pk]), data)
    assert response.status_code == 302
    assert not prop.administrator_links.exists()
    entry = ModelLogEntry.objects.for_instance(prop).get(action=ADMINISTRATOR_REMOVED)
    assert entry.user_id == aed.pk
    assert entry.data["user_id"] == admin.pk
    history = client.get(reverse("properties:history", args=[prop.pk])).content.decode()
    assert "Removed Bruno Gagnon as an administrator" in history


def test_the_form_refuses_a_confirmation_date_with_mfa_off(client, staff_login):
    aed = staff_login(role=AED)
    data = _form(owner=str(aed.pk))
    del data["mfa_enabled"]
    response = client.post(reverse("properties:add"), data)
    assert response.status_code == 200
    assert "mfa_confirmed_on" in response.context["form"].errors
    assert not OnlineProperty.objects.exists()


def test_the_list_says_mfa_and_overdue_reviews_in_words(client, staff_login):
    staff_login(role=AED, language="en")
    with time_machine.travel(DAY, tick=False):
        online_property_create(name="Late one", next_review_due=DAY.date() - datetime.timedelta(1))
        online_property_create(name="No MFA", mfa_enabled=False, mfa_confirmed_on=None)
        html = client.get(reverse("properties:index")).content.decode()
    assert "Overdue since" in html
    assert "Off" in html
    assert "Record an access review" in html


def test_the_aed_records_an_access_review(client, staff_login):
    aed = staff_login(role=AED)
    admin = staff_user()
    prop = online_property_create(administrators=[admin], actor=aed)
    url = reverse("properties_review", args=[prop.pk])
    assert client.get(url).status_code == 200
    # Not confirmed: refused, nothing recorded.
    assert client.post(url, {}).status_code == 400
    assert not ModelLogEntry.objects.for_instance(prop).filter(action=ACCESS_REVIEWED).exists()
    with time_machine.travel(DAY, tick=False):
        response = client.post(url, {"confirmed": "on", "mfa_confirmed": "on"})
    assert response.status_code == 302
    prop.refresh_from_db()
    assert prop.last_review_on == DAY.date()
    assert prop.mfa_confirmed_on == DAY.date()
    entry = ModelLogEntry.objects.for_instance(prop).get(action=ACCESS_REVIEWED)
    assert entry.user_id == aed.pk


def test_the_executive_director_reads_but_does_not_change(client, staff_login):
    staff_login(role=ED)
    prop = online_property_create()
    assert client.get(reverse("properties:index")).status_code == 200
    assert client.get(reverse("properties:inspect", args=[prop.pk])).status_code == 200
    assert client.get(reverse("properties:edit", args=[prop.pk])).status_code == 302
    url = reverse("properties_review", args=[prop.pk])
    # Wagtail's refusal: back to the dashboard with "Sorry, you do not have permission".
    assert client.get(url).status_code == 302
    assert client.post(url, {"confirmed": "on"}).status_code == 302
    prop.refresh_from_db()
    assert prop.last_review_on is None


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_do_not_open_the_registry(client, staff_login, role):
    staff_login(role=role)
    prop = online_property_create()
    assert client.get(reverse("properties:index")).status_code == 302
    assert client.get(reverse("properties_review", args=[prop.pk])).status_code == 302
    before = timezone.now()
    assert client.post(reverse("properties:edit", args=[prop.pk]), _form()).status_code == 302
    prop.refresh_from_db()
    assert prop.updated_at < before
