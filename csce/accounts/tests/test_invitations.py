"""Staff accounts are created by invitation: the person sets their own password (policy M)."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from csce.accounts.invitations import staff_invitation_create
from csce.accounts.models import PersonType, StaffInvitation, StaffProfile
from csce.accounts.roles import PROGRAM_STAFF, TECHNICAL_ADMIN

pytestmark = pytest.mark.django_db

CHOSEN = "tiroir galop mésange brique"
LINK = re.compile(r"https?://\S+/admin/invitation/[\w-]+/")


def _create(client, **extra):
    data = {
        "username": "mbelanger",
        "email": "m.belanger@example.org",
        "first_name": "Maude",
        "last_name": "Bélanger",
        "groups": [Group.objects.get(name=PROGRAM_STAFF).pk],
        "person_type": PersonType.EMPLOYEE,
        "language": "fr",
        **extra,
    }
    return client.post(reverse("wagtailusers_users:add"), data)


def _set(client, url, password=CHOSEN):
    return client.post(url, {"new_password1": password, "new_password2": password})


def test_the_create_form_has_no_password_field(client, staff_login):
    staff_login(role=TECHNICAL_ADMIN)
    html = client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="email"' in html
    assert 'name="person_type"' in html
    assert 'type="password"' not in html


@pytest.mark.parametrize(
    ("language", "greeting", "subject"),
    [("fr", "Bonjour Maude Bélanger", "mot de passe"), ("en", "Hello Maude Bélanger", "password")],
)
def test_invited_person_sets_their_own_password_then_enrols(
    client, staff_login, smtp_inbox, django_capture_on_commit_callbacks, language, greeting, subject
):
    admin = staff_login(role=TECHNICAL_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        response = _create(client, language=language)
    assert response.status_code == 302, response.content.decode()[:2000]
    user = get_user_model().objects.get(username="mbelanger")
    assert not user.has_usable_password()
    assert StaffProfile.objects.get(user=user).person_type == PersonType.EMPLOYEE

    [message] = smtp_inbox.wait(1)
    assert message["To"] == "m.belanger@example.org"
    assert subject in message["Subject"].lower()
    body = message.get_content()
    assert greeting in body
    url = LINK.search(body).group(0)
    token = url.rstrip("/").rsplit("/", 1)[1]
    invitation = StaffInvitation.objects.get(user=user)
    assert token not in invitation.token_hash
    assert invitation.invited_by == admin

    newcomer = Client()
    page = newcomer.get(url)
    assert page.status_code == 200
    assert 'autocomplete="new-password"' in page.content.decode()
    response = _set(newcomer, url)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(CHOSEN)

    # The link works once.
    again = Client()
    assert again.get(url).status_code == 410
    assert _set(again, url, "une autre phrase tout aussi longue").status_code == 410
    user.refresh_from_db()
    assert user.check_password(CHOSEN)

    # First sign-in: the second factor is enrolled, as for every account.
    newcomer.post(reverse("wagtailadmin_login"), {"username": "mbelanger", "password": CHOSEN})
    response = newcomer.get("/admin/")
    assert response["Location"].startswith(reverse("csce_mfa:enrol"))


def test_the_link_expires(client, staff_user_make, time_machine, settings):
    user = staff_user_make(username="expire")
    _invitation, token = staff_invitation_create(user=user, invited_by=None)
    url = reverse("accounts_invitation_accept", kwargs={"token": token})
    time_machine.move_to(
        datetime.datetime.now(tz=datetime.UTC)
        + datetime.timedelta(seconds=settings.STAFF_INVITATION_SECONDS + 60)
    )
    assert client.get(url).status_code == 410
    assert _set(client, url).status_code == 410
    user.refresh_from_db()
    assert not user.check_password(CHOSEN)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_link_dies_with_the_account(client, staff_user_make, language):
    user = staff_user_make(username="parti")
    _invitation, token = staff_invitation_create(user=user, invited_by=None)
    url = reverse("accounts_invitation_accept", kwargs={"token": token})
    user.is_active = False
    user.save()
    client.cookies["csce_language"] = language
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 410
    expected = {"fr": "ne fonctionne plus", "en": "no longer works"}[language]
    assert expected in response.content.decode()
    assert _set(client, url).status_code == 410


def test_a_new_invitation_replaces_the_last(client, staff_user_make):
    user = staff_user_make(username="renvoi")
    _first, old = staff_invitation_create(user=user, invited_by=None)
    _second, new = staff_invitation_create(user=user, invited_by=None)
    assert (
        _set(client, reverse("accounts_invitation_accept", kwargs={"token": old})).status_code
        == 410
    )
    assert (
        _set(client, reverse("accounts_invitation_accept", kwargs={"token": new})).status_code
        == 302
    )


def test_a_typed_token_that_matches_nothing_is_refused(client):
    assert client.get("/admin/invitation/not-a-real-token/").status_code == 410


def test_make_admin_still_creates_the_first_account(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", CHOSEN)
    call_command(
        "createsuperuser",
        "--noinput",
        "--username",
        "premier",
        "--email",
        "premier@example.org",
        stdout=io.StringIO(),
    )
    assert get_user_model().objects.get(username="premier").check_password(CHOSEN)


def test_an_account_never_activated_gets_a_new_link(
    client, staff_login, staff_user_make, smtp_inbox, django_capture_on_commit_callbacks
):
    staff_login(role=TECHNICAL_ADMIN)
    invited = staff_user_make(username="tardif")
    invited.set_unusable_password()
    invited.save()
    _first, old = staff_invitation_create(user=invited, invited_by=None)
    listing = client.get(reverse("wagtailusers_users:index")).content.decode()
    url = reverse("accounts_invitation_resend", args=[invited.pk])
    assert url in listing
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    [message] = smtp_inbox.wait(1)
    link = LINK.search(message.get_content()).group(0)
    assert old not in link
    assert (
        _set(Client(), reverse("accounts_invitation_accept", kwargs={"token": old})).status_code
        == 410
    )
    assert _set(Client(), link).status_code == 302


def test_no_new_link_for_an_account_with_a_password(client, staff_login, staff_user_make):
    staff_login(role=TECHNICAL_ADMIN)
    active = staff_user_make(username="actif")
    url = reverse("accounts_invitation_resend", args=[active.pk])
    assert url not in client.get(reverse("wagtailusers_users:index")).content.decode()
    assert client.post(url).status_code in (302, 403)  # Wagtail's answer to a refusal
    assert not StaffInvitation.objects.filter(user=active).exists()


def test_only_who_may_add_accounts_sends_invitations(client, staff_login, staff_user_make):
    staff_login(role=PROGRAM_STAFF)
    invited = staff_user_make(username="attente")
    invited.set_unusable_password()
    invited.save()
    url = reverse("accounts_invitation_resend", args=[invited.pk])
    assert client.post(url).status_code in (302, 403)
    assert not StaffInvitation.objects.filter(user=invited).exists()
