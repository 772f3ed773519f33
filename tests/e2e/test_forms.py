"""The contact form and the survey in a real browser, in French and in English (policy P3, P6).

A visitor fills the form with the keyboard, the proof-of-work challenge solves itself in
the page under our strict CSP (no other host is contacted, no cookie is set), a form sent
incomplete comes back with its errors and the typed values, and every state of the page
passes axe.
"""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from .helpers import FORM_URLS, REPO, axe_clean, challenge_solved, requests_watch

COUNT = """
from csce.submissions.models import Submission
print("COUNT", Submission.objects.filter(kind=%r, language=%r).count())
"""


def _stored(site_server, kind: str, language: str) -> int:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", COUNT % (kind, language)],
        cwd=REPO,
        env=site_server["env"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(next(x for x in done.stdout.splitlines() if x.startswith("COUNT")).split()[1])


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_visitor_writes_to_a_department_in_their_language(browser, site_server, language):
    context = browser.new_context(base_url=site_server["url"], locale=f"{language}-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    requests, problems, own = requests_watch(context, page, site_server)
    axe = Axe()
    before = _stored(site_server, "inquiry", language)
    try:
        page.goto(FORM_URLS["inquiry", language])
        assert page.locator("html").get_attribute("lang") == language
        axe_clean(page, axe)
        # Sent empty: errors next to the fields and in a summary, nothing stored.
        page.locator('.public-form button[type="submit"]').click()
        page.wait_for_selector(".error-summary")
        axe_clean(page, axe)
        # Filled with the keyboard: the topic by its label, then each field.
        topic = page.locator('select[name="form_topic"]')
        topic.select_option(index=2)
        page.locator('.public-form input[type="text"]:not([name="form_website"])').first.fill(
            "Marie Tremblay"
        )
        page.locator('.public-form input[type="email"]').fill("marie@example.org")
        page.locator(".public-form textarea").first.fill("Bonjour! <b>Quand</b> ouvrez-vous?")
        # The sensitive field makes the unticked consent box required.
        consent = page.locator('input[name="form_consent"]')
        assert not consent.is_checked()
        page.locator(".public-form textarea").nth(1).fill("Diabète de type 2")
        page.keyboard.press("Tab")
        consent.check()
        challenge_solved(page)
        page.locator('.public-form button[type="submit"]').click()
        page.wait_for_selector(".notice--success")
        axe_clean(page, axe)
    finally:
        cookies = context.cookies()
        context.close()
    assert _stored(site_server, "inquiry", language) == before + 1
    assert cookies == []
    assert [u for u in requests if urlparse(u).netloc not in (own, "")] == []
    assert not [p for p in problems if "Content Security Policy" in p], problems


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_visitor_answers_the_anonymous_survey(browser, site_server, language):
    context = browser.new_context(base_url=site_server["url"], locale=f"{language}-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    _requests, problems, _own = requests_watch(context, page, site_server)
    axe = Axe()
    before = _stored(site_server, "survey", language)
    try:
        page.goto(FORM_URLS["survey", language])
        axe_clean(page, axe)
        # The survey's own questions (the footer's newsletter form has a group too).
        for group in page.locator(".public-form fieldset.form-field--group").all():
            group.locator("input").first.check()
        page.locator(".public-form textarea").first.fill("Merci!")
        challenge_solved(page)
        page.locator('.public-form button[type="submit"]').click()
        page.wait_for_selector(".notice--success")
        axe_clean(page, axe)
        assert context.cookies() == []
    finally:
        context.close()
    assert _stored(site_server, "survey", language) == before + 1
    assert not [p for p in problems if "Content Security Policy" in p], problems


def test_a_form_back_with_an_error_keeps_the_solved_anti_spam_check(browser, site_server):
    """The visitor corrects a field and sends again without a second proof of work; the
    page with the error passes axe, and the carried check is accepted once."""
    context = browser.new_context(base_url=site_server["url"], locale="fr-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    axe = Axe()
    before = _stored(site_server, "inquiry", "fr")
    try:
        page.goto(FORM_URLS["inquiry", "fr"])
        page.locator('select[name="form_topic"]').select_option(index=1)
        page.locator('.public-form input[type="text"]:not([name="form_website"])').first.fill(
            "Marie Tremblay"
        )
        page.locator('.public-form input[type="email"]').fill("pas-une-adresse")
        page.locator(".public-form textarea").first.fill("Quand ouvrez-vous le samedi ?")
        challenge_solved(page)
        solved = page.locator('altcha-widget input[type="hidden"]').input_value()
        page.locator('.public-form button[type="submit"]').click()
        page.wait_for_selector(".error-summary")
        assert page.locator("altcha-widget").count() == 0
        assert page.get_by_text("Vérification anti-pourriel déjà faite").is_visible()
        assert page.locator('input[name="form_challenge"]').input_value() == solved
        axe_clean(page, axe)
        page.locator('.public-form input[type="email"]').fill("marie@example.org")
        page.locator('.public-form button[type="submit"]').click()
        page.wait_for_selector(".notice--success")
    finally:
        context.close()
    assert _stored(site_server, "inquiry", "fr") == before + 1
