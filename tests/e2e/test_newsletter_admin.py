"""The newsletter's staff side in Chromium (policy P3, P2; CASL s.6; decision 0006).

A member of Communications composes a campaign in the French admin (its topics, a French
and an English tab, a text block in each), previews both languages in their sandboxed
frames, and sends a test to their own address, which the real SMTP server receives with
the subject marked as a test. The list, the editor, the preview and a campaign's progress
pass axe in both admin languages, with the admin's strict CSP never broken.
"""

from __future__ import annotations

import re

import pytest

from csce.accounts.roles import COMMUNICATIONS

from .helpers import LANGUAGES, axe_violations, csp_violations_listen, mail_to, manage_shell

TOPICS_CREATE = """
from csce.newsletter.factories import topics_create
topics_create()
"""

# A campaign being sent: three sent, one failed, two waiting. Prints its id.
SENDING_CAMPAIGN_CREATE = """
import secrets
from django.utils import timezone
from csce.newsletter.factories import campaign_create, subscriber_create
from csce.newsletter.models import Campaign, CampaignDelivery

campaign = campaign_create(title="Campagne en cours " + secrets.token_hex(3))
Campaign.objects.filter(pk=campaign.pk).update(status="sending", started_at=timezone.now())
for n, state in enumerate(["sent", "sent", "sent", "failed", "queued", "queued"]):
    subscriber = subscriber_create(email=f"abonnement-{secrets.token_hex(4)}-{n}@example.org")
    CampaignDelivery.objects.create(
        campaign=campaign, subscriber=subscriber, language="fr", state=state,
        last_error="SMTPRecipientsRefused 550" if state == "failed" else "",
    )
print(campaign.pk)
"""

DRAFT_CAMPAIGN_CREATE = """
from csce.newsletter.factories import campaign_create
print(campaign_create(title="Brouillon axe").pk)
"""


def _rich_text_block(page, tab: str, text: str) -> None:
    """Open the tab, insert a text block in its empty message and type ``text``."""
    page.get_by_role("tab", name=tab).click()
    panel = page.locator("[role=tabpanel]:visible")
    panel.locator("button[data-streamfield-list-add], button.c-sf-add-button").first.click()
    page.locator("[role=option]:visible, .w-combobox__option:visible").filter(
        has_text=re.compile(r"^\s*Text(e)?\s*$")
    ).first.click()
    editor = panel.locator("[contenteditable=true]").first
    editor.click()
    editor.type(text)


def test_a_campaign_is_composed_previewed_and_tested_in_the_french_admin(
    site_server, staff_context
):
    manage_shell(site_server, TOPICS_CREATE)
    context = staff_context(role=COMMUNICATIONS, language="fr", locale="fr-CA")
    page = context.new_page()
    csp_violations: list[str] = []
    csp_violations_listen(page, csp_violations)
    try:
        page.goto("/admin/newsletter/campaigns/new/")
        assert page.locator("html").get_attribute("lang") == "fr"
        page.fill("#id_title", "Infolettre de février")
        page.locator("input[name=topics]").first.check()
        page.get_by_role("tab", name="Français").click()
        page.fill("#id_subject", "Nouvelles de février")
        _rich_text_block(page, "Français", "Les inscriptions sont ouvertes.")
        page.get_by_role("tab", name="Anglais").click()
        page.fill("#id_subject_en", "February news")
        _rich_text_block(page, "Anglais", "Registration is open.")
        assert axe_violations(page) == []
        page.locator("main button[type=submit].button-longrunning").first.click()
        page.wait_for_url(re.compile(r"/admin/newsletter/campaigns/\d+/$"))
        main = page.locator("main").inner_text()
        assert "Brouillon" in main
        assert axe_violations(page) == []

        # The preview: both languages, each e-mail in its sandboxed frame.
        page.get_by_role("link", name="Aperçu").click()
        page.wait_for_url(re.compile(r"/preview/$"))
        frames = page.locator("main iframe")
        assert frames.count() == 2
        for n in range(2):
            assert frames.nth(n).get_attribute("sandbox") == ""
        french = page.frame_locator("main iframe").first
        assert "Les inscriptions sont ouvertes." in french.locator("body").inner_text()
        english = page.frame_locator("main iframe").nth(1)
        assert "Registration is open." in english.locator("body").inner_text()
        main = page.locator("main").inner_text()
        assert "List-Unsubscribe" in main
        assert "Nouvelles de février" in main
        address = (
            page.locator("main table").first.locator("tr").nth(1).locator("td").inner_text()
        ).strip()
        assert address.endswith("@example.org")
        assert axe_violations(page) == []

        # The test: to the staff member's own address, through the real SMTP server.
        page.get_by_role("link", name="Retour à la campagne").first.click()
        page.locator("input[name=language][value=fr]").check()
        page.get_by_role("button", name="M’envoyer un essai").click()
        page.wait_for_url(re.compile(r"/admin/newsletter/campaigns/\d+/$"))
        assert "L’essai a été envoyé à votre propre adresse." in page.locator("body").inner_text()
        message = mail_to(site_server, address, containing="Nouvelles de février")
        assert str(message["Subject"]) == "[Essai] Nouvelles de février"
        assert "List-Unsubscribe" in message
        assert csp_violations == []
    finally:
        context.close()


@pytest.mark.parametrize(("language", "locale"), LANGUAGES)
def test_the_newsletter_screens_pass_axe(site_server, staff_context, language, locale):
    draft = manage_shell(site_server, DRAFT_CAMPAIGN_CREATE).strip()
    sending = manage_shell(site_server, SENDING_CAMPAIGN_CREATE).strip()
    context = staff_context(role=COMMUNICATIONS, language=language, locale=locale)
    page = context.new_page()
    csp_violations: list[str] = []
    csp_violations_listen(page, csp_violations)
    try:
        for path in (
            "/admin/newsletter/campaigns/",
            f"/admin/newsletter/campaigns/edit/{draft}/",
            f"/admin/newsletter/campaigns/{draft}/",
            f"/admin/newsletter/campaigns/{draft}/preview/",
            f"/admin/newsletter/campaigns/{draft}/send/",
            f"/admin/newsletter/campaigns/{sending}/",
            "/admin/newsletter/topics/",
            "/admin/newsletter/subscribers/",
        ):
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language
            assert axe_violations(page) == [], path
        # The progress: numbers, and the failure by subscriber number, never an address.
        page.goto(f"/admin/newsletter/campaigns/{sending}/")
        main = page.locator("main").inner_text()
        assert "SMTPRecipientsRefused 550" in main
        assert "@example.org" not in main
        assert page.locator('[data-count="sent"]').inner_text() == "3"
        assert page.locator('[data-count="remaining"]').inner_text() == "2"
        assert csp_violations == []
    finally:
        context.close()
