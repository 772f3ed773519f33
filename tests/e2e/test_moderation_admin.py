"""The moderation queue in Chromium (policy U, R, X).

Two visitors' comments wait on an article and a report of a concern is open. A content
creator, in French, opens « Modération » from the admin's menu, approves the first comment
with its reason and rejects the second with another: each decision is said on the page
and shown in the item's history. The queue and each item's page pass axe in French and in
English (the AED), and the admin's strict CSP holds.
"""

from __future__ import annotations

import re
import secrets

from csce.accounts.roles import AED, CONTENT

from .helpers import axe_violations, csp_violations_listen, manage_shell

ITEMS_CREATE = """
from wagtail.models import Page
from csce.moderation.factories import comment_create, report_create

page = Page.objects.filter(depth=3, locale__language_code="fr").order_by("path").first()
network = "e2e-" + token
first = comment_create(page=page, text="Premier commentaire " + token, network=network + "-1")
second = comment_create(page=page, text="Second commentaire " + token, network=network + "-2")
report = report_create(description="Signalement " + token, network=network + "-3")
print("ITEMS", first.pk, second.pk, report.pk)
"""


def _axe_clean(page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where}: {violations}"


def test_a_content_creator_approves_and_rejects_comments_in_the_queue(site_server, staff_context):
    token = secrets.token_hex(4)
    printed = manage_shell(site_server, f"token = {token!r}\n" + ITEMS_CREATE)
    first, second, report = re.search(r"ITEMS (\d+) (\d+) (\d+)", printed).groups()
    first_url = f"/admin/moderation/comments/{first}/"
    second_url = f"/admin/moderation/comments/{second}/"
    report_url = f"/admin/moderation/reports/{report}/"

    csp: list[str] = []
    context = staff_context(role=CONTENT, language="fr", locale="fr-CA")
    page = context.new_page()
    csp_violations_listen(page, csp)
    try:
        page.goto("/admin/")
        page.get_by_role("link", name=re.compile(r"^Modération \(\d+ en attente\)")).click()
        page.wait_for_url("**/admin/moderation/")
        _axe_clean(page, "queue (fr)")
        queue = page.locator("main").inner_text()
        assert "Premier commentaire" not in queue  # no visitor's text in the list
        assert page.locator(f'a[href="{first_url}"]').count() == 1

        page.locator(f'a[href="{first_url}"]').click()
        page.wait_for_url(f"**{first_url}")
        assert f"Premier commentaire {token}" in page.locator("main").inner_text()
        _axe_clean(page, "comment (fr)")
        approve = page.locator("form:has(input[name=action][value=approve])")
        assert approve.locator("select[name=reason]").input_value() == "within_rules"
        with page.expect_navigation():
            approve.locator("button[type=submit]").click()
        main = page.locator("main").inner_text()
        assert "Commentaire approuvé" in main
        assert "Approuvé" in page.locator("#moderation-history ~ ol").inner_text()
        _axe_clean(page, "comment approved (fr)")

        page.goto(second_url)
        reject = page.locator("form:has(input[name=action][value=reject])")
        # "Other" without a note: refused, what was chosen kept.
        reject.locator("select[name=reason]").select_option("other")
        with page.expect_navigation():
            reject.locator("button[type=submit]").click()
        assert "Expliquez le motif" in page.locator("main").inner_text()
        reject = page.locator("form:has(input[name=action][value=reject])")
        assert reject.locator("select[name=reason]").input_value() == "other"
        _axe_clean(page, "comment, refused form (fr)")
        reject.locator("select[name=reason]").select_option("spam")
        with page.expect_navigation():
            reject.locator("button[type=submit]").click()
        assert "Commentaire refusé" in page.locator("main").inner_text()
        history = page.locator("#moderation-history ~ ol").inner_text()
        assert "Refusé" in history
        assert "Pourriel ou publicité" in history

        page.goto(report_url)
        _axe_clean(page, "report (fr)")
        page.goto("/admin/moderation/?status=all")
        _axe_clean(page, "queue, all (fr)")
    finally:
        context.close()
    assert csp == [], csp

    # The same screens in English, for the AED.
    context = staff_context(role=AED, language="en", locale="en-CA")
    page = context.new_page()
    csp_violations_listen(page, csp)
    try:
        for path, where in (
            ("/admin/moderation/", "queue"),
            ("/admin/moderation/?status=decided", "queue, decided"),
            (first_url, "approved comment"),
            (second_url, "rejected comment"),
            (report_url, "report"),
        ):
            assert page.goto(path).status == 200, where
            assert page.locator("html").get_attribute("lang") == "en"
            _axe_clean(page, f"{where} (en)")
    finally:
        context.close()
    assert csp == [], csp
