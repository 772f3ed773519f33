"""Failed second factors are logged and counted with failed passwords (policy M, ASVS 2.2)."""

from __future__ import annotations

from base64 import b32encode

import pyotp
import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from csce.accounts.roles import CONTENT
from csce.audit.models import AccessAction, AccessLogEntry

pytestmark = pytest.mark.django_db

PASSWORD = "une phrase de passe assez longue"
WRONG_APP_CODE = "123456"
WRONG_RECOVERY_CODE = "zzzzz-zzzzz"


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def staff(staff_user_make):
    user = staff_user_make(role=CONTENT, username="deuxieme-etape")
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    return user


def _sign_in(client) -> int:
    response = client.post(
        reverse("wagtailadmin_login"), {"username": "deuxieme-etape", "password": PASSWORD}
    )
    return response.status_code


def _verify(client, code):
    return client.post(reverse("csce_mfa:verify"), {"code": code})


def _right_code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return pyotp.TOTP(b32encode(device.bin_key).decode()).now()


def test_wrong_codes_are_logged_by_factor_never_by_value(client, staff):
    assert _sign_in(client) == 302
    _verify(client, WRONG_APP_CODE)
    _verify(client, WRONG_RECOVERY_CODE)
    entries = AccessLogEntry.objects.filter(action=AccessAction.SIGN_IN_FAILED).order_by("pk")
    assert [e.details for e in entries] == [
        {"step": "second_factor", "factor": "totp"},
        {"step": "second_factor", "factor": "recovery_codes"},
    ]
    assert all(e.actor_id == staff.pk for e in entries)
    stored = " ".join(
        str(e.details) + e.object_type + e.object_id for e in AccessLogEntry.objects.all()
    )
    stored += " ".join(AccessAttempt.objects.values_list("post_data", flat=True))
    assert WRONG_APP_CODE not in stored
    assert "zzzzz" not in stored


def test_five_wrong_codes_lock_the_account_and_end_the_sign_in(client, staff):
    assert _sign_in(client) == 302
    for _attempt in range(4):
        assert _verify(client, WRONG_APP_CODE).status_code == 200
    response = _verify(client, WRONG_APP_CODE)
    assert response.status_code == 429
    assert "Connexion bloquée pendant 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessLogEntry.objects.filter(action=AccessAction.LOCKED_OUT).count() == 1
    # The password step is locked too, for this username from this address.
    assert _sign_in(client) == 429


def test_a_locked_out_session_on_the_verify_step_gets_the_lockout_page(client, staff):
    waiting = Client()
    waiting.force_login(staff)  # a session that had passed the password before the lock
    assert _sign_in(client) == 302
    for _attempt in range(5):
        _verify(client, WRONG_APP_CODE)
    response = waiting.get(reverse("csce_mfa:verify"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Sign-in locked for 15 minutes" in response.content.decode()
    assert _verify(waiting, _right_code(staff)).status_code == 302  # signed out: to sign-in
    assert waiting.get("/admin/")["Location"].startswith(reverse("wagtailadmin_login"))


def test_failed_passwords_and_failed_codes_add_up(client, staff):
    for _attempt in range(3):
        client.post(
            reverse("wagtailadmin_login"), {"username": "deuxieme-etape", "password": "mauvais"}
        )
    assert _sign_in(client) == 302
    assert _verify(client, WRONG_APP_CODE).status_code == 200
    assert _verify(client, WRONG_APP_CODE).status_code == 429


def test_signing_in_again_with_the_password_gives_no_new_guesses(client, staff):
    assert _sign_in(client) == 302
    for _attempt in range(4):
        _verify(client, WRONG_APP_CODE)
    assert _sign_in(client) == 302
    assert _verify(client, WRONG_APP_CODE).status_code == 429


def test_the_right_code_clears_the_failures(client, staff):
    assert _sign_in(client) == 302
    for _attempt in range(4):
        _verify(client, WRONG_APP_CODE)
    assert _verify(client, _right_code(staff)).status_code == 302
    assert not AccessAttempt.objects.exists()
    assert client.get("/admin/").status_code == 200


def test_a_failed_passkey_is_logged_and_counted(client, staff):
    assert _sign_in(client) == 302
    url = reverse("otp_webauthn:credential-authentication-complete")
    for _attempt in range(4):
        response = client.post(url, "{}", content_type="application/json")
        assert response.status_code == 400  # no ceremony begun: refused by the library
    entries = AccessLogEntry.objects.filter(action=AccessAction.SIGN_IN_FAILED)
    assert [e.details for e in entries] == [{"step": "second_factor", "factor": "passkey"}] * 4
    assert _verify(client, WRONG_APP_CODE).status_code == 429


def test_a_locked_out_passkey_attempt_is_refused(client, staff):
    assert _sign_in(client) == 302
    for _attempt in range(4):
        _verify(client, WRONG_APP_CODE)
    other = Client()
    other.force_login(staff)
    _verify(client, WRONG_APP_CODE)
    url = reverse("otp_webauthn:credential-authentication-complete")
    response = other.post(url, "{}", content_type="application/json")
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
