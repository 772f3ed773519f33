"""The front desk of a program session in a real browser (policy P2, P3, P6): a member of
Program staff reading the admin in French registers someone who telephones (no e-mail,
consent given orally), then checks them in on the day; the attendance sheet says they
were present. Every front-desk screen passes axe in French and in English, under the
admin's strict CSP."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
from django.utils import translation

from csce.accounts.roles import PROGRAM_STAFF

from .helpers import LANGUAGES, axe_violations, csp_violations_listen, mail_to, manage_shell

# A program of its own (five places), so that other browser tests' registrations do not
# change what this one counts.
PROGRAM_CREATE = """
from csce.pages.models import ServiceIndexPage
from csce.submissions.factories import program_page_create
services = ServiceIndexPage.objects.get(locale__language_code="fr")
page = program_page_create(parent=services, capacity=5, slug=slug)
session = page.sessions.order_by("starts_at").first()
print("SESSION", session.pk)
"""

DESK_SCREENS = ["", "add/", "check-in/", "message/", "reschedule/", "cancel/"]


def _session_create(site_server) -> int:
    slug = f"accueil-{secrets.token_hex(3)}"
    printed = manage_shell(site_server, f"slug = {slug!r}\n{PROGRAM_CREATE}")
    line = next(line for line in printed.splitlines() if line.startswith("SESSION "))
    return int(line.split()[1])


def _said(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def _roster(session_id: int) -> str:
    return f"/admin/inboxes/programs/sessions/{session_id}/"


def test_a_telephone_registration_then_its_check_in_in_the_french_admin(site_server, staff_context):
    session_id = _session_create(site_server)
    context = staff_context(role=PROGRAM_STAFF, language="fr", locale="fr-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    csp_violations: list[str] = []
    csp_violations_listen(page, csp_violations)
    try:
        page.goto(_roster(session_id))
        assert page.locator("html").get_attribute("lang") == "fr"
        page.get_by_role(
            "link", name=_said("fr", "Add a registration (telephone, in person)")
        ).click()
        page.wait_for_url(re.compile(r"/add/$"))
        assert axe_violations(page) == []

        # Forgetting both the telephone and the e-mail: said so, the name kept.
        page.locator('input[name="name"]').fill("Gérard Lalonde")
        page.locator('input[name="consent"]').check()
        page.get_by_role("button", name=_said("fr", "Register"), exact=True).click()
        missing = _said("fr", "Give a telephone number or an e-mail address to reach the person.")
        page.get_by_text(missing).wait_for()
        assert page.locator('input[name="name"]').input_value() == "Gérard Lalonde"
        assert axe_violations(page) == []

        page.locator('input[name="phone"]').fill("613 555-0142")
        if not page.locator('input[name="consent"]').is_checked():
            page.locator('input[name="consent"]').check()
        page.get_by_role("button", name=_said("fr", "Register"), exact=True).click()
        page.wait_for_url(re.compile(rf"/sessions/{session_id}/$"))
        roster = page.locator("#roster-registered").locator("xpath=..").inner_text()
        assert "Gérard Lalonde" in roster
        assert "613 555-0142" in roster
        assert axe_violations(page) == []

        # On the day: the check-in screen, one big button per person.
        page.get_by_role("link", name=_said("fr", "Check-in"), exact=True).click()
        page.wait_for_url(re.compile(r"/check-in/$"))
        assert axe_violations(page) == []
        person = page.get_by_role("group", name=re.compile("Gérard Lalonde"))
        present = person.get_by_role("button", name=_said("fr", "Present"), exact=True)
        box = present.bounding_box()
        assert box["height"] >= 44
        assert box["width"] >= 44
        present.click()
        page.wait_for_url(re.compile(r"/check-in/(#person-\d+)?$"))
        person = page.get_by_role("group", name=re.compile("Gérard Lalonde"))
        pressed = person.get_by_role("button", name=_said("fr", "Present"), exact=True)
        assert pressed.get_attribute("aria-pressed") == "true"
        assert axe_violations(page) == []

        # The attendance sheet's "Présent" column says so.
        with page.expect_download() as download:
            page.goto(_roster(session_id))
            page.get_by_role(
                "link", name=_said("fr", "Download the attendance sheet (CSV)")
            ).click()
        sheet = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
        header = sheet[0].split(",")
        row = next(line for line in sheet if "Gérard Lalonde" in line).split(",")
        assert row[header.index(_said("fr", "Present"))] == _said("fr", "yes")
        assert csp_violations == []
    finally:
        context.close()


@pytest.mark.parametrize(("language", "locale"), LANGUAGES)
def test_every_front_desk_screen_passes_axe(site_server, staff_context, language, locale):
    session_id = _session_create(site_server)
    context = staff_context(role=PROGRAM_STAFF, language=language, locale=locale)
    page = context.new_page()
    page.set_default_timeout(30_000)
    csp_violations: list[str] = []
    csp_violations_listen(page, csp_violations)
    try:
        for screen in DESK_SCREENS:
            page.goto(_roster(session_id) + screen)
            assert page.locator("html").get_attribute("lang") == language
            assert axe_violations(page) == [], screen
        # A message's preview, with its list of people to call.
        page.goto(_roster(session_id) + "message/")
        page.locator('input[name="subject_fr"]').fill("Rappel")
        page.locator('textarea[name="body_fr"]').fill("À bientôt.")
        page.get_by_role("button", name=_said(language, "Preview")).click()
        page.wait_for_load_state()
        assert axe_violations(page) == [], "message preview"
        assert csp_violations == []
    finally:
        context.close()


# Two people registered by the desk, one reading French and one English, with addresses.
REGISTRANTS_CREATE = """
from csce.accounts.factories import staff_user
from csce.submissions.models import ProgramSession
from csce.submissions.programs.desk import DeskRegistrant, registration_by_hand
session = ProgramSession.objects.get(pk=session_id)
desk = staff_user(username=f"accueil-{session_id}", verified=False)
for name, email, language in people:
    registration_by_hand(
        session=session,
        person=DeskRegistrant(
            name=name, phone="613 555-0150", email=email, language=language, channel="phone"
        ),
        staff=desk,
    )
"""


def test_cancelling_a_session_tells_each_person_in_their_language(site_server, staff_context):
    """Policy P2, R: the notices of a cancelled session reach a real SMTP server, each in
    the language its person registered in."""
    session_id = _session_create(site_server)
    token = secrets.token_hex(3)
    people = [
        ("Lucie Bélanger", f"lucie-{token}@example.org", "fr"),
        ("John Miller", f"john-{token}@example.org", "en"),
    ]
    manage_shell(
        site_server, f"session_id = {session_id}\npeople = {people!r}\n{REGISTRANTS_CREATE}"
    )
    context = staff_context(role=PROGRAM_STAFF, language="fr", locale="fr-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    csp_violations: list[str] = []
    csp_violations_listen(page, csp_violations)
    try:
        page.goto(_roster(session_id) + "cancel/")
        # Confirming is required: without it, said so and nothing is cancelled.
        page.get_by_role("button", name=_said("fr", "Cancel the session"), exact=True).click()
        page.wait_for_load_state()
        assert page.locator(".help-critical, .error-message").count() >= 1
        assert axe_violations(page) == []
        page.locator('input[name="confirm"]').check()
        page.get_by_role("button", name=_said("fr", "Cancel the session"), exact=True).click()
        page.wait_for_url(re.compile(rf"/sessions/{session_id}/$"))
        # The roster keeps the cancelled registrations apart.
        cancelled = page.locator("#roster-cancelled").locator("xpath=..").inner_text()
        assert "Lucie Bélanger" in cancelled
        assert "John Miller" in cancelled
        assert axe_violations(page) == []
        assert csp_violations == []
    finally:
        context.close()

    for _name, address, language in people:
        subject = _said(language, "Session cancelled: %(program)s").split("%")[0]
        notice = mail_to(site_server, address, containing=subject.strip())
        assert str(notice["Subject"]).startswith(subject.strip())
        body = notice.get_body(preferencelist=("plain",)).get_content()
        closing = (
            "Your registration is cancelled; you have nothing to do. You can register for "
            "another session on the program's page, or call the centre."
        )
        assert _said(language, closing)[:40] in body
        other = "en" if language == "fr" else "fr"
        assert _said(other, closing)[:40] not in body
