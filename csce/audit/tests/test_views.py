"""The access log in the admin: who may see it, filters, CSV export and the chain check."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse
from django.utils import translation
from wagtail.log_actions import registry as log_action_registry
from wagtail.users.models import UserProfile

from csce.audit.models import AccessAction, AccessLogEntry
from csce.audit.services import access_log_record

from .factories import admin_sign_in, staff_member_create

pytestmark = pytest.mark.django_db

AUDIT_URLS = [
    reverse("access_log:index"),
    reverse("access_log:index_results"),
    reverse("access_log:verify"),
    reverse("access_log:index") + "?export=csv",
    reverse("access_log:index") + "?export=xlsx",
]


@pytest.fixture
def reader(client):
    user = staff_member_create(may_read_log=True, first_name="Paule", last_name="Privée")
    admin_sign_in(client, user)
    return user


def listed_ids(response) -> set[int]:
    return set(response.context["object_list"].values_list("pk", flat=True))


@pytest.mark.parametrize("url", AUDIT_URLS)
def test_staff_without_the_permission_get_403(client, url):
    admin_sign_in(client, staff_member_create(may_read_log=False))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", AUDIT_URLS)
def test_holders_of_the_permission_get_200(client, reader, url):
    assert client.get(url).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("access_log:index"))
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_the_menu_item_is_shown_only_to_holders(client):
    url = reverse("access_log:index")
    admin_sign_in(client, staff_member_create(may_read_log=False))
    assert url not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.logout()
    admin_sign_in(client, staff_member_create(may_read_log=True))
    assert url in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_list_shows_time_actor_name_action_and_object(client, reader):
    actor = staff_member_create(first_name="Aline", last_name="Gagnon", username="ag@example.org")
    access_log_record(
        action=AccessAction.PERSONAL_DATA_READ,
        actor=actor,
        object_type="submissions.inquiry",
        object_id=73,
    )
    html = client.get(reverse("access_log:index")).content.decode()
    assert "Aline Gagnon" in html
    assert "ag@example.org" not in html
    assert "Données personnelles consultées" in html  # French by default
    assert "submissions.inquiry" in html
    assert "73" in html


def test_filters_by_action_actor_object_type_and_dates(client, reader):
    other = staff_member_create()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 15, tzinfo=datetime.UTC)):
        old = access_log_record(
            action=AccessAction.PERSONAL_DATA_DELETED, actor=other, object_type="x.old", object_id=1
        )
    with time_machine.travel(datetime.datetime(2026, 6, 2, 15, tzinfo=datetime.UTC)):
        new = access_log_record(
            action=AccessAction.PERSONAL_DATA_READ, actor=reader, object_type="x.new", object_id=2
        )
    url = reverse("access_log:index_results")
    assert listed_ids(client.get(url, {"action": "personal_data_deleted"})) == {old.pk}
    assert listed_ids(client.get(url, {"object_type": "x.new"})) == {new.pk}
    by_actor = listed_ids(client.get(url, {"actor_id": other.pk}))
    assert old.pk in by_actor
    assert new.pk not in by_actor
    in_march = listed_ids(
        client.get(url, {"created_at_from": "2026-03-01", "created_at_to": "2026-03-31"})
    )
    assert in_march == {old.pk}


def test_csv_export_follows_the_filters_and_is_itself_logged(client, reader):
    entries = [
        access_log_record(action=AccessAction.PERSONAL_DATA_READ, actor=reader, object_id=i)
        for i in range(3)
    ]
    access_log_record(action=AccessAction.SIGN_OUT, actor=reader)
    response = client.get(
        reverse("access_log:index"), {"action": "personal_data_read", "export": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, body = rows[0], rows[1:]
    assert "Membre du personnel" in header
    assert {int(row[0]) for row in body} >= {e.pk for e in entries}
    assert all(row[header.index("Action")] == "Données personnelles consultées" for row in body)
    assert all(row[header.index("Membre du personnel")] == "Paule Privée" for row in body)
    export = AccessLogEntry.objects.filter(action=AccessAction.PERSONAL_DATA_EXPORTED).latest("pk")
    assert export.actor_id == reader.pk
    assert export.object_type == "audit.accesslogentry"
    assert export.details["count"] == len(body)
    assert export.details["format"] == "csv"


def test_the_chain_check_page_reports_intact_then_broken(client, reader):
    entries = [access_log_record(action=AccessAction.SIGN_IN) for _ in range(3)]
    response = client.get(reverse("access_log:verify"))
    assert 'data-csce-chain="intact"' in response.content.decode()
    table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET object_id = 'x' WHERE id = %s", [entries[1].pk])  # noqa: S608
    response = client.get(reverse("access_log:verify"))
    html = response.content.decode()
    assert 'data-csce-chain="broken"' in html
    assert str(entries[1].pk) in html
    # The list shows the last result as its indicator.
    assert 'data-csce-chain="broken"' in client.get(reverse("access_log:index")).content.decode()


def test_the_screens_speak_english_to_an_english_speaking_reader(client, reader):
    profile = UserProfile.get_for_user(reader)
    profile.preferred_language = "en"
    profile.save()
    access_log_record(action=AccessAction.PERSONAL_DATA_READ, actor=reader)
    html = client.get(reverse("access_log:index")).content.decode()
    assert "Access log" in html
    assert "Personal data read" in html


def test_a_mirrored_wagtail_action_shows_wagtail_s_label_too(client, reader):
    access_log_record(
        action=AccessAction.CONTENT_ACTION,
        object_type="pages.standardpage",
        object_id=3,
        details={"wagtail_action": "wagtail.publish", "wagtail_log": "page", "wagtail_log_id": 1},
    )
    with translation.override("fr"):
        expected = (
            f"Action sur le contenu\xa0: {log_action_registry.get_action_label('wagtail.publish')}"
        )
    assert expected in client.get(reverse("access_log:index")).content.decode()


def test_the_permission_can_be_granted_in_wagtail_s_group_editor(client):
    admin_sign_in(client, staff_member_create(is_superuser=True))
    permission = Permission.objects.get(codename="view_accesslogentry")
    html = client.get(reverse("wagtailusers_groups:add")).content.decode()
    assert f'value="{permission.pk}"' in html
