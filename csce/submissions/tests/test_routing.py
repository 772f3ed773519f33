"""Which inbox receives a form or a topic is changed by the AED only, and every change is
logged and told to the AED (policy F): an ordinary page edit or publish cannot reroute."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page
from wagtail.users.models import UserProfile

from csce.accounts import roles
from csce.audit.models import AccessAction, AccessLogEntry
from csce.submissions.models import ProgramPage

from .test_admin_views import signed_in
from .test_page_forms import edit_form_data, edit_url
from .test_registration import program_page_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher(client, site_home):
    """A webmaster who may publish every page but holds no routing permission."""
    group = Group.objects.create(name="Webmestres")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for home in Page.objects.filter(depth=2):
        for codename in ("change_page", "publish_page"):
            GroupPagePermission.objects.create(
                group=group,
                page=home,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    user = signed_in(client, username="webmestre")
    user.groups.add(group)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "fr"  # the admin's default
    profile.save()
    return user


@pytest.fixture
def program(services) -> ProgramPage:
    """A French program sent to the Program staff inbox."""
    return program_page_create(parent=services["fr"])


@pytest.fixture
def mark(program, inquiry_page) -> int:
    """Creating the forms is logged too: each test reads what comes after."""
    return AccessLogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _routing_entries(page, mark: int) -> list[AccessLogEntry]:
    return list(
        AccessLogEntry.objects.filter(
            action=AccessAction.ROUTING_CHANGED, object_id=str(page.pk), pk__gt=mark
        ).order_by("pk")
    )


def test_publishing_another_inbox_is_refused_next_to_the_field(client, publisher, program, mark):
    page = program
    data = edit_form_data(client, page)
    communications = Group.objects.get(name=roles.COMMUNICATIONS)
    data["inbox"] = str(communications.pk)

    response = client.post(edit_url(page), data)

    assert response.status_code == 200
    assert "Seule la direction générale adjointe" in str(response.context["form"].errors["inbox"])
    page.refresh_from_db()
    assert page.inbox.name == roles.PROGRAM_STAFF
    assert page.get_latest_revision_as_object().inbox.name == roles.PROGRAM_STAFF
    assert not _routing_entries(page, mark)


def test_the_refusal_is_in_the_editors_language(client, publisher, program, mark):
    profile = UserProfile.get_for_user(publisher)
    profile.preferred_language = "en"
    profile.save()
    page = program
    data = edit_form_data(client, page)
    data["inbox"] = str(Group.objects.get(name=roles.COMMUNICATIONS).pk)
    response = client.post(edit_url(page), data)
    assert "Only the Assistant Executive Director" in str(response.context["form"].errors["inbox"])


def test_an_edit_that_keeps_the_routing_is_published(client, publisher, program, mark):
    page = program
    data = edit_form_data(client, page)
    data["title"] = "Atelier renommé"
    assert client.post(edit_url(page), data).status_code == 302
    page.refresh_from_db()
    assert page.title == "Atelier renommé"
    assert not _routing_entries(page, mark)


def test_a_topic_cannot_be_sent_to_another_inbox_by_an_ordinary_publish(
    client, publisher, inquiry_page, mark
):
    page = inquiry_page
    data = edit_form_data(client, page)
    topic = page.topics.order_by("sort_order").first()
    prefix = next(
        f"topics-{n}"
        for n in range(int(data["topics-TOTAL_FORMS"]))
        if data.get(f"topics-{n}-id") == str(topic.pk)
    )
    other = Group.objects.exclude(pk=topic.inbox_id).get(name=roles.PRIVACY_OFFICER)
    data[f"{prefix}-inbox"] = str(other.pk)

    response = client.post(edit_url(page), data)

    assert response.status_code == 200
    topic.refresh_from_db()
    assert topic.inbox_id != other.pk
    assert not _routing_entries(page, mark)


def test_the_aed_reroutes_and_the_change_is_logged_and_told(client, program, mailoutbox, mark):
    aed = signed_in(client, username="dga", role=roles.AED)
    page = program
    before = page.inbox_id
    data = edit_form_data(client, page)
    communications = Group.objects.get(name=roles.COMMUNICATIONS)
    data["inbox"] = str(communications.pk)

    assert client.post(edit_url(page), data).status_code == 302

    page.refresh_from_db()
    assert page.inbox == communications
    (entry,) = _routing_entries(page, mark)
    assert entry.actor_id == aed.pk
    assert entry.details == {"before": {"inbox": before}, "after": {"inbox": communications.pk}}
    assert [m.to for m in mailoutbox] == [[aed.email]]
    assert page.title in mailoutbox[0].subject
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in mailoutbox[0].body
