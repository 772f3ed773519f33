"""The response times in Chromium (policy R: how promptly the centre answers is measured).

The AED opens them from the Reports menu in French, then in English once she prefers it,
over a few inquiries seeded in the current month: axe finds nothing to fix, the admin's
strict CSP is never broken, and the CSV downloads with its byte-order mark.
"""

from __future__ import annotations

import re

from csce.accounts.roles import AED

from .helpers import (
    axe_violations,
    csp_violations_listen,
    manage_shell,
    mfa_sign_in,
    role_account_create,
)

INQUIRIES_SEED = """
import datetime
from django.contrib.auth.models import Group
from django.utils import timezone
from csce.submissions.models import FormKind, Submission

now = timezone.now()
inbox, _ = Group.objects.get_or_create(name="Accueil")
for hours in (2, 5, None):
    received = now - datetime.timedelta(hours=6)
    Submission.objects.create(
        form_title="Nous joindre", kind=FormKind.INQUIRY, inbox=inbox, created_at=received,
        expires_at=received + datetime.timedelta(days=30),
        answered_at=received + datetime.timedelta(hours=hours) if hours else None,
        due_at=received + datetime.timedelta(hours=1),
    )
"""

PREFERRED_LANGUAGE_SET = """
from django.contrib.auth import get_user_model
from wagtail.users.models import UserProfile
profile = UserProfile.get_for_user(get_user_model().objects.get(username=username))
profile.preferred_language = language
profile.save()
"""

URL = "/admin/response-times/"


def test_the_aed_reads_the_response_times_in_french_and_english(browser, site_server):
    manage_shell(site_server, INQUIRIES_SEED)
    username, password = role_account_create(site_server, role=AED, language="fr")
    context = browser.new_context(base_url=site_server["url"], locale="en-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    csp_violations: list[str] = []
    csp_violations_listen(page, csp_violations)
    try:
        mfa_sign_in(page, username, password, {})
        # Under Reports, in the member's language.
        page.locator("#wagtail-sidebar").get_by_role("button", name="Rapports").click()
        page.locator(f"#wagtail-sidebar a[href='{URL}']").click()
        page.wait_for_url(re.compile(rf"{URL}$"))
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == "fr"
        assert "Délais de réponse" in page.locator("h1").inner_text()
        assert page.locator("table").count() >= 3
        assert "Demandes de renseignements" in page.locator("#source-inquiries").inner_text()
        assert axe_violations(page) == []

        with page.expect_download() as download:
            page.locator(f"a[href='{URL}export/']").click()
        assert download.value.suggested_filename.startswith("delais-de-reponse-")
        assert download.value.path().read_bytes().startswith(b"\xef\xbb\xbf")

        manage_shell(
            site_server, f"username, language = {username!r}, 'en'\n{PREFERRED_LANGUAGE_SET}"
        )
        page.reload()
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == "en"
        assert "Response times" in page.locator("h1").inner_text()
        assert "Inquiries" in page.locator("#source-inquiries").inner_text()
        assert axe_violations(page) == []
        assert csp_violations == []
    finally:
        context.close()
