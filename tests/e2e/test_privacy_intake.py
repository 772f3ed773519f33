"""Requests that do not come through the portal (policy P9, P10), in a real browser.

A visitor writes through the contact form under its privacy topic; the Privacy Officer
sees it on the dashboard and in the requests' list, reads it and converts it into a
privacy request in one action, in the admin's language (French first). The screens
(dashboard, list, conversion, the request, logging a telephone request) pass axe under
the admin's strict CSP, in both languages."""

from __future__ import annotations

import re
import secrets

import pytest

from csce.accounts.roles import AED, COMMUNICATIONS, PRIVACY_OFFICER, PROGRAM_STAFF

from .helpers import LANGUAGES, axe_violations, csp_violations_listen, manage_shell

# The demo's contact form, with the topic its editors routed to the Privacy Officer.
PRIVACY_TOPIC_MESSAGE_SEND = """
from django.utils import translation
from csce.common.roles import PRIVACY_OFFICER
from csce.submissions.models import InquiryPage
from csce.submissions.services import submission_create
page = InquiryPage.objects.get(locale__language_code=language)
topic = page.topics.get(inbox__name=PRIVACY_OFFICER)
form_class = page.get_form_class()
data = {"form_topic": str(topic.pk), "form_consent": "on"}
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
    print(submission_create(page=page, form=form, language=language).pk)
"""

WORDS = {
    "fr": {
        "log": "Consigner une demande (téléphone, courrier, en personne)",
        "convert": "Convertir en demande relative à la vie privée",
        "read": "Lire et convertir la demande nº\u00a0{number}",
        "converted": "convertie à partir de la",
        "panel": "Demandes relatives à la vie privée",
    },
    "en": {
        "log": "Log a request (telephone, mail, in person)",
        "convert": "Convert into a privacy request",
        "read": "Read and convert inquiry #{number}",
        "converted": "converted from",
        "panel": "Privacy requests",
    },
}


def _privacy_topic_message_sent(site_server, *, language: str, address: str, message: str):
    script = f"language, address, message = {(language, address, message)!r}\n"
    printed = manage_shell(site_server, script + PRIVACY_TOPIC_MESSAGE_SEND)
    return int(printed.strip().splitlines()[-1])


@pytest.mark.parametrize(("language", "locale"), LANGUAGES)
def test_the_privacy_officer_converts_a_privacy_topic_inquiry(
    site_server, staff_context, language, locale
):
    address = f"sujet-{language}-{secrets.token_hex(3)}@example.org"
    message = f"Je veux la copie de mon dossier Zircon-{secrets.token_hex(2)}."
    number = _privacy_topic_message_sent(
        site_server, language=language, address=address, message=message
    )
    words = WORDS[language]
    csp_violations: list[str] = []
    staff = staff_context(role=PRIVACY_OFFICER, language=language, locale=locale)
    officer = staff.new_page()
    officer.set_default_timeout(30_000)
    csp_violations_listen(officer, csp_violations)
    try:
        # The dashboard starts with the requests and the privacy topic's inquiries.
        officer.goto("/admin/")
        assert officer.locator("html").get_attribute("lang") == language
        panel = officer.locator("#privacy-requests-heading")
        assert panel.inner_text() == words["panel"]
        assert address not in officer.content()
        assert axe_violations(officer) == []

        # The list names the inquiry by number only; reading it is the conversion screen.
        officer.goto("/admin/privacy/requests/")
        assert address not in officer.content()
        assert axe_violations(officer) == []
        officer.get_by_role("link", name=words["read"].format(number=number)).click()
        officer.wait_for_url(re.compile(rf"/admin/privacy/requests/inquiries/{number}/convert/$"))
        main = officer.locator("main").inner_text()
        assert address in main
        assert message in main
        assert axe_violations(officer) == []

        # One action: the request exists, with its clock from today's identity check.
        officer.locator("main select[name=kind]").select_option("access")
        officer.get_by_role("button", name=words["convert"]).click()
        officer.wait_for_load_state("networkidle")
        assert re.search(r"/admin/privacy/requests/\d+/$", officer.url), (
            officer.url + officer.locator("main").inner_text()[:1500]
        )
        main = officer.locator("main").inner_text()
        assert address in main
        assert message in main
        assert words["converted"] in main
        assert re.search(r"DPR-\d{4}-\d+", officer.locator("h1").inner_text())
        assert axe_violations(officer) == []

        # Converted once: the inquiry is no longer offered.
        officer.goto("/admin/privacy/requests/")
        assert officer.get_by_role("link", name=words["read"].format(number=number)).count() == 0

        # The screen for a request received by telephone, mail or in person.
        officer.get_by_role("link", name=words["log"]).click()
        officer.wait_for_url(re.compile(r"/admin/privacy/requests/log/$"))
        assert axe_violations(officer) == []
        officer.locator("main form button[type=submit]").click()
        officer.wait_for_load_state("networkidle")
        assert officer.locator(".error-message, .w-field__errors .error-message").count()
        assert axe_violations(officer) == []
        assert csp_violations == []
    finally:
        staff.close()


HOME_PANELS = {
    COMMUNICATIONS: ("#inbox-today-heading", "#sessions-today-heading"),
    PROGRAM_STAFF: ("#inbox-today-heading", "#sessions-today-heading"),
    AED: ("#superuser-use-heading",),
}


@pytest.mark.parametrize("role", list(HOME_PANELS))
@pytest.mark.parametrize(("language", "locale"), LANGUAGES)
def test_each_roles_dashboard_is_axe_clean(site_server, staff_context, role, language, locale):
    staff = staff_context(role=role, language=language, locale=locale)
    home = staff.new_page()
    csp_violations: list[str] = []
    csp_violations_listen(home, csp_violations)
    try:
        home.goto("/admin/")
        assert home.locator("html").get_attribute("lang") == language
        for heading in HOME_PANELS[role]:
            assert home.locator(heading).count() == 1, heading
        assert home.locator("#privacy-requests-heading").count() == 0
        assert axe_violations(home) == []
        assert csp_violations == []
    finally:
        staff.close()
