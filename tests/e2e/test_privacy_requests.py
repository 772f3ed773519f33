"""Privacy rights end to end (policy P9, P10), in a real browser, in French and in English.

A visitor who wrote through the contact form asks for their information through the
privacy-rights portal: the form, its errors, the confirmation e-mail (sent through a real
SMTP server), the link and its button, the acknowledgement — each step passes axe, no
cookie is set and no other host is contacted. Then the Privacy Officer answers from one
screen: finds the message, sends the copy (the requester downloads it once), erases it,
and a second search finds nothing; every screen in the officer's language, axe clean
under the admin's strict CSP."""

from __future__ import annotations

import io
import json
import re
import secrets
import zipfile
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from csce.accounts.roles import PRIVACY_OFFICER

from .helpers import (
    LANGUAGES,
    axe_clean,
    axe_violations,
    challenge_solved,
    csp_violations_listen,
    mail_to,
    manage_shell,
    requests_watch,
)

PORTAL_URLS = {"fr": "/fr/exercer-vos-droits/", "en": "/en/exercise-your-privacy-rights/"}
VISITOR = {
    "fr": {"kind": "Consulter mes renseignements", "sent": "7 jours"},
    "en": {"kind": "See my information", "sent": "7 days"},
}
OFFICER = {
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
MESSAGE = {"fr": "Mon rendez-vous Quokka-31 est-il confirmé?", "en": "Is my Quokka-31 visit set?"}
FORM_TITLE = {"fr": "Écrivez-nous", "en": "Write to us"}

# The contact form's own service, as the form page runs it (the form itself is driven
# in a browser by test_forms.py).
CONTACT_MESSAGE_SEND = """
from django.utils import translation
from csce.submissions.models import InquiryPage
from csce.submissions.services import submission_create
page = InquiryPage.objects.get(locale__language_code=language)
form_class = page.get_form_class()
data = {"form_topic": str(page.topics.first().pk), "form_consent": "on"}
for name, field in form_class.base_fields.items():
    if field.__class__.__name__ == "EmailField":
        data[name] = address
    elif getattr(field.widget, "input_type", "") == "text" and field.required:
        data[name] = "Alex Demandeur"
    elif field.widget.__class__.__name__ == "Textarea" and field.required:
        data[name] = message
with translation.override(language):
    form = form_class(data, page=page, user=None)
    assert form.is_valid(), form.errors
    submission_create(page=page, form=form, language=language)
"""


def _contact_message_sent(site_server, *, language: str, address: str) -> None:
    script = f"language, address, message = {(language, address, MESSAGE[language])!r}\n"
    manage_shell(site_server, script + CONTACT_MESSAGE_SEND)


def _request_confirmed(browser, site_server, *, language: str, address: str) -> str:
    """The portal in the visitor's language, every step axe clean; returns the reference."""
    context = browser.new_context(base_url=site_server["url"], locale=f"{language}-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    requests, problems, own = requests_watch(context, page, site_server)
    axe = Axe()
    words = VISITOR[language]
    try:
        page.goto(PORTAL_URLS[language])
        assert page.locator("html").get_attribute("lang") == language
        axe_clean(page, axe)
        # Sent empty: errors next to the fields and in a summary.
        page.locator('.public-form button[type="submit"]').click()
        page.wait_for_selector(".error-summary")
        axe_clean(page, axe)
        # Filled with the keyboard, the right chosen by its label.
        page.get_by_label(words["kind"]).check()
        page.locator('.public-form input[type="email"]').fill(address)
        page.locator('.public-form input[name="name"]').fill("Alex Demandeur")
        page.locator('.public-form input[name="name"]').press("Tab")
        challenge_solved(page)
        page.locator('.public-form button[type="submit"]').click()
        page.wait_for_selector(".notice--success")
        assert words["sent"] in page.locator(".notice--success").inner_text()
        axe_clean(page, axe)

        body = mail_to(site_server, address).get_body(preferencelist=("plain",)).get_content()
        link = next(line.strip() for line in body.splitlines() if "?confirm=" in line)
        assert link.startswith(site_server["url"] + PORTAL_URLS[language])
        page.goto(link)
        axe_clean(page, axe)
        assert words["kind"] in page.locator("main").inner_text()
        assert address not in page.content()
        page.locator('.public-form button[type="submit"]').click()
        page.wait_for_selector(".notice--success")
        reference = re.search(r"DPR-\d{4}-\d+", page.locator(".notice--success").inner_text())
        axe_clean(page, axe)
        cookies = context.cookies()
    finally:
        context.close()
    assert reference is not None
    acknowledgement = mail_to(site_server, address, containing=reference.group(0))
    assert reference.group(0) in acknowledgement["Subject"]
    assert cookies == []
    assert [u for u in requests if urlparse(u).netloc not in (own, "")] == []
    assert not [p for p in problems if "Content Security Policy" in p], problems
    return reference.group(0)


def _submit_action(page, button_text: str, *, confirm: bool = False) -> None:
    form = page.locator("main form", has=page.get_by_role("button", name=button_text))
    if confirm:
        form.locator("input[name='confirm']").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def _copy_downloaded_once(browser, site_server, *, language: str, address: str) -> dict:
    letter = mail_to(site_server, address, containing="/privacy/export/")
    link = re.search(r"http://\S+/privacy/export/\S+/", letter.get_content()).group(0)
    context = browser.new_context(base_url=site_server["url"], locale=f"{language}-CA")
    page = context.new_page()
    try:
        page.goto(link)
        axe_clean(page, Axe())
        with page.expect_download() as download:
            page.locator("main form button[type=submit]").click()
        archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
        assert f'<html lang="{language}">' in archive.read("report.html").decode()
        # Single use: the link now says it no longer works.
        assert page.goto(link).status == 404
        return json.loads(archive.read("data.json"))
    finally:
        context.close()


@pytest.mark.parametrize(("language", "locale"), LANGUAGES)
def test_a_privacy_request_from_the_portal_to_its_answer(
    browser, site_server, staff_context, language, locale
):
    address = f"acces-{language}-{secrets.token_hex(3)}@example.org"
    _contact_message_sent(site_server, language=language, address=address)
    reference = _request_confirmed(browser, site_server, language=language, address=address)

    csp_violations: list[str] = []
    # Signed in with the second factor once per session (staff_context): not what is tested.
    staff = staff_context(role=PRIVACY_OFFICER, language=language, locale=locale)
    officer = staff.new_page()
    officer.set_default_timeout(30_000)
    csp_violations_listen(officer, csp_violations)
    words = OFFICER[language]
    try:
        officer.goto("/admin/privacy/requests/?overdue=false")
        assert officer.locator("html").get_attribute("lang") == language
        assert axe_violations(officer) == []
        officer.get_by_role("link", name=reference).click()
        officer.wait_for_url(re.compile(r"/admin/privacy/requests/\d+/$"))
        assert address in officer.locator("main").inner_text()
        assert axe_violations(officer) == []

        _submit_action(officer, words["find"])
        found = officer.locator("#findings").inner_text()
        assert FORM_TITLE[language] in found
        assert MESSAGE[language] not in found  # the list names records, not their content
        assert axe_violations(officer) == []

        _submit_action(officer, words["copy"], confirm=True)
        data = _copy_downloaded_once(browser, site_server, language=language, address=address)
        assert MESSAGE[language] in json.dumps(data, ensure_ascii=False)

        _submit_action(officer, words["erase"], confirm=True)
        _submit_action(officer, words["find"])
        again = officer.locator("#findings").inner_text()
        assert FORM_TITLE[language] not in again
        assert words["none"] in again  # the forms hold nothing more about the person
        assert axe_violations(officer) == []
        assert csp_violations == []
    finally:
        staff.close()
