"""The privacy-rights portal in a real browser, in French and in English (issue 5, item 4):
a visitor sends the form, reads the confirmation e-mail (written to the server's mail
folder), opens its link, confirms, and lands on the acknowledgement; every step passes
axe, no cookie is set and no other host is contacted."""

from __future__ import annotations

import email
import secrets
import time
from email import policy
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from .test_forms import MIN_FILL_SECONDS, _axe_clean, _challenge_solved, _watch

PORTAL_URLS = {"fr": "/fr/exercer-vos-droits/", "en": "/en/exercise-your-privacy-rights/"}
WORDS = {
    "fr": {"kind": "Consulter mes renseignements", "sent": "7 jours", "done": "DPR-"},
    "en": {"kind": "See my information", "sent": "7 days", "done": "DPR-"},
}


def _mail_to(site_server, address: str, *, timeout: float = 20) -> email.message.EmailMessage:
    """The newest message to ``address`` in the server's mail folder."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = []
        for path in sorted((site_server["data_dir"] / "mail").glob("*")):
            for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if not raw.strip():
                    continue
                message = email.message_from_bytes(raw.strip(), policy=policy.default)
                if message["To"] == address:
                    found.append(message)
        if found:
            return found[-1]
        time.sleep(0.5)
    pytest.fail(f"No e-mail to {address} in {site_server['data_dir'] / 'mail'}")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_visitor_exercises_a_right_in_their_language(browser, site_server, language):
    context = browser.new_context(base_url=site_server["url"], locale=f"{language}-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    requests, problems, own = _watch(context, page, site_server)
    axe = Axe()
    address = f"portail-{language}-{secrets.token_hex(3)}@example.org"
    words = WORDS[language]
    try:
        page.goto(PORTAL_URLS[language])
        assert page.locator("html").get_attribute("lang") == language
        _axe_clean(page, axe)
        # Sent empty: errors next to the fields and in a summary.
        page.locator('.public-form button[type="submit"]').click()
        page.wait_for_selector(".error-summary")
        _axe_clean(page, axe)
        # Filled with the keyboard, the right chosen by its label.
        page.get_by_label(words["kind"]).check()
        page.locator('.public-form input[type="email"]').fill(address)
        page.locator('.public-form input[name="name"]').fill("Visiteur Portail")
        page.locator('.public-form input[name="name"]').press("Tab")
        _challenge_solved(page)
        time.sleep(MIN_FILL_SECONDS)
        page.locator('.public-form button[type="submit"]').click()
        page.wait_for_selector(".notice--success")
        assert words["sent"] in page.locator(".notice--success").inner_text()
        _axe_clean(page, axe)

        message = _mail_to(site_server, address)
        body = message.get_body(preferencelist=("plain",)).get_content()
        link = next(line.strip() for line in body.splitlines() if "?confirm=" in line)
        assert link.startswith(site_server["url"] + PORTAL_URLS[language])
        page.goto(link)
        _axe_clean(page, axe)
        assert words["kind"] in page.locator("main").inner_text()
        assert address not in page.content()
        page.locator('.public-form button[type="submit"]').click()
        page.wait_for_selector(".notice--success")
        assert words["done"] in page.locator(".notice--success").inner_text()
        _axe_clean(page, axe)
        cookies = context.cookies()
    finally:
        context.close()
    acknowledgement = _mail_to(site_server, address)
    assert "DPR-" in acknowledgement["Subject"]
    assert cookies == []
    assert [u for u in requests if urlparse(u).netloc not in (own, "")] == []
    assert not [p for p in problems if "Content Security Policy" in p], problems
