"""The privacy notice in a real browser, in French and English: generated from the live
system and versioned (policy P3, V).

The cookies a visitor's browser holds after browsing public pages and sending the
contact form are exactly those the notice lists for visitors (none); the notice, the
list of its versions and a past version pass axe.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .helpers import FORM_URLS, axe_clean, challenge_solved

NOTICE_URLS = {"fr": "/fr/avis-de-confidentialite/", "en": "/en/privacy-notice/"}
PUBLIC_PATHS = {
    "fr": [
        "/fr/",
        "/fr/services/",
        "/fr/nouvelles/",
        "/fr/nous-joindre/",
        "/fr/recherche/?q=soins",
    ],
    "en": ["/en/", "/en/services/", "/en/news/", "/en/contact/", "/en/search/?q=care"],
}


def _listed_visitor_cookies(page) -> set[str]:
    return set(
        page.eval_on_selector_all(
            '[data-cookie-list="visitors"] [data-cookie-name]',
            "items => items.map(item => item.dataset.cookieName)",
        )
    )


def _send_contact_form(page, language: str) -> None:
    page.goto(FORM_URLS["inquiry", language])
    page.locator('select[name="form_topic"]').select_option(index=1)
    page.locator('.public-form input[type="text"]:not([name="form_website"])').first.fill(
        "Marie Tremblay"
    )
    page.locator('.public-form input[type="email"]').fill("marie@example.org")
    page.locator(".public-form textarea").first.fill("Quand ouvrez-vous le samedi?")
    page.locator('input[name="form_consent"]').check()  # the form can receive health data
    page.locator(".public-form textarea").first.focus()
    challenge_solved(page)
    page.locator('.public-form button[type="submit"]').click()
    page.wait_for_selector(".notice--success, .error-summary")
    assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_notice_lists_exactly_the_cookies_a_visitor_gets(browser, site_server, language):
    context = browser.new_context(base_url=site_server["url"], locale=f"{language}-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        for path in PUBLIC_PATHS[language]:
            response = page.goto(path)
            assert response.status == 200, path
        _send_contact_form(page, language)
        page.goto(NOTICE_URLS[language])
        listed = _listed_visitor_cookies(page)
        got = {cookie["name"] for cookie in context.cookies()}
        staff = page.eval_on_selector_all(
            '[data-cookie-list="staff"] [data-cookie-name]', "items => items.length"
        )
    finally:
        context.close()
    assert got == listed
    assert staff > 0  # the staff's cookies are listed apart


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_notice_and_its_versions_pass_axe(browser, site_server, language):
    context = browser.new_context(base_url=site_server["url"], locale=f"{language}-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    axe = Axe()
    try:
        page.goto(NOTICE_URLS[language])
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("[data-notice-generated]").count() == 1
        axe_clean(page, axe)
        # From the notice to its versions and the first one, with the keyboard's links.
        page.locator("[data-notice-version] a").first.click()
        page.wait_for_selector("ol.notice-versions")
        axe_clean(page, axe)
        page.locator("ol.notice-versions li a").last.click()
        page.wait_for_selector(".notice[data-notice-version]")
        assert page.locator("html").get_attribute("lang") == language
        axe_clean(page, axe)
    finally:
        context.close()
