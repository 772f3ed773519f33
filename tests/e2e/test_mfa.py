"""Mandatory second factor in a real browser (policy M).

A staff account made from the terminal (``make admin``) signs in, is sent to enrol an
authenticator app, reads the key from the page as a person would type it into the app,
confirms with a code computed by pyotp, and reaches the dashboard; then signs out and in
again with a code. No screen breaks the strict CSP, and axe finds nothing to fix on the
enrolment, recovery-code, verification, management and re-authentication screens, in
French and in English.
"""

from __future__ import annotations

import re
import time

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .helpers import AXE_OPTIONS, arrive, next_code, sign_in, staff_account_create

LISTEN_FOR_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
    window.csceCspViolation(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def sign_out(page) -> None:
    """Post the sign-out form, with the CSRF token of the second-factor screen."""
    page.goto("/admin/mfa/")
    page.evaluate(
        """() => {
            const form = document.createElement("form");
            form.method = "post";
            form.action = "/admin/logout/";
            form.append(document.querySelector("[name=csrfmiddlewaretoken]").cloneNode());
            document.body.append(form);
            form.submit();
        }"""
    )
    page.wait_for_url(re.compile(r"/admin/login/"))


def _axe_violations(page) -> list[str]:
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]
    ]


@pytest.mark.parametrize(("locale", "lang"), [("fr-CA", "fr"), ("en-CA", "en")])
def test_enrol_totp_then_sign_in_with_a_code(browser, site_server, locale, lang):
    username, password = staff_account_create(site_server, prefix="mfa")
    context = browser.new_context(base_url=site_server["url"], locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.expose_function("csceCspViolation", lambda text: violations.append(text))
    page.add_init_script(LISTEN_FOR_VIOLATIONS)
    try:
        # First sign-in: forced to enrolment, whatever page was asked for.
        sign_in(page, username, password)
        page.wait_for_url(re.compile(r"/admin/mfa/enrol/"))
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator(".csce-mfa-qr svg").count() == 1
        assert _axe_violations(page) == []
        page.goto("/admin/pages/")
        assert "/admin/mfa/enrol/" in page.url

        last: dict = {"secret": page.locator("#totp-secret").inner_text().replace(" ", "")}
        page.fill("#id_code", next_code(last["secret"], last))
        page.locator("#mfa-code-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/admin/mfa/recovery-codes/"))
        assert page.locator("#recovery-codes li").count() == 10
        assert _axe_violations(page) == []
        page.locator("main a.button").click()
        arrive(page, r"/admin/pages/$")  # where the staff member was going
        page.goto("/admin/")
        assert page.locator("h1").count() >= 1

        # Sign out, sign in again: the verification step, then the dashboard.
        sign_out(page)
        sign_in(page, username, password)
        page.wait_for_url(re.compile(r"/admin/mfa/verify/"))
        assert page.locator("html").get_attribute("lang") == lang
        assert _axe_violations(page) == []
        page.fill("#id_code", "000000")
        page.locator("#mfa-code-form button[type=submit]").click()
        expect(page.locator(".w-field__errors .error-message")).to_have_count(1)
        assert _axe_violations(page) == []  # the page with its error, too
        time.sleep(1.5)  # django-otp waits a second after a wrong code before the next try
        page.fill("#id_code", next_code(last["secret"], last))
        page.locator("#mfa-code-form button[type=submit]").click()
        arrive(page, r"/admin/$")
        page.goto("/admin/mfa/")
        assert page.locator("table.listing tbody tr").count() == 1
        assert _axe_violations(page) == []  # the management page
        page.goto("/admin/mfa/reauthenticate/")
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("#id_password").count() == 1
        assert _axe_violations(page) == []
        page.fill("#id_password", "not the password")
        page.locator("main form button[type=submit]").click()
        expect(page.locator(".w-field__errors .error-message")).not_to_have_count(0)
        assert _axe_violations(page) == []  # with its errors, too
        assert violations == []
    finally:
        context.close()


def test_enrol_a_passkey_then_sign_in_with_it(browser, site_server):
    """django-otp-webauthn's scripts, from our origin, under the strict CSP, with a
    virtual authenticator. Browsers allow passkeys on localhost, not on 127.0.0.1."""
    username, password = staff_account_create(site_server, prefix="mfa")
    base_url = site_server["url"].replace("127.0.0.1", "localhost")
    context = browser.new_context(base_url=base_url, locale="fr-CA")
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    try:
        sign_in(page, username, password)
        page.wait_for_url(re.compile(r"/admin/mfa/enrol/"))
        page.locator("#passkey-register-button").click()
        page.wait_for_url(re.compile(r"/admin/mfa/recovery-codes/"))
        page.locator("main a.button").click()
        arrive(page, r"/admin/$")

        sign_out(page)
        sign_in(page, username, password)
        page.wait_for_url(re.compile(r"/admin/mfa/verify/"))
        assert _axe_violations(page) == []
        page.locator("#passkey-verification-button").click()
        arrive(page, r"/admin/$")
        assert violations == []
    finally:
        context.close()
