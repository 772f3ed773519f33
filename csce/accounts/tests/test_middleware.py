"""Superuser status is break-glass: each session that uses it is logged and shown to the AED."""

import pytest
from django.urls import reverse

from csce.accounts.factories import staff_sign_in
from csce.accounts.roles import AED, CONTENT, PRIVACY_OFFICER
from csce.audit.models import AccessAction, AccessLogEntry

pytestmark = pytest.mark.django_db


def _uses():
    return AccessLogEntry.objects.filter(action=AccessAction.SUPERUSER_USED)


def test_a_superuser_session_is_logged_once(client, staff_login):
    admin = staff_login(superuser=True)
    client.get(reverse("wagtailadmin_home"))
    client.get(reverse("wagtailusers_users:index"))
    client.get(reverse("wagtailadmin_explore_root"))
    assert _uses().count() == 1
    entry = _uses().get()
    assert entry.actor_id == admin.pk
    assert entry.details == {"view": "wagtailadmin_home"}


def test_each_new_session_is_logged_again(client, staff_user_make):
    admin = staff_user_make(superuser=True)
    for _session in range(2):
        staff_sign_in(client, admin)
        client.get(reverse("wagtailadmin_home"))
        client.logout()
    assert _uses().count() == 2


def test_other_staff_and_public_pages_are_not_logged(client, staff_login):
    staff_login(role=CONTENT)
    client.get(reverse("wagtailadmin_home"))
    assert not _uses().exists()


def test_a_superuser_on_the_public_site_is_not_logged(client, staff_login, site_home):
    staff_login(superuser=True)
    client.get("/fr/")
    assert not _uses().exists()


@pytest.mark.parametrize("role", [AED, PRIVACY_OFFICER])
def test_the_aed_sees_the_superuser_sessions_on_the_dashboard(client, staff_user_make, role):
    admin = staff_user_make(superuser=True, first_name="Brise", last_name="Glace")
    staff_sign_in(client, admin)
    client.get(reverse("wagtailadmin_home"))
    client.logout()
    reviewer = staff_user_make(role=role)
    staff_sign_in(client, reviewer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Brise Glace" in html
    assert 'id="superuser-use-heading"' in html


def test_other_roles_do_not_see_the_panel(client, staff_login):
    staff_login(role=CONTENT)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="superuser-use-heading"' not in html
