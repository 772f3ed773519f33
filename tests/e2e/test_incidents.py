"""Incidents and privacy breaches in Chromium (policy P8, R, X; PHIPA s.12(2); decision 0006).

A content creator reports a privacy breach from the admin's menu in French; the Privacy
Officer is told by e-mail, with a link and no details. The Privacy Officer opens it in
the register, moves it to "assessing", finds the people affected (the two people who
wrote through the contact form today, one in French, one in English), writes the notice
in both languages, previews it and sends it: each person receives it at the real SMTP
server in their own language, with the Commissioner's contact details. Every page type
of the app passes axe in French and in English, and the admin's strict CSP holds.
"""

from __future__ import annotations

import re
import secrets

from csce.accounts.roles import AED, CONTENT, PRIVACY_OFFICER

from .helpers import axe_violations, csp_violations_listen, mail_to, manage_shell

# Two people who wrote through the contact form today: one in French, one in English.
PEOPLE_CREATE = """
from wagtail.models import Page
from csce.submissions.factories import form_data_filled
from csce.submissions.services import submission_create

for language, email in people:
    page = (
        Page.objects.live()
        .filter(locale__language_code=language, content_type__app_label="submissions",
                content_type__model="inquirypage")
        .order_by("path").first().specific
    )
    data = form_data_filled(page, email=email, message="Bonjour", name="Personne Test")
    form = page.get_form(data, page=page, user=None)
    assert form.is_valid(), form.errors
    submission_create(page=page, form=form, language=language)
    print("PAGE", page.pk)
"""

OFFICER_ADDRESS = "vie.privee@csce.example"  # PRIVACY_OFFICER_EMAIL of the test server


def _axe_clean(page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where}: {violations}"


def test_a_breach_is_reported_found_and_notified_in_each_person_s_language(
    site_server, staff_context
):
    token = secrets.token_hex(4)
    french, english = f"atteinte-fr-{token}@example.org", f"atteinte-en-{token}@example.org"
    printed = manage_shell(
        site_server, f"people = {[('fr', french), ('en', english)]!r}\n" + PEOPLE_CREATE
    )
    form_pages = re.findall(r"PAGE (\d+)", printed)

    # A content creator reports it from the menu, in French.
    context = staff_context(role=CONTENT, language="fr", locale="fr-CA")
    page = context.new_page()
    csp: list[str] = []
    csp_violations_listen(page, csp)
    try:
        page.goto("/admin/")
        page.get_by_role("link", name="Signaler un incident").click()
        page.wait_for_url("**/admin/incidents/report/")
        _axe_clean(page, "report form (fr)")
        page.locator('input[name="kind"][value="privacy_breach"]').check()
        page.fill('textarea[name="description"]', f"Liste envoyée par erreur {token}")
        page.locator('form:has(textarea[name="description"]) button[type="submit"]').click()
        page.wait_for_url("**/admin/incidents/report/sent/")
        reference = re.search(r"INC-\d{4}-\d{4,}", page.content()).group(0)
        _axe_clean(page, "report sent (fr)")
        # The reporter does not reach the register: a refusal that says so, axe clean.
        assert page.goto("/admin/incidents/").status == 403
        _axe_clean(page, "register refused (fr)")
    finally:
        context.close()
    assert csp == [], csp
    alert = mail_to(site_server, OFFICER_ADDRESS, containing=reference)
    assert token not in alert.get_content()  # a link, no details

    # The Privacy Officer works the breach in French.
    context = staff_context(role=PRIVACY_OFFICER, language="fr", locale="fr-CA")
    page = context.new_page()
    csp_violations_listen(page, csp)
    try:
        page.goto("/admin/incidents/")
        _axe_clean(page, "register (fr)")
        page.get_by_role("link", name=reference).click()
        page.wait_for_url(re.compile(r".*/admin/incidents/\d+/$"))
        detail_url = page.url
        _axe_clean(page, "incident (fr)")
        status = page.locator("form:has(select[name=status])")
        status.locator("select[name=status]").select_option("assessing")
        with page.expect_navigation():
            status.locator('button[type="submit"]').click()
        assert "En évaluation" in page.locator("main").inner_text()

        page.goto(detail_url + "scope/")
        _axe_clean(page, "scope (fr)")
        for pk in form_pages:
            page.locator(f'input[name="targets"][value="submissions:{pk}"]').check()
        page.fill('input[name="starts_on"]', _today(site_server))
        page.fill('input[name="ends_on"]', _today(site_server))
        with page.expect_navigation():
            page.locator("form:has(input[name=targets]) button[type=submit]").click()
        _axe_clean(page, "scope result (fr)")

        page.goto(detail_url + "notice/")
        _axe_clean(page, "notice draft (fr)")
        for language in ("fr", "en"):
            for part in ("happened", "information", "actions", "steps"):
                page.fill(f'textarea[name="{language}_{part}"]', f"{language} {part} {token}")
        with page.expect_navigation():
            page.locator("form:has(textarea[name=fr_happened]) button[type=submit]").click()

        page.goto(detail_url + "notice/preview/")
        _axe_clean(page, "notice preview (fr)")
        page.goto(detail_url + "notices/send/")
        _axe_clean(page, "send confirmation (fr)")
        assert "2" in page.locator("main").inner_text()
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_url(detail_url + "notices/")
        _axe_clean(page, "notices (fr)")

        page.goto("/admin/incidents/ipc-statistics/")
        _axe_clean(page, "IPC statistics (fr)")
    finally:
        context.close()
    assert csp == [], csp

    to_french = mail_to(site_server, french, containing=f"fr happened {token}")
    assert "Commissaire" in to_french.get_content()
    assert "ipc.on.ca" in to_french.get_content()
    to_english = mail_to(site_server, english, containing=f"en happened {token}")
    assert "Information and Privacy Commissioner" in to_english.get_content()
    assert f"fr happened {token}" not in to_english.get_content()

    # The same pages in English, for the AED.
    context = staff_context(role=AED, language="en", locale="en-CA")
    page = context.new_page()
    csp_violations_listen(page, csp)
    try:
        for path, where in (
            ("/admin/incidents/report/", "report form"),
            ("/admin/incidents/", "register"),
            (detail_url, "incident"),
            (detail_url + "scope/", "scope"),
            (detail_url + "notice/", "notice draft"),
            (detail_url + "notice/preview/", "notice preview"),
            (detail_url + "notices/send/", "send confirmation"),
            (detail_url + "notices/", "notices"),
            ("/admin/incidents/ipc-statistics/", "IPC statistics"),
            ("/admin/incidents/ipc-statistics/?print=1", "IPC statistics, printable"),
        ):
            assert page.goto(path).status == 200, where
            assert page.locator("html").get_attribute("lang") == "en"
            _axe_clean(page, f"{where} (en)")
    finally:
        context.close()
    assert csp == [], csp


def _today(site_server) -> str:
    """Today in the centre's time zone, as the server sees it (ISO)."""
    printed = manage_shell(
        site_server, "from django.utils import timezone\nprint(timezone.localdate().isoformat())"
    )
    return printed.strip().splitlines()[-1]
