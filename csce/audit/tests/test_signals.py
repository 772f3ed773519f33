"""Security events reach the access log by themselves, with ids only."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import PageLogEntry

from csce.audit.context import acting_as
from csce.audit.models import AccessAction, AccessLogEntry
from csce.pages.factories import page_add
from csce.pages.models import StandardPage

from .factories import PASSWORD, staff_member_create

pytestmark = pytest.mark.django_db


def entries_after(mark: int, **filters):
    return list(AccessLogEntry.objects.filter(pk__gt=mark, **filters).order_by("pk"))


def last_pk() -> int:
    last = AccessLogEntry.objects.order_by("-pk").first()
    return last.pk if last else 0


def row_text(entry: AccessLogEntry) -> str:
    return json.dumps(
        {f.attname: str(getattr(entry, f.attname)) for f in AccessLogEntry._meta.fields}
    )


def test_sign_in_and_sign_out_are_recorded_without_the_username(client):
    user = staff_member_create(username="aline.gagnon@example.org", email="aline@example.org")
    mark = last_pk()
    client.post(reverse("wagtailadmin_login"), {"username": user.username, "password": PASSWORD})
    client.post(reverse("wagtailadmin_logout"))
    entries = entries_after(mark, action__in=[AccessAction.SIGN_IN, AccessAction.SIGN_OUT])
    assert [(e.action, e.actor_id, e.object_id) for e in entries] == [
        (AccessAction.SIGN_IN, user.pk, str(user.pk)),
        (AccessAction.SIGN_OUT, user.pk, str(user.pk)),
    ]
    for entry in entries:
        assert "aline" not in row_text(entry)
        assert PASSWORD not in row_text(entry)


def test_failed_sign_in_keeps_nothing_that_was_typed(client):
    mark = last_pk()
    client.post(
        reverse("wagtailadmin_login"),
        {"username": "someone@example.org", "password": "a secret typed by mistake"},
    )
    (entry,) = entries_after(mark, action=AccessAction.SIGN_IN_FAILED)
    assert entry.actor_id is None
    assert (entry.object_type, entry.object_id, entry.details) == ("", "", {})
    assert "someone" not in row_text(entry)
    assert "secret" not in row_text(entry)


def test_joining_and_leaving_a_role_are_recorded_from_either_side():
    actor = staff_member_create()
    user = staff_member_create()
    role = Group.objects.create(name="Communications test")
    groups_before = sorted(user.groups.values_list("pk", flat=True))
    mark = last_pk()
    with acting_as(actor):
        user.groups.add(role)
        user.groups.remove(role)
        role.user_set.add(user)
        user.groups.clear()
    entries = entries_after(mark, action=AccessAction.ROLE_CHANGED)
    assert [(e.object_type, e.object_id, e.details) for e in entries] == [
        ("auth.user", str(user.pk), {"added": [role.pk]}),
        ("auth.user", str(user.pk), {"removed": [role.pk]}),
        ("auth.user", str(user.pk), {"added": [role.pk]}),
        ("auth.user", str(user.pk), {"removed": sorted([*groups_before, role.pk])}),
    ]
    assert {e.actor_id for e in entries} == {actor.pk}


def test_role_permission_changes_are_recorded_by_codename():
    role = Group.objects.create(name="Privacy test")
    permission = Permission.objects.get(codename="view_accesslogentry")
    mark = last_pk()
    role.permissions.add(permission)
    role.permissions.remove(permission)
    permission.group_set.add(role)
    entries = entries_after(mark, action=AccessAction.PERMISSION_CHANGED)
    assert [(e.object_type, e.object_id, e.details) for e in entries] == [
        ("auth.group", str(role.pk), {"added": ["audit.view_accesslogentry"]}),
        ("auth.group", str(role.pk), {"removed": ["audit.view_accesslogentry"]}),
        ("auth.group", str(role.pk), {"added": ["audit.view_accesslogentry"]}),
    ]
    assert entries[0].actor_id is None  # no request, no acting_as: the system


def test_direct_user_permissions_are_recorded():
    user = staff_member_create()
    permission = Permission.objects.get(codename="view_accesslogentry")
    mark = last_pk()
    user.user_permissions.add(permission)
    (entry,) = entries_after(mark, action=AccessAction.PERMISSION_CHANGED)
    assert (entry.object_type, entry.details) == (
        "auth.user",
        {"added": ["audit.view_accesslogentry"]},
    )


def test_disabling_and_enabling_an_account_are_recorded_once_each():
    user = staff_member_create()
    mark = last_pk()
    user.is_active = False
    user.save()
    user.save()  # no change: nothing more
    user.is_active = True
    user.save(update_fields=["is_active"])
    user.first_name = "Autre"
    user.save(update_fields=["first_name"])
    entries = entries_after(
        mark, action__in=[AccessAction.ACCOUNT_DISABLED, AccessAction.ACCOUNT_ENABLED]
    )
    assert [(e.action, e.object_id) for e in entries] == [
        (AccessAction.ACCOUNT_DISABLED, str(user.pk)),
        (AccessAction.ACCOUNT_ENABLED, str(user.pk)),
    ]


def test_granting_superuser_status_is_recorded():
    user = staff_member_create()
    mark = last_pk()
    user.is_superuser = True
    user.save()
    (entry,) = entries_after(mark, action=AccessAction.ROLE_CHANGED)
    assert entry.details == {"is_superuser": True}


def test_a_wagtail_page_publish_is_mirrored_with_ids_only(site_home):
    editor = staff_member_create(is_superuser=True)
    page = page_add(StandardPage, parent=site_home, title="À propos")
    mark = last_pk()
    page.save_revision(user=editor, log_action=True).publish(user=editor)
    wagtail_entry = PageLogEntry.objects.filter(page=page, action="wagtail.publish").latest("pk")
    mirrored = [
        e
        for e in entries_after(mark, action=AccessAction.CONTENT_ACTION)
        if e.details["wagtail_action"] == "wagtail.publish"
    ]
    assert len(mirrored) == 1
    entry = mirrored[0]
    content_type = ContentType.objects.get_for_model(page)
    assert entry.actor_id == editor.pk
    assert entry.object_type == f"{content_type.app_label}.{content_type.model}"
    assert entry.object_id == str(page.pk)
    assert entry.details == {
        "wagtail_action": "wagtail.publish",
        "wagtail_log": "page",
        "wagtail_log_id": wagtail_entry.pk,
    }
    assert page.title not in row_text(entry)
