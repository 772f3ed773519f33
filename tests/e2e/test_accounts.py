"""Staff account screens in Chromium: the policy acknowledgement at first sign-in, the
AED's reports, the lockout page, the technical administrator's unlock screen. axe finds
nothing to fix on any of them, in French and in English.

A role account reads the admin in the language of its Wagtail profile; its browser asks
for the other language, so each test also shows that the preference wins.
"""

from __future__ import annotations

import re
import secrets
import time

import pytest

from csce.accounts.roles import AED, TECHNICAL_ADMIN

from .helpers import LANGUAGES, axe_violations, role_account_create, staff_account_create


def _in_language(page, language: str) -> None:
    assert page.locator("html").get_attribute("lang") == language, page.url


def _sign_in(page, username: str, password: str) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form button[type=submit]").click()


def _second_factor(page) -> None:
    """Enrol an authenticator app when the MFA screens are installed (policy M)."""
    import pyotp

    if "/admin/mfa/enrol/" not in page.url:
        return
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.fill("#id_code", pyotp.TOTP(secret).at(int(time.time())))
    page.locator("#mfa-code-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/mfa/recovery-codes/"))
    page.locator("main a.button").click()


@pytest.mark.parametrize(("locale", "checkbox"), [("fr-CA", "J’ai lu"), ("en-CA", "I have read")])
def test_first_sign_in_acknowledges_the_policy(browser, site_server, locale, checkbox):
    username, password = staff_account_create(site_server, prefix="acc")
    context = browser.new_context(base_url=site_server["url"], locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _sign_in(page, username, password)
        page.wait_for_load_state()
        _second_factor(page)
        page.wait_for_url(re.compile(r"/admin/policy/acknowledge/"))
        assert checkbox in page.content()
        assert axe_violations(page) == []
        submit = page.locator("#policy-acknowledgement-form button[type=submit]")
        submit.click()  # without the box: refused
        page.wait_for_url(re.compile(r"/admin/policy/acknowledge/"))
        assert axe_violations(page) == []
        page.locator("#id_confirm").check()
        submit.click()
        page.wait_for_url(re.compile(r"/admin/(pages/)?$"))
        page.goto("/admin/")
        assert page.locator("#superuser-use-heading").count() == 1
        assert axe_violations(page) == []
        for screen in ["/admin/reports/policy-acknowledgements/", "/admin/lockouts/"]:
            page.goto(screen)
            assert axe_violations(page) == [], screen
    finally:
        context.close()


def _elsewhere(browser, site_server, locale: str):
    """A browser context of someone at another address (the test server trusts this
    machine as a proxy), so that the lockout of that address stays theirs."""
    address = f"198.51.100.{secrets.randbelow(250) + 1}"
    return browser.new_context(
        base_url=site_server["url"],
        locale=locale,
        extra_http_headers={"X-Forwarded-For": address},
    )


def _lock_out(page, username: str) -> None:
    """One failure past django-axes' limit (5) for this username from this address."""
    for _attempt in range(6):
        _sign_in(page, username, "pas le bon mot de passe")
        page.wait_for_load_state()


@pytest.mark.parametrize(
    ("locale", "language", "heading"),
    [
        ("fr-CA", "fr", "Connexion bloquée pendant 15 minutes"),
        ("en-CA", "en", "Sign-in locked for 15 minutes"),
    ],
)
def test_the_lockout_page_is_accessible(browser, site_server, locale, language, heading):
    context = _elsewhere(browser, site_server, locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        _lock_out(page, f"personne-verrouillee-{secrets.token_hex(3)}")
        assert heading in page.content()
        _in_language(page, language)
        assert axe_violations(page) == []
    finally:
        context.close()


def _role_sign_in(browser, site_server, *, role: str, language: str, locale: str):
    """A new role account signs in (password, TOTP enrolment) and is stopped at the policy
    acknowledgement. Returns (context, page, username)."""
    username, password = role_account_create(site_server, role=role, language=language)
    context = browser.new_context(base_url=site_server["url"], locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    _sign_in(page, username, password)
    page.wait_for_load_state()
    _second_factor(page)
    page.wait_for_url(re.compile(r"/admin/policy/acknowledge/"))
    return context, page, username


def _acknowledge(page) -> None:
    page.locator("#id_confirm").check()
    page.locator("#policy-acknowledgement-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/(pages/)?$"))


@pytest.mark.parametrize(("language", "locale"), LANGUAGES)
def test_aed_acknowledges_the_policy_and_reads_the_report(browser, site_server, language, locale):
    context, page, username = _role_sign_in(
        browser, site_server, role=AED, language=language, locale=locale
    )
    try:
        _in_language(page, language)
        assert axe_violations(page) == []
        page.locator("#policy-acknowledgement-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/admin/policy/acknowledge/"))  # refused: box unticked
        _in_language(page, language)
        assert axe_violations(page) == []
        _acknowledge(page)

        page.goto("/admin/reports/policy-acknowledgements/")
        _in_language(page, language)
        assert page.locator("table.listing tr", has_text=username).count() == 1
        assert axe_violations(page) == []
    finally:
        context.close()


@pytest.mark.parametrize(("language", "locale"), LANGUAGES)
def test_technical_administrator_unlocks_an_account(browser, site_server, language, locale):
    locked = f"verrouille-{secrets.token_hex(3)}"
    elsewhere = _elsewhere(browser, site_server, locale)
    try:
        _lock_out(elsewhere.new_page(), locked)
    finally:
        elsewhere.close()

    context, page, _username = _role_sign_in(
        browser, site_server, role=TECHNICAL_ADMIN, language=language, locale=locale
    )
    try:
        _acknowledge(page)
        page.goto("/admin/lockouts/")
        _in_language(page, language)
        row = page.locator("table.listing tbody tr", has_text=locked)
        assert row.count() == 1
        assert axe_violations(page) == []
        row.locator("button[type=submit]").click()
        page.wait_for_url(re.compile(r"/admin/lockouts/$"))
        page.wait_for_load_state()
        _in_language(page, language)
        assert page.locator("table.listing tbody tr", has_text=locked).count() == 0
        assert page.locator(".messages .success").count() == 1
        assert axe_violations(page) == []
    finally:
        context.close()
