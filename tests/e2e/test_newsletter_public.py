"""The newsletter's public side in a real browser, in French and in English (policy P3,
P7, F; CASL s.10, s.11).

A visitor subscribes on the newsletter page, gets the "check your inbox" page, follows the
link of the e-mail the real SMTP server received, confirms with the button, opens the
preferences and unsubscribes: every state passes axe, no cookie is set and no other host
is contacted. Then a visitor subscribes from the footer of the home page with the keyboard
alone.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from .helpers import axe_clean, challenge_solved, mail_to, requests_watch

PATHS = {"fr": "/fr/infolettre/", "en": "/en/newsletter/"}
TEXT = {
    "fr": {
        "inbox": "Consultez votre boîte de réception",
        "subject": "Confirmez votre abonnement",
        "confirm": "Confirmer mon abonnement",
        "confirmed": "Abonnement confirmé",
        "preferences": "Choisir vos sujets et votre langue",
        "unsubscribe": "Me désabonner",
        "unsubscribed": "Votre abonnement est annulé",
    },
    "en": {
        "inbox": "Check your inbox",
        "subject": "Confirm your subscription",
        "confirm": "Confirm my subscription",
        "confirmed": "Subscription confirmed",
        "preferences": "Choose your topics and language",
        "unsubscribe": "Unsubscribe",
        "unsubscribed": "You are unsubscribed",
    },
}
_LINK = re.compile(r"https?://\S+/(?:infolettre/confirmer|newsletter/confirm)/\S+/")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_subscribe_confirm_and_unsubscribe_in_each_language(browser, site_server, language):
    text = TEXT[language]
    address = f"abonnement-{language}-{secrets.token_hex(4)}@example.org"
    context = browser.new_context(base_url=site_server["url"], locale=f"{language}-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    requests, problems, own = requests_watch(context, page, site_server)
    axe = Axe()
    form = "main form.newsletter-form"
    try:
        page.goto(PATHS[language])
        assert page.locator("html").get_attribute("lang") == language
        axe_clean(page, axe)
        # Sent empty: errors in a summary and next to the fields, nothing sent.
        page.locator(f'{form} button[type="submit"]').click()
        page.wait_for_selector(".error-summary")
        axe_clean(page, axe)
        page.locator(f'{form} input[name="email"]').fill(address)
        page.locator(f'{form} input[name="first_name"]').fill("Éloïse")
        consent = page.locator(f'{form} input[name="consent"]')
        assert not consent.is_checked()
        consent.check()
        challenge_solved(page)
        page.locator(f'{form} button[type="submit"]').click()
        page.get_by_role("heading", level=1, name=text["inbox"]).wait_for()
        axe_clean(page, axe)

        message = mail_to(site_server, address, containing=text["subject"])
        link = _LINK.search(message.get_content()).group(0)
        page.goto(urlparse(link).path)
        page.get_by_role("button", name=text["confirm"]).wait_for()
        axe_clean(page, axe)
        page.get_by_role("button", name=text["confirm"]).click()
        page.get_by_role("heading", level=1, name=text["confirmed"]).wait_for()
        axe_clean(page, axe)

        page.get_by_role("link", name=text["preferences"]).click()
        page.get_by_role("button", name=text["unsubscribe"]).wait_for()
        axe_clean(page, axe)
        page.get_by_role("button", name=text["unsubscribe"]).click()
        page.get_by_role("heading", level=1, name=text["unsubscribed"]).wait_for()
        axe_clean(page, axe)
    finally:
        cookies = context.cookies()
        context.close()
    assert cookies == []
    assert [u for u in requests if urlparse(u).netloc not in (own, "")] == []
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_a_visitor_subscribes_from_the_footer_with_the_keyboard_alone(browser, site_server):
    address = f"clavier-{secrets.token_hex(4)}@example.org"
    context = browser.new_context(base_url=site_server["url"], locale="fr-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    axe = Axe()
    try:
        page.goto("/fr/")
        axe_clean(page, axe)
        email = page.locator('footer input[name="email"]')
        for _ in range(300):
            page.keyboard.press("Tab")
            if email.evaluate("e => e === document.activeElement"):
                break
        else:
            pytest.fail("the footer's address field cannot be reached with the keyboard")
        page.keyboard.type(address)
        # The optional fields' disclosure, opened from the keyboard: the first name.
        page.keyboard.press("Tab")
        assert page.locator("footer details summary").evaluate("e => e === document.activeElement")
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.locator('footer input[name="first_name"]').evaluate(
            "e => e === document.activeElement"
        )
        page.keyboard.type("Léa")
        consent = page.locator('footer input[name="consent"]')
        for _ in range(20):  # the language and the topics
            page.keyboard.press("Tab")
            if consent.evaluate("e => e === document.activeElement"):
                break
        assert page.locator('footer input[name="consent"]').evaluate(
            "e => e === document.activeElement"
        )
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        assert page.locator('footer button[type="submit"]').evaluate(
            "e => e === document.activeElement"
        )
        page.keyboard.press("Enter")
        page.get_by_role("heading", level=1, name=TEXT["fr"]["inbox"]).wait_for()
        axe_clean(page, axe)
    finally:
        cookies = context.cookies()
        context.close()
    assert cookies == []
    assert mail_to(site_server, address, containing=TEXT["fr"]["subject"])
