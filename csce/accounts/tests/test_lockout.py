"""Five failed sign-ins lock a username from one address for 15 minutes (policy M, ASVS)."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from csce.accounts.lockout import client_ip_pseudonym
from csce.accounts.roles import CONTENT, TECHNICAL_ADMIN
from csce.audit.models import AccessAction, AccessLogEntry

pytestmark = pytest.mark.django_db
PASSWORD = "une phrase de passe assez longue"
ADDRESS = "203.0.113.7"


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


def test_four_failures_do_not(client, editor):
    for _attempt in range(4):
        _sign_in(client, "redactrice", "mauvais mot de passe")
    assert _sign_in(client, "redactrice", PASSWORD).status_code == 302


def test_another_address_is_not_locked(client, editor):
    _fail_five_times(client)
    assert _sign_in(client, "redactrice", PASSWORD, address="198.51.100.9").status_code == 302


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
