"""The compliance view in Chromium (policy R, V: the AED sees in one look whether the
policy holds, and acts on what does not).

An inquiry waits well past its due time, so « Demandes de renseignements traitées à
temps » does not hold. The AED, in French, sees the dashboard's panel first, opens
« Conformité » from the Reports menu, finds that indicator among those to act on (its
level in words, not colour alone) and follows its link to the inboxes by keyboard; the
view and its printable version pass axe. The Executive Director reads it in English. The
admin's strict CSP holds throughout.
"""

from __future__ import annotations

import re

from csce.accounts.roles import AED, ED

from .helpers import axe_violations, csp_violations_listen, manage_shell

URL = "/admin/compliance/"

LATE_INQUIRY = """
import datetime
from django.contrib.auth.models import Group
from django.utils import timezone
from csce.submissions.models import FormKind, Submission

received = timezone.now() - datetime.timedelta(days=20)
inbox, _ = Group.objects.get_or_create(name="Accueil")
Submission.objects.create(
    form_title="Nous joindre", kind=FormKind.INQUIRY, inbox=inbox, created_at=received,
    expires_at=received + datetime.timedelta(days=30),
    due_at=received + datetime.timedelta(days=1),
)
"""


def _axe_clean(page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where}: {violations}"


def test_the_aed_sees_what_does_not_hold_and_acts_on_it(site_server, staff_context):
    manage_shell(site_server, LATE_INQUIRY)
    csp: list[str] = []
    context = staff_context(role=AED, language="fr", locale="fr-CA")
    page = context.new_page()
    csp_violations_listen(page, csp)
    try:
        page.goto("/admin/")
        panel = page.locator("#compliance-heading").locator("..")
        assert "La politique tient-elle aujourd’hui" in panel.inner_text()
        assert panel.locator('[data-indicator="submissions.overdue_inquiries"]').count() == 1
        _axe_clean(page, "dashboard (fr)")

        page.locator("#wagtail-sidebar").get_by_role("button", name="Rapports").click()
        page.locator(f"#wagtail-sidebar a[href='{URL}']").click()
        page.wait_for_url(re.compile(rf"{URL}$"))
        assert page.locator("html").get_attribute("lang") == "fr"
        assert "Conformité à la politique" in page.locator("h1").inner_text()
        to_act = page.locator('section[aria-labelledby="compliance-not-holding"]')
        row = to_act.locator('tr[data-indicator="submissions.overdue_inquiries"]')
        assert row.get_attribute("data-level") == "red"
        assert "Ne tient pas" in row.inner_text()
        assert "R" in row.locator("td").nth(1).inner_text()
        _axe_clean(page, "compliance (fr)")

        # By keyboard: the row's link to act leads to the inboxes.
        link = row.get_by_role("link")
        link.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith("/admin/inboxes/")

        page.goto(f"{URL}?print=1")
        assert (
            "Conformité à la politique sur les propriétés en ligne"
            in page.locator("h1").inner_text()
        )
        _axe_clean(page, "printable (fr)")
    finally:
        context.close()
    assert csp == [], csp

    context = staff_context(role=ED, language="en", locale="en-CA")
    page = context.new_page()
    csp_violations_listen(page, csp)
    try:
        assert page.goto(URL).status == 200
        assert page.locator("html").get_attribute("lang") == "en"
        assert "Compliance with the policy" in page.locator("h1").inner_text()
        row = page.locator('tr[data-indicator="submissions.overdue_inquiries"]')
        assert "Does not hold" in row.inner_text()
        _axe_clean(page, "compliance (en)")
        page.goto("/admin/")
        _axe_clean(page, "dashboard (en)")
    finally:
        context.close()
    assert csp == [], csp
