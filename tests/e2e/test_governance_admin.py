"""The policy versions and the online-property registry in Chromium (policy V, S, O, R).

The technical administrator, in French, drafts a new version of the policy and sees that
it awaits the Assistant Executive Director, with no approval form for herself. The AED
approves it by keyboard and is the first asked to acknowledge it; a content creator, in
English, is asked too at her next admin page (policy S). Then the AED records the
quarterly access review of an overdue online property by keyboard (policy O, R) and reads
the next review's date. The versions' list, the approval page, the acknowledgement page
and the registry's list, edit and review screens pass axe in French and in English, and
the admin's strict CSP holds throughout.
"""

from __future__ import annotations

import re
import secrets

from csce.accounts.roles import AED, CONTENT, TECHNICAL_ADMIN

from .helpers import arrive, axe_violations, csp_violations_listen, manage_shell

VERSIONS_URL = "/admin/policy_versions/"
ACKNOWLEDGE_URL = "/admin/policy/acknowledge/"
PROPERTIES_URL = "/admin/properties/"

# Policy S: the version approved here is in force for every account of the shared server
# from today. Once the test has seen the acknowledgement asked of staff, the accounts of the
# other browser tests acknowledge it too, as each of them would at their next admin page,
# so that those tests land where they expect.
EVERYONE_ACKNOWLEDGES = """
from csce.accounts.models import PolicyVersion
from csce.accounts.selectors import admin_staff
from csce.accounts.services import policy_acknowledge

version = PolicyVersion.objects.get(version_label=label)
for user in admin_staff():
    policy_acknowledge(user=user, version=version)
"""

# Policy O, R: a property whose quarterly review is overdue, administered by one staff
# member; and the next review's date the registry should show once it is reviewed today.
PROPERTY_CREATE = """
import datetime
from django.utils import timezone, translation
from django.utils.formats import date_format
from csce.accounts.factories import staff_user
from csce.properties.factories import online_property_create
from csce.properties.services import property_next_review

today = timezone.localdate()
administrator = staff_user(username="admin-" + token, first_name="Aline", last_name=token)
prop = online_property_create(
    name="Compte e2e " + token,
    next_review_due=today - datetime.timedelta(days=10),
    administrators=[administrator],
)
due = property_next_review(reviewed_on=today)
assert due > today
with translation.override("fr"):
    fr = date_format(due, "DATE_FORMAT")
with translation.override("en"):
    en = date_format(due, "DATE_FORMAT")
print("PROPERTY", prop.pk)
print("DUE_FR", fr)
print("DUE_EN", en)
"""

PROPERTY_STATE = """
from csce.properties.models import OnlineProperty

prop = OnlineProperty.objects.get(pk=pk)
print("STATE", prop.last_review_on.isoformat(), prop.mfa_confirmed_on.isoformat())
"""


def _axe_clean(page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where}: {violations}"


def _keyboard_submit(page, checkbox, button_name: str) -> None:
    """Tick ``checkbox`` with the space bar, then Tab to the button named ``button_name``
    and press Enter (WCAG 2.1.1)."""
    checkbox.focus()
    page.keyboard.press("Space")
    assert checkbox.is_checked()
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").strip() == button_name:
            break
    assert page.evaluate("document.activeElement.textContent").strip() == button_name
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _status_row(page, label: str):
    return page.locator("main tbody tr").filter(has_text=label)


def test_a_drafted_version_is_approved_by_the_aed_then_acknowledged(site_server, staff_context):
    label = f"e2e-{secrets.token_hex(4)}"
    csp: list[str] = []
    # Signed in before the approval, under the version in force until then.
    staff_member = staff_context(role=CONTENT, language="en", locale="en-CA")

    # The technical administrator drafts; she cannot approve (policy R, V).
    context = staff_context(role=TECHNICAL_ADMIN, language="fr", locale="fr-CA")
    page = context.new_page()
    csp_violations_listen(page, csp)
    try:
        page.goto(VERSIONS_URL)
        assert page.locator("html").get_attribute("lang") == "fr"
        _axe_clean(page, "versions (fr)")
        page.goto(f"{VERSIONS_URL}new/")
        page.fill("#id_version_label", label)
        page.fill("#id_summary_fr", f"Résumé {label}")
        page.fill("#id_summary_en", f"Summary {label}")
        page.fill("#id_body_fr", f"Texte de la politique {label}")
        page.fill("#id_body_en", f"Text of the policy {label}")
        with page.expect_navigation():
            page.get_by_role("button", name="Créer", exact=True).click()
        assert re.search(rf"{VERSIONS_URL}\d+/approval/$", page.url), page.url
        approval_url = page.url.removeprefix(site_server["url"])
        assert "est enregistrée comme brouillon" in page.locator(".messages").inner_text()
        assert page.locator("#policy-version-status").inner_text().startswith("Brouillon")
        assert "La direction générale adjointe approuve ce brouillon" in (
            page.locator("main").inner_text()
        )
        assert page.get_by_role("button", name="Approuver cette version").count() == 0
        _axe_clean(page, "approval, draft (fr)")
    finally:
        context.close()
    assert csp == [], csp

    # The AED finds the draft in the list, approves it by keyboard, and is asked first.
    context = staff_context(role=AED, language="fr", locale="fr-CA")
    page = context.new_page()
    csp_violations_listen(page, csp)
    try:
        page.goto(VERSIONS_URL)
        row = _status_row(page, label)
        assert "en attente de l’approbation de la direction générale adjointe" in (row.inner_text())
        link = row.locator(f'a[href="{approval_url}"]').first
        link.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(approval_url)
        _axe_clean(page, "approval, AED (fr)")
        _keyboard_submit(page, page.locator("#id_confirm"), "Approuver cette version")

        # In force from today: the AED herself acknowledges it before anything else.
        assert ACKNOWLEDGE_URL in page.url, page.url
        assert f"La version {label} est approuvée." in page.locator(".messages").inner_text()
        assert f"Version {label}" in page.locator("header").inner_text()
        assert f"Texte de la politique {label}" in page.locator("main").inner_text()
        _axe_clean(page, "acknowledgement (fr)")
        _keyboard_submit(page, page.locator("#id_confirm"), "Confirmer la prise de connaissance")
        page.wait_for_url(re.compile(rf"{VERSIONS_URL}$"))
        assert "Approuvée le" in _status_row(page, label).inner_text()
        _axe_clean(page, "versions, approved (fr)")
    finally:
        context.close()
    assert csp == [], csp

    try:
        # A content creator, in English, is asked at her next admin page (policy S).
        page = staff_member.new_page()
        csp_violations_listen(page, csp)
        try:
            page.goto("/admin/")
            assert ACKNOWLEDGE_URL in page.url, page.url
            assert page.locator("html").get_attribute("lang") == "en"
            assert f"Version {label}" in page.locator("header").inner_text()
            assert f"Text of the policy {label}" in page.locator("main").inner_text()
            _axe_clean(page, "acknowledgement (en)")
            _keyboard_submit(page, page.locator("#id_confirm"), "Acknowledge the policy")
            page.wait_for_url(re.compile(r"/admin/$"))
        finally:
            staff_member.close()
        assert csp == [], csp

        # The list and the approved version's page in English (the AED).
        context = staff_context(role=AED, language="en", locale="en-CA")
        page = context.new_page()
        csp_violations_listen(page, csp)
        try:
            page.goto(VERSIONS_URL)
            arrive(page, rf"{VERSIONS_URL}$")
            assert page.locator("html").get_attribute("lang") == "en"
            assert "Approved on" in _status_row(page, label).inner_text()
            _axe_clean(page, "versions (en)")
            page.goto(approval_url)
            assert "Approved on" in page.locator("#policy-version-status").inner_text()
            assert page.get_by_role("button", name="Approve this version").count() == 0
            _axe_clean(page, "approval, approved (en)")
        finally:
            context.close()
        assert csp == [], csp
    finally:
        manage_shell(site_server, f"label = {label!r}\n" + EVERYONE_ACKNOWLEDGES)


def test_the_aed_records_an_access_review_of_an_online_property(site_server, staff_context):
    token = secrets.token_hex(4)
    printed = manage_shell(site_server, f"token = {token!r}\n" + PROPERTY_CREATE)
    pk = re.search(r"PROPERTY (\d+)", printed).group(1)
    due_fr = re.search(r"DUE_FR (.+)", printed).group(1).strip()
    due_en = re.search(r"DUE_EN (.+)", printed).group(1).strip()
    name = f"Compte e2e {token}"
    review_url = f"/admin/properties/review/{pk}/"
    edit_url = f"{PROPERTIES_URL}edit/{pk}/"

    csp: list[str] = []
    context = staff_context(role=AED, language="fr", locale="fr-CA")
    page = context.new_page()
    csp_violations_listen(page, csp)
    try:
        page.goto(PROPERTIES_URL)
        assert page.locator("html").get_attribute("lang") == "fr"
        row = _status_row(page, name)
        assert "En retard depuis le" in row.inner_text()
        _axe_clean(page, "properties (fr)")

        # By keyboard, from the property's row to its review.
        link = row.get_by_role("link", name=f"Consigner une revue des accès de {name}")
        link.focus()
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(review_url), page.url
        main = page.locator("main").inner_text()
        assert f"Aline {token}" in main  # the administrator to confirm
        _axe_clean(page, "review (fr)")

        # Without the confirmation the review is refused, in words.
        with page.expect_navigation():
            page.get_by_role("button", name="Consigner la revue").click()
        assert page.url.endswith(review_url), page.url
        assert page.locator(".w-field__errors .error-message").count() == 1
        _axe_clean(page, "review, refused (fr)")

        mfa = page.locator("#id_mfa_confirmed")
        mfa.focus()
        page.keyboard.press("Space")
        assert mfa.is_checked()
        _keyboard_submit(page, page.locator("#id_confirmed"), "Consigner la revue")
        page.wait_for_url(re.compile(rf"{PROPERTIES_URL}$"))
        message = page.locator(".messages").inner_text()
        assert f"Revue des accès de {name} consignée" in message
        assert f"la prochaine est prévue le {due_fr}" in message
        row = _status_row(page, name)
        assert due_fr in row.inner_text()
        assert "En retard" not in row.inner_text()
        _axe_clean(page, "properties, reviewed (fr)")

        page.goto(edit_url)
        assert page.locator("#id_name").input_value() == name
        _axe_clean(page, "edit (fr)")
    finally:
        context.close()
    assert csp == [], csp

    state = manage_shell(site_server, f"pk = {pk}\n" + PROPERTY_STATE)
    reviewed_on, mfa_confirmed_on = re.search(r"STATE (\S+) (\S+)", state).groups()
    assert reviewed_on == mfa_confirmed_on  # both recorded today, by the one review

    # The same screens in English, for the AED who prefers it.
    context = staff_context(role=AED, language="en", locale="en-CA")
    page = context.new_page()
    csp_violations_listen(page, csp)
    try:
        for path, where in (
            (PROPERTIES_URL, "properties"),
            (edit_url, "edit"),
            (review_url, "review"),
        ):
            page.goto(path)
            arrive(page, re.escape(path) + "$")
            assert page.locator("html").get_attribute("lang") == "en"
            _axe_clean(page, f"{where} (en)")
        assert due_en in page.locator("main").inner_text()  # the review's next due date
    finally:
        context.close()
    assert csp == [], csp
