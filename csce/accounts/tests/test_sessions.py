"""Staff sessions: 30 minutes idle, 12 hours in all; a new password ends other sessions (M)."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from csce.accounts.factories import staff_sign_in
from csce.accounts.roles import CONTENT

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 11, 27, 8, 0, tzinfo=datetime.UTC)


def _is_signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("wagtailadmin_login")
    )


@pytest.fixture
def signed_in(client, staff_user_make):
    with time_machine.travel(START, tick=False):
        user = staff_user_make(role=CONTENT)
        staff_sign_in(client, user)
        assert client.get(reverse("wagtailadmin_home")).status_code == 200
    return user


def test_activity_within_30_minutes_keeps_the_session(client, signed_in):
    for minutes in (29, 58, 87):
        with time_machine.travel(START + datetime.timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_31_idle_minutes_end_the_session(client, signed_in):
    with time_machine.travel(START + datetime.timedelta(minutes=31), tick=False):
        assert _is_signed_out(client.get(reverse("wagtailadmin_home")))
    assert "_auth_user_id" not in client.session


def test_12_hours_end_even_an_active_session(client, signed_in):
    moment = START
    while moment + datetime.timedelta(minutes=25) < START + datetime.timedelta(
        hours=11, minutes=50
    ):
        moment += datetime.timedelta(minutes=25)
        with time_machine.travel(moment, tick=False):
            response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    with time_machine.travel(START + datetime.timedelta(hours=12, minutes=5), tick=False):
        assert _is_signed_out(client.get(reverse("wagtailadmin_home")))


def test_anonymous_visitors_still_get_no_cookie(client, site_home):
    response = client.get("/fr/")
    assert response.status_code == 200
    assert not response.cookies


def test_a_new_password_ends_the_other_sessions(staff_user_make):
    user = staff_user_make(role=CONTENT)
    laptop, phone = Client(), Client()
    staff_sign_in(laptop, user)
    staff_sign_in(phone, user)
    assert phone.get(reverse("wagtailadmin_home")).status_code == 200
    user = get_user_model().objects.get(pk=user.pk)
    user.set_password("une toute nouvelle phrase de passe")
    user.save()
    # Django's session auth hash: the stored hash no longer matches the password's.
    assert _is_signed_out(phone.get(reverse("wagtailadmin_home")))
    assert _is_signed_out(laptop.get(reverse("wagtailadmin_home")))
