"""The session key changes when the second factor is verified (policy M)."""

from __future__ import annotations

from base64 import b32encode

import pyotp
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from csce.accounts.factories import staff_user

pytestmark = pytest.mark.django_db

PASSWORD = "une phrase de passe assez longue"


@pytest.fixture
def staff(db):
    return staff_user(username="key-staff", password=PASSWORD, superuser=True, is_staff=True)


def test_verifying_the_second_factor_gives_a_new_session_key(client, staff):
    response = client.post(
        reverse("wagtailadmin_login"), {"username": staff.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    device = TOTPDevice.objects.get(user=staff)
    code = pyotp.TOTP(b32encode(device.bin_key).decode()).now()

    response = client.post(reverse("csce_mfa:verify"), {"code": code})

    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert client.get("/admin/").status_code == 200
    # Whoever kept the key from before the second factor holds nothing.
    stale = Client()
    stale.cookies[settings.SESSION_COOKIE_NAME] = before
    response = stale.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
