"""Five failed sign-ins lock for 15 minutes (policy M, ASVS 2.2): one address, whatever
usernames it tries; one username, from whatever addresses; never for good, and never the
browser where the staff member completed a sign-in before (decision 0014)."""

import datetime
from base64 import b32encode

import pyotp
import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from csce.accounts.lockout import TRUSTED_DEVICE_COOKIE, client_ip_pseudonym
from csce.accounts.roles import CONTENT, TECHNICAL_ADMIN
from csce.audit.models import AccessAction, AccessLogEntry
from csce.common import policy

pytestmark = pytest.mark.django_db
PASSWORD = "une phrase de passe assez longue"
ADDRESS = "203.0.113.7"
LIMIT = settings.AXES_FAILURE_LIMIT


def _sign_in(client, username, password, language="fr", address=ADDRESS):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        HTTP_ACCEPT_LANGUAGE=language,
        REMOTE_ADDR=address,
    )


def _fail_five_times(client, username="redactrice"):
    for _attempt in range(5):
        _sign_in(client, username, "mauvais mot de passe")


@pytest.fixture
def editor(staff_user_make):
    return staff_user_make(role=CONTENT, username="redactrice")


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("fr", "Connexion bloquée pendant 15 minutes"),
        ("en", "Sign-in locked for 15 minutes"),
    ],
)
def test_five_failures_lock_the_account_with_a_bilingual_page(client, editor, language, message):
    _fail_five_times(client)
    response = _sign_in(client, "redactrice", PASSWORD, language=language)
    assert response.status_code == 429
    assert message in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_says_the_duration_of_policy_py(client, editor, monkeypatch):
    """Policy M: the minutes shown come from csce/common/policy.py, never typed."""
    monkeypatch.setattr(policy, "LOCKOUT_MINUTES", 20)
    _fail_five_times(client)
    page = _sign_in(client, "redactrice", PASSWORD, language="fr").content.decode()
    assert "Connexion bloquée pendant 20 minutes" in page
    assert "Attendez 20 minutes" in page


def test_four_failures_do_not(client, editor):
    for _attempt in range(4):
        _sign_in(client, "redactrice", "mauvais mot de passe")
    assert _sign_in(client, "redactrice", PASSWORD).status_code == 302


def test_another_username_from_another_address_is_not_locked(client, staff_user_make):
    staff_user_make(role=CONTENT, username="comptable")
    _fail_five_times(client)
    assert _sign_in(Client(), "comptable", PASSWORD, address="198.51.100.9").status_code == 302


def test_one_address_trying_many_usernames_is_locked(editor):
    for number in range(LIMIT):
        _sign_in(Client(), f"inconnu{number}", "mauvais mot de passe")
    assert _sign_in(Client(), "redactrice", PASSWORD).status_code == 429
    assert _sign_in(Client(), "redactrice", PASSWORD, address="198.51.100.9").status_code == 302


def _guess_from_many_addresses(username="redactrice", count=LIMIT):
    for number in range(count):
        _sign_in(Client(), username, f"essai {number}", address=f"192.0.2.{number + 10}")


def test_one_username_tried_from_many_addresses_is_throttled(editor):
    _guess_from_many_addresses()
    # A new browser at a new address: refused before the password is read, right or wrong.
    right = _sign_in(Client(), "redactrice", PASSWORD, address="198.51.100.9")
    wrong = _sign_in(Client(), "redactrice", "autre essai", address="198.51.100.10")
    assert right.status_code == wrong.status_code == 429
    for response in (right, wrong):
        assert "Connexion bloquée pendant 15 minutes" in response.content.decode()


def test_the_username_throttle_lifts_after_15_minutes(editor):
    _guess_from_many_addresses()
    with time_machine.travel(datetime.timedelta(minutes=16)):
        assert _sign_in(Client(), "redactrice", PASSWORD, address="198.51.100.9").status_code == 302


@pytest.fixture
def no_totp_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _app_code(user) -> str:
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, defaults={"name": "Téléphone", "confirmed": True}
    )
    return pyotp.TOTP(b32encode(device.bin_key).decode()).now()


def _signed_in_browser(user, address=ADDRESS) -> Client:
    """The staff member's own browser, after a complete sign-in: password and app code."""
    _app_code(user)
    browser = Client()
    assert _sign_in(browser, user.get_username(), PASSWORD, address=address).status_code == 302
    code = _app_code(user)
    response = browser.post(reverse("csce_mfa:verify"), {"code": code}, REMOTE_ADDR=address)
    assert response.status_code == 302
    assert TRUSTED_DEVICE_COOKIE in response.cookies
    browser.post(reverse("wagtailadmin_logout"), REMOTE_ADDR=address)
    return browser


def test_guessing_elsewhere_does_not_lock_the_owner_s_browser_out(editor, no_totp_throttle):
    browser = _signed_in_browser(editor)
    _guess_from_many_addresses(count=LIMIT * 2)
    for number in range(LIMIT):
        _sign_in(Client(), f"inconnu{number}", "mauvais mot de passe", address="198.51.100.9")
    # The owner, travelling: a new address (even the one that sprayed), their own browser.
    with time_machine.travel(datetime.timedelta(minutes=1)):
        response = _sign_in(browser, "redactrice", PASSWORD, address="198.51.100.9")
        assert response.status_code == 302
        verified = browser.post(
            reverse("csce_mfa:verify"), {"code": _app_code(editor)}, REMOTE_ADDR="198.51.100.9"
        )
        assert verified.status_code == 302
        assert browser.get(reverse("wagtailadmin_home")).status_code == 200


def test_the_trusted_browser_still_counts_its_own_failures(editor, no_totp_throttle):
    browser = _signed_in_browser(editor)
    _fail_five_times(browser)
    assert _sign_in(browser, "redactrice", PASSWORD).status_code == 429


def test_a_trusted_device_cookie_is_only_for_its_username(
    editor, staff_user_make, no_totp_throttle
):
    other = staff_user_make(role=CONTENT, username="comptable")
    browser = _signed_in_browser(other)
    _guess_from_many_addresses()
    assert _sign_in(browser, "redactrice", PASSWORD, address="198.51.100.9").status_code == 429
    browser.cookies[TRUSTED_DEVICE_COOKIE] = "forged"
    assert _sign_in(browser, "comptable", PASSWORD, address="198.51.100.9").status_code == 302


def test_the_lock_lifts_after_15_minutes(client, editor):
    _fail_five_times(client)
    with time_machine.travel(datetime.timedelta(minutes=16)):
        assert _sign_in(client, "redactrice", PASSWORD).status_code == 302


def test_the_lockout_is_logged_without_the_name_or_address(client, editor):
    _fail_five_times(client)
    entry = AccessLogEntry.objects.get(action=AccessAction.LOCKED_OUT)
    assert entry.object_id == str(editor.pk)
    assert "redactrice" not in str(entry.details)
    assert ADDRESS not in str(entry.details)


def test_no_address_is_stored(client, editor):
    _fail_five_times(client)
    stored = set(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert ADDRESS not in stored
    assert len(stored) == 1
    assert stored.pop() != ADDRESS


def test_the_pseudonym_is_stable_and_keyed(rf, settings):
    request = rf.get("/", REMOTE_ADDR=ADDRESS)
    first = client_ip_pseudonym(request)
    assert client_ip_pseudonym(request) == first
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert client_ip_pseudonym(request) != first


def test_the_technical_administrator_unlocks_and_it_is_logged(client, editor, staff_login):
    from django.test import Client

    attacker = Client()
    _fail_five_times(attacker)
    admin = staff_login(role=TECHNICAL_ADMIN)
    page = client.get(reverse("accounts_lockouts")).content.decode()
    assert "redactrice" in page
    response = client.post(reverse("accounts_lockouts"), {"username": "redactrice"})
    assert response.status_code == 302
    assert _sign_in(attacker, "redactrice", PASSWORD).status_code == 302
    entry = AccessLogEntry.objects.get(action=AccessAction.UNLOCKED)
    assert entry.actor_id == admin.pk
    assert entry.object_id == str(editor.pk)


def test_other_roles_cannot_unlock(client, staff_login):
    staff_login(role=CONTENT)
    response = client.post(reverse("accounts_lockouts"), {"username": "redactrice"})
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert not AccessLogEntry.objects.filter(action=AccessAction.UNLOCKED).exists()


def _reset(client, email, address=ADDRESS):
    return client.post(
        reverse("wagtailadmin_password_reset"), {"email": email}, REMOTE_ADDR=address
    )


def test_password_reset_answers_the_same_for_unknown_addresses(client, editor):
    known = _reset(client, editor.email)
    unknown = _reset(client, "personne@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert [m.to for m in mail.outbox] == [[editor.email]]


def test_password_reset_is_rate_limited_per_email_and_per_address(client, editor):
    for _attempt in range(5):
        assert _reset(client, editor.email, address=f"198.51.100.{_attempt}").status_code == 302
    assert len(mail.outbox) == 3  # per e-mail: 3 an hour
    mail.outbox.clear()
    for number in range(7):
        _reset(client, f"inconnu{number}@example.org", address="192.0.2.1")
    assert _reset(client, editor.email, address="192.0.2.1").status_code == 302
    assert mail.outbox == []  # per address: 5 an hour, whoever is asked for


def test_password_reset_limit_holds_after_the_cache_is_cleared(client, editor):
    for _attempt in range(3):
        _reset(client, editor.email, address=f"198.51.100.{_attempt}")
    assert len(mail.outbox) == 3
    cache.clear()  # a cull or a restart
    _reset(client, editor.email, address="198.51.100.9")
    assert len(mail.outbox) == 3
