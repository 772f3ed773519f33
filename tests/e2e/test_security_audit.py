"""The annual security audit in Chromium (policy M, R).

The AED, in French, opens « Audits de sécurité » under Reports, starts a new audit (the
task worker runs its checks: the page says so, pending or done), then on an audit whose
checks ran signs off a checklist item with a date and a note by keyboard, and sees it
signed in her name. The list, the audit and its printable report pass axe in French and
in English (the technical administrator), and the admin's strict CSP holds.
"""

from __future__ import annotations

import re
import secrets

from csce.accounts.roles import AED, TECHNICAL_ADMIN

from .helpers import axe_violations, csp_violations_listen, manage_shell

AUDIT_CREATE = """
from csce.audit.factories import security_audit_create

audit = security_audit_create(results=[
    {"check": "staff_mfa", "label": "Second facteur " + token, "clauses": ["M"],
     "status": "fail", "detail": "1 des 3 comptes actifs du personnel n'a pas de second facteur."},
    {"check": "access_log_chain", "label": "Chaîne du journal des accès", "clauses": ["M"],
     "status": "pass", "detail": "La chaîne est intacte."},
])
print("AUDIT", audit.pk)
"""


def _axe_clean(page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where}: {violations}"


def test_the_aed_runs_an_audit_and_signs_off_the_checklist(site_server, staff_context):
    token = secrets.token_hex(4)
    printed = manage_shell(site_server, f"token = {token!r}\n" + AUDIT_CREATE)
    audit = re.search(r"AUDIT (\d+)", printed).group(1)
    detail_url = f"/admin/security-audits/{audit}/"

    csp: list[str] = []
    context = staff_context(role=AED, language="fr", locale="fr-CA")
    page = context.new_page()
    csp_violations_listen(page, csp)
    try:
        page.goto("/admin/security-audits/")
        assert page.locator("html").get_attribute("lang") == "fr"
        _axe_clean(page, "list (fr)")
        start = page.get_by_role("button", name="Lancer un nouvel audit")
        if start.count():
            with page.expect_navigation():
                start.click()
            state = page.locator("#security-audit-state").inner_text()
            assert re.search(r"attendent|vérifications automatiques sont faites|n'ont pas", state)
            _axe_clean(page, "new audit (fr)")

        page.goto(detail_url)
        assert f"Second facteur {token}" in page.locator("main").inner_text()
        assert page.locator("#check-staff_mfa").get_attribute("data-status") == "fail"
        _axe_clean(page, "audit (fr)")
        item = page.locator("#item-hosting_agreement")
        note = item.get_by_label("Note (facultative)")
        note.focus()
        page.keyboard.type("Entente renouvelée " + token)
        page.keyboard.press("Tab")  # to the item's button
        focused = page.evaluate("document.activeElement.textContent")
        assert "Signer" in focused
        with page.expect_navigation():
            page.keyboard.press("Enter")
        signed = page.locator("#item-hosting_agreement").inner_text()
        assert "Signé par" in signed
        assert f"Entente renouvelée {token}" in signed
        assert "Le point est signé." in page.locator("body").inner_text()
        assert page.locator("#complete-blocked").count() == 1  # other items wait
        _axe_clean(page, "audit, one item signed (fr)")

        page.get_by_role("link", name="Rapport imprimable").click()
        page.wait_for_url(f"**{detail_url}report/")
        assert f"Entente renouvelée {token}" in page.locator("main").inner_text()
        _axe_clean(page, "report (fr)")
    finally:
        context.close()
    assert csp == [], csp

    # In English, for the technical administrator: read, no sign-off form.
    context = staff_context(role=TECHNICAL_ADMIN, language="en", locale="en-CA")
    page = context.new_page()
    csp_violations_listen(page, csp)
    try:
        for path, where in (
            ("/admin/security-audits/", "list"),
            (detail_url, "audit"),
            (f"{detail_url}report/", "report"),
        ):
            assert page.goto(path).status == 200, where
            assert page.locator("html").get_attribute("lang") == "en"
            _axe_clean(page, f"{where} (en)")
        page.goto(detail_url)
        assert page.locator("input[name=action][value=sign_off]").count() == 0
    finally:
        context.close()
    assert csp == [], csp
