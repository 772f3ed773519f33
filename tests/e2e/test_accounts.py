"""Staff account screens in Chromium: the policy acknowledgement at first sign-in, the
AED's reports, the lockout page. axe finds nothing to fix on any of them."""

from __future__ import annotations

import re
import time

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import staff_account_create
from .test_public_site import AXE_OPTIONS


def _violations(page) -> list[str]:
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]
    ]


def _sign_in(page, username: str, password: str) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("form button[type=submit]").click()


def _second_factor(page) -> None:
    """Enrol an authenticator app when the MFA screens are installed (issue 3, item 3)."""
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
        assert _violations(page) == []
        submit = page.locator("#policy-acknowledgement-form button[type=submit]")
        submit.click()  # without the box: refused
        page.wait_for_url(re.compile(r"/admin/policy/acknowledge/"))
        assert _violations(page) == []
        page.locator("#id_confirm").check()
        submit.click()
        page.wait_for_url(re.compile(r"/admin/(pages/)?$"))
        page.goto("/admin/")
        assert page.locator("#superuser-use-heading").count() == 1
        assert _violations(page) == []
        for screen in ["/admin/reports/policy-acknowledgements/", "/admin/lockouts/"]:
            page.goto(screen)
            assert _violations(page) == [], screen
    finally:
        context.close()


def test_the_lockout_page_is_accessible(browser, site_server):
    context = browser.new_context(base_url=site_server["url"], locale="fr-CA")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        for _attempt in range(6):
            _sign_in(page, "personne-verrouillee", "pas le bon mot de passe")
            page.wait_for_load_state()
        assert "Connexion bloquée pendant 15 minutes" in page.content()
        assert _violations(page) == []
    finally:
        context.close()
