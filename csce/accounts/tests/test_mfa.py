"""Mandatory second factor on every admin view (policy M)."""

from __future__ import annotations

import io
import json
import re
from base64 import b32encode
from importlib import import_module

import pyotp
import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from csce.accounts import mfa
from csce.accounts.factories import staff_user
from csce.accounts.mfa_middleware import OPEN_VIEWS
from csce.accounts.mfa_models import RecoveryCodeDevice
from csce.accounts.testing import login_with_mfa
from csce.audit.models import AccessAction, AccessLogEntry

pytestmark = pytest.mark.django_db

PASSWORD = "une phrase de passe assez longue"


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # django-otp slows down guessing after a failure; these tests type a wrong code on purpose.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def staff(db):
    # Policy M: these tests enrol the second factor, so the account starts without one.
    return staff_user(
        username="mfa-staff", password=PASSWORD, superuser=True, is_staff=True, verified=False
    )


def _totp(device: TOTPDevice) -> str:
    return pyotp.TOTP(b32encode(device.bin_key).decode()).now()


def _confirmed_totp(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)


def _sample_path(route: str) -> str | None:
    """A concrete path for an admin URL pattern, or None when it cannot be made."""
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"<path:\w+>", "a/b", route)
    route = re.sub(r"<(?:str|slug)?:?\w+>", "x", route)
    route = re.sub(r"\(\?P<\w+>\[0-9\]\+\)|\(\?P<\w+>\\d\+\)", "1", route)
    route = re.sub(r"\(\?P<\w+>[^()]*\)", "x", route)
    route = route.replace("\\.", ".").replace("\\-", "-")
    if re.search(r"[()\[\]*+?|\\{}]", route):
        return None
    return "/" + route


def admin_paths() -> list[tuple[str, str]]:
    """(path, view name) of every admin URL pattern of the URL conf, walked recursively."""
    found: list[tuple[str, str]] = []

    def walk(resolver, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern, route)
            elif isinstance(pattern, URLPattern) and route.startswith(("admin/", "^admin/")):
                found.append((route, pattern.name or pattern.lookup_str))

    walk(get_resolver(), "")
    return found


def test_every_admin_url_needs_a_second_factor(client, staff):
    """Signed in with a password only, no admin URL answers: each leads to MFA."""
    client.force_login(staff)
    enrol, verify = reverse("csce_mfa:enrol"), reverse("csce_mfa:verify")
    checked, skipped = 0, []
    for route, name in admin_paths():
        path = _sample_path(route)
        if path is None:
            skipped.append(route)  # a regular expression we cannot instantiate
            continue
        match = resolve(path)
        if match.view_name in OPEN_VIEWS:
            continue
        response = client.get(path)
        assert response.status_code == 302, f"{path} ({name}) answered {response.status_code}"
        assert response["Location"].startswith(enrol), f"{path} ({name}) went elsewhere"
        checked += 1
    assert checked > 150, f"only {checked} admin URLs found"
    assert len(skipped) < 5, skipped

    _confirmed_totp(staff)  # with a factor, the same URLs lead to verification
    for route, _name in admin_paths():
        path = _sample_path(route)
        if path is None or resolve(path).view_name in OPEN_VIEWS:
            continue
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(verify), path


def test_open_views_are_only_signing_in_and_mfa():
    assert all(
        name.startswith(("wagtailadmin_", "csce_mfa:", "otp_webauthn:")) for name in OPEN_VIEWS
    )
    assert "csce_mfa:manage" not in OPEN_VIEWS
    assert "csce_mfa:remove" not in OPEN_VIEWS


def test_sign_in_lands_on_enrolment_then_continues_to_next(client, staff):
    response = client.post(
        reverse("wagtailadmin_login"),
        {"username": staff.username, "password": PASSWORD, "next": "/admin/pages/"},
    )
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("csce_mfa:enrol"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    secret = page.context["secret"].replace(" ", "")
    assert "<svg" in page.content.decode()
    assert "data:" not in str(page.context["qr_code"])

    code = pyotp.TOTP(secret).now()
    response = client.post(
        reverse("csce_mfa:enrol"), {"name": "Phone", "code": code, "next": "/admin/pages/"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("csce_mfa:recovery_codes"))
    codes_page = client.get(response["Location"])
    codes = codes_page.context["codes"]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert client.get(response["Location"])["Location"] == "/admin/pages/"  # shown once only
    assert client.get("/admin/pages/").status_code == 200
    added = AccessLogEntry.objects.filter(action=AccessAction.MFA_ADDED, actor_id=staff.pk)
    assert sorted(e.details["device_type"] for e in added) == ["recovery_codes", "totp"]
    assert all(secret not in str(e.details) for e in added)


def test_enrolment_refuses_a_wrong_code(client, staff):
    client.force_login(staff)
    client.get(reverse("csce_mfa:enrol"))
    response = client.post(reverse("csce_mfa:enrol"), {"code": "000000"})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "This code is not valid or has already been used."),
        ("fr", "Ce code n’est pas valide ou a déjà été utilisé."),
    ],
)
def test_wrong_or_replayed_code_is_refused_in_both_languages(client, staff, language, message):
    device = _confirmed_totp(staff)
    client.force_login(staff)
    client.cookies["csce_language"] = language
    url = reverse("csce_mfa:verify")
    response = client.post(url, {"code": "123456"}, HTTP_ACCEPT_LANGUAGE=language)
    assert message in response.content.decode()

    code = _totp(device)
    assert client.post(url, {"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200

    other = Client()
    other.force_login(staff)
    other.cookies["csce_language"] = language
    response = other.post(url, {"code": code}, HTTP_ACCEPT_LANGUAGE=language)  # replayed
    assert response.status_code == 200
    assert message in response.content.decode()
    assert other.get("/admin/").status_code == 302


def test_recovery_code_works_once_only(client, staff, rf):
    _confirmed_totp(staff)
    client.force_login(staff)
    request = rf.get("/")
    request.user = staff
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    codes = mfa.recovery_codes_generate(request=request)

    response = client.post(reverse("csce_mfa:verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    used = AccessLogEntry.objects.filter(action=AccessAction.RECOVERY_CODE_USED)
    assert used.count() == 1
    assert used.get().details == {"device_type": "recovery_codes"}

    other = Client()
    other.force_login(staff)
    response = other.post(reverse("csce_mfa:verify"), {"code": codes[0]})
    assert response.status_code == 200
    assert other.get("/admin/").status_code == 302
    assert mfa.recovery_codes_remaining(user=staff) == 9


def test_removing_a_factor_requires_reauthentication(client, staff):
    first = login_with_mfa(client, staff)
    second = _confirmed_totp(staff)
    remove_url = reverse("csce_mfa:remove", kwargs={"device_type": "totp", "pk": second.pk})

    response = client.post(remove_url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("csce_mfa:reauthenticate"))
    assert TOTPDevice.objects.filter(pk=second.pk).exists()

    reauth = reverse("csce_mfa:reauthenticate")
    bad = client.post(reauth, {"password": "wrong", "code": _totp(first), "next": remove_url})
    assert bad.status_code == 200
    no_code = client.post(reauth, {"password": PASSWORD, "next": remove_url})
    assert no_code.status_code == 200
    ok = client.post(reauth, {"password": PASSWORD, "code": _totp(first), "next": remove_url})
    assert ok.status_code == 302
    assert ok["Location"] == remove_url

    assert client.get(remove_url).status_code == 200  # the confirmation page
    assert client.post(remove_url).status_code == 302
    assert not TOTPDevice.objects.filter(pk=second.pk).exists()
    removed = AccessLogEntry.objects.get(action=AccessAction.MFA_REMOVED)
    assert removed.details == {"device_type": "totp"}
    assert removed.actor_id == staff.pk

    # The last factor stays.
    last = reverse("csce_mfa:remove", kwargs={"device_type": "totp", "pk": first.pk})
    client.post(last)
    assert TOTPDevice.objects.filter(pk=first.pk).exists()
    assert client.get("/admin/").status_code == 200


def test_changing_a_factor_ends_the_other_sessions(client, staff):
    login_with_mfa(client, staff)
    other = Client()
    login_with_mfa(other, staff)
    assert other.get("/admin/").status_code == 200
    assert client.get(reverse("csce_mfa:manage")).status_code == 200

    client.get(reverse("csce_mfa:enrol"))
    pending = TOTPDevice.objects.get(user=staff, confirmed=False)
    response = client.post(reverse("csce_mfa:enrol"), {"name": "Tablet", "code": _totp(pending)})
    assert response.status_code == 302

    assert client.get("/admin/").status_code == 200
    response = other.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_recovery_codes_regenerate_requires_reauthentication(client, staff):
    device = login_with_mfa(client, staff)
    url = reverse("csce_mfa:recovery_codes_regenerate")
    assert client.post(url)["Location"].startswith(reverse("csce_mfa:reauthenticate"))
    assert not RecoveryCodeDevice.objects.filter(user=staff).exists()
    client.post(reverse("csce_mfa:reauthenticate"), {"password": PASSWORD, "code": _totp(device)})
    response = client.post(url)
    assert response["Location"].startswith(reverse("csce_mfa:recovery_codes"))
    assert mfa.recovery_codes_remaining(user=staff) == 10


def test_account_page_links_to_the_factors(client, staff):
    login_with_mfa(client, staff)
    response = client.get(reverse("wagtailadmin_account"))
    assert reverse("csce_mfa:manage") in response.content.decode()
    page = client.get(reverse("csce_mfa:manage"))
    assert page.status_code == 200
    assert "Phone" in page.content.decode() or "test" in page.content.decode()


def test_password_reset_does_not_skip_the_second_factor(client, staff):
    _confirmed_totp(staff)
    uid = urlsafe_base64_encode(force_bytes(staff.pk))
    token = default_token_generator.make_token(staff)
    url = reverse("wagtailadmin_password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    response = client.get(url, follow=True)
    new_password = "une autre phrase de passe bien longue"
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    staff.refresh_from_db()
    assert staff.check_password(new_password)
    client.post(
        reverse("wagtailadmin_login"), {"username": staff.username, "password": new_password}
    )
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("csce_mfa:verify"))


def test_make_admin_account_must_enrol_at_first_sign_in(client, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command(
        "createsuperuser",
        "--noinput",
        "--username",
        "terminal-admin",
        "--email",
        "terminal-admin@example.org",
        stdout=io.StringIO(),
    )
    assert client.login(username="terminal-admin", password=PASSWORD)
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("csce_mfa:enrol"))


def test_passkey_api_is_served_from_our_origin(client, staff):
    client.force_login(staff)
    # The registration API is open to a user without a factor (first enrolment) ...
    begin = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert begin.status_code == 200
    assert begin.json()["rp"]["id"]
    # ... but refused once a factor exists and this session has not used it.
    _confirmed_totp(staff)
    refused = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert refused.status_code == 403


def test_passkey_script_strings_are_in_french(client, staff):
    client.force_login(staff)
    response = client.get(reverse("otp_webauthn:js-i18n-catalog"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    # The catalogue is JavaScript with JSON-escaped strings.
    assert json.dumps("Vérifier avec une clé d’accès")[1:-1] in response.content.decode()
