"""Issue 5 end to end, in a real browser, in French and in English: a visitor writes
through the contact form, then asks the centre for their information through the
privacy-rights portal and confirms it from the e-mail (sent through a real SMTP server);
the Privacy Officer finds the message from one screen, sends the copy (the requester
downloads it once), erases it, and a second search finds nothing. Every screen passes
axe, in the staff member's language, under the admin's strict CSP."""

from __future__ import annotations

import io
import json
import re
import secrets
import time
import zipfile

import pytest
from axe_playwright_python.sync_playwright import Axe

from csce.accounts.roles import PRIVACY_OFFICER

from .test_accounts import LANGUAGES, _violations, role_account_create
from .test_admin_csp import _listen_for_violations
from .test_forms import FORM_URLS, MIN_FILL_SECONDS, _axe_clean, _challenge_solved
from .test_mfa import mfa_sign_in
from .test_privacy_portal import PORTAL_URLS, WORDS, _mail_to

MESSAGE = {"fr": "Mon rendez-vous Quokka-31 est-il confirmé?", "en": "Is my Quokka-31 visit set?"}
FOUND = {"fr": "Écrivez-nous", "en": "Write to us"}


def _contact_form_sent(page, *, language: str, address: str) -> None:
    page.goto(FORM_URLS["inquiry", language])
    page.locator('select[name="form_topic"]').select_option(index=1)
    page.locator('.public-form input[type="text"]:not([name="form_website"])').first.fill(
        "Alex Demandeur"
    )
    page.locator('.public-form input[type="email"]').fill(address)
    page.locator(".public-form textarea").first.fill(MESSAGE[language])
    # The form has a health field: its consent box is required, and never pre-ticked.
    page.locator('input[name="form_consent"]').check()
    _challenge_solved(page)
    time.sleep(MIN_FILL_SECONDS)
    page.locator('.public-form button[type="submit"]').click()
    page.wait_for_selector(".notice--success")


def _access_request_confirmed(page, site_server, *, language: str, address: str) -> str:
    """The portal's form, then the confirmation link of its e-mail; returns the reference."""
    page.goto(PORTAL_URLS[language])
    page.get_by_label(WORDS[language]["kind"]).check()
    page.locator('.public-form input[type="email"]').fill(address)
    page.locator('.public-form input[type="email"]').press("Tab")
    _challenge_solved(page)
    time.sleep(MIN_FILL_SECONDS)
    page.locator('.public-form button[type="submit"]').click()
    page.wait_for_selector(".notice--success")
    body = _mail_to(site_server, address).get_body(preferencelist=("plain",)).get_content()
    page.goto(next(line.strip() for line in body.splitlines() if "?confirm=" in line))
    page.locator('.public-form button[type="submit"]').click()
    page.wait_for_selector(".notice--success")
    return re.search(r"DPR-\d{4}-\d+", page.locator(".notice--success").inner_text()).group(0)


def _submit_action(page, button_text: str, *, confirm: bool = False) -> None:
    form = page.locator("main form", has=page.get_by_role("button", name=button_text))
    if confirm:
        form.locator("input[name='confirm']").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


WORDING = {
    "fr": {
        "find": "Trouver les renseignements de cette personne",
        "copy": "Envoyer une copie à la personne",
        "erase": "Effacer les renseignements",
        "none": "0 dossier",
    },
    "en": {
        "find": "Find this person's information",
        "copy": "Send the requester a copy",
        "erase": "Erase the information",
        "none": "0 records",
    },
}


@pytest.mark.parametrize(("language", "locale"), LANGUAGES)
def test_the_privacy_officer_answers_an_access_request_from_one_screen(
    browser, site_server, language, locale
):
    address = f"acces-{language}-{secrets.token_hex(3)}@example.org"
    visitor = browser.new_context(base_url=site_server["url"], locale=f"{language}-CA")
    page = visitor.new_page()
    page.set_default_timeout(30_000)
    try:
        _contact_form_sent(page, language=language, address=address)
        reference = _access_request_confirmed(page, site_server, language=language, address=address)
    finally:
        visitor.close()

    csp_violations: list[str] = []
    username, password = role_account_create(site_server, role=PRIVACY_OFFICER, language=language)
    staff = browser.new_context(base_url=site_server["url"], locale=locale)
    officer = staff.new_page()
    officer.set_default_timeout(30_000)
    _listen_for_violations(officer, csp_violations)
    words = WORDING[language]
    try:
        mfa_sign_in(officer, username, password, {})
        officer.goto("/admin/privacy/requests/?overdue=false")
        assert officer.locator("html").get_attribute("lang") == language
        assert _violations(officer) == []
        officer.get_by_role("link", name=reference).click()
        officer.wait_for_url(re.compile(r"/admin/privacy/requests/\d+/$"))
        assert address in officer.locator("main").inner_text()
        assert _violations(officer) == []

        _submit_action(officer, words["find"])
        found = officer.locator("#findings").inner_text()
        assert FOUND[language] in found
        assert MESSAGE[language] not in found  # the list names records, not their content
        assert _violations(officer) == []

        _submit_action(officer, words["copy"], confirm=True)
        letter = _mail_to(site_server, address)
        link = re.search(r"http://\S+/privacy/export/\S+/", letter.get_content()).group(0)
        requester = browser.new_context(base_url=site_server["url"], locale=f"{language}-CA")
        download_page = requester.new_page()
        try:
            download_page.goto(link)
            _axe_clean(download_page, Axe())
            with download_page.expect_download() as download:
                download_page.locator("main form button[type=submit]").click()
            archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
            data = json.loads(archive.read("data.json"))
            assert MESSAGE[language] in json.dumps(data, ensure_ascii=False)
            assert f'<html lang="{language}">' in archive.read("report.html").decode()
            # Single use: the link now says it no longer works.
            assert download_page.goto(link).status == 404
        finally:
            requester.close()

        _submit_action(officer, words["erase"], confirm=True)
        _submit_action(officer, words["find"])
        again = officer.locator("#findings").inner_text()
        assert FOUND[language] not in again
        assert words["none"] in again  # the forms hold nothing more about the person
        assert _violations(officer) == []
        assert csp_violations == []
    finally:
        staff.close()
