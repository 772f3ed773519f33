"""The inbox in a real browser: a Communications officer working in French reads the list
(sender, topic, excerpt), opens an item, previews a reply and sends it; the reply reaches
a real SMTP server from the centre with the inbox's Reply-To; the list, the item and the
reply's preview pass axe in both languages (policy F, R, P2)."""

from __future__ import annotations

import re
import secrets

import pytest
from axe_playwright_python.sync_playwright import Axe

from .helpers import MESSAGES_SHOWN, axe_clean, mail_to, manage_shell

COMMUNICATIONS = "Communications"
CREATE = """
import datetime
from django.contrib.auth.models import Group
from django.utils import timezone
from csce.submissions.models import Submission
Submission.objects.create(
    form_title="Écrivez-nous",
    kind="inquiry",
    inbox=Group.objects.get(name="Communications"),
    language="fr",
    expires_at=timezone.now() + datetime.timedelta(days=30),
    answers=[
        {"name": "form_topic", "label": "Sujet", "field_type": "dropdown",
         "data_class": "general", "value": "Question générale"},
        {"name": "nom", "label": "Nom", "field_type": "singleline",
         "data_class": "personal", "value": name},
        {"name": "courriel", "label": "Courriel", "field_type": "email",
         "data_class": "personal", "value": address},
        {"name": "message", "label": "Message", "field_type": "multiline",
         "data_class": "personal", "value": message},
    ],
)
"""


@pytest.fixture
def inquiry(site_server) -> dict:
    token = secrets.token_hex(4)
    values = {
        "name": f"Marie Tremblay {token}",
        "address": f"marie-{token}@example.org",
        "message": "Bonjour, quand ouvrez-vous le samedi ? " * 5,
    }
    manage_shell(site_server, f"name, address, message = {tuple(values.values())!r}\n" + CREATE)
    return values


def test_a_reply_is_previewed_and_sent_in_french(staff_context, site_server, inquiry):
    axe = Axe()
    context = staff_context(role=COMMUNICATIONS, language="fr", locale="fr-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto("/admin/inboxes/")
        row = page.locator("tr", has_text=inquiry["name"])
        assert "Question générale" in row.inner_text()
        assert "Bonjour, quand ouvrez-vous le samedi" in row.inner_text()
        axe_clean(page, axe)
        row.get_by_role("link", name=inquiry["name"]).click()
        page.wait_for_url(re.compile(r"/admin/inboxes/\d+/$"))
        heading = page.get_by_role("heading", name=f"Message de {inquiry['name']}")
        assert heading.is_visible()
        axe_clean(page, axe)

        # Sent empty: a clear message, nothing sent.
        page.get_by_role("button", name="Voir la réponse en courriel").click()
        page.wait_for_selector("text=Écrivez la réponse avant de la voir en courriel.")
        axe_clean(page, axe)
        page.get_by_label("Votre réponse").fill("Nous ouvrons à 9 h le samedi.")
        page.get_by_role("button", name="Voir la réponse en courriel").click()
        preview = page.locator("#reply-preview-section")
        preview.wait_for()
        text = preview.inner_text()
        assert "Bonjour," in text
        assert "Nous ouvrons à 9 h le samedi." in text
        assert inquiry["address"] in text
        # What staff typed is still in the box, to change and preview again.
        assert page.get_by_label("Votre réponse").input_value() == "Nous ouvrons à 9 h le samedi."
        axe_clean(page, axe)
        preview.get_by_role("button", name="Envoyer la réponse").click()
        page.wait_for_selector(".messages")
        thread = page.locator("#item-replies").locator("xpath=..")
        assert "Nous ouvrons à 9 h le samedi." in thread.inner_text()
        page.wait_for_function(MESSAGES_SHOWN)  # measured once it has faded in
        axe_clean(page, axe)
    finally:
        context.close()

    message = mail_to(site_server, inquiry["address"])
    assert message["Reply-To"]
    assert message["From"].addresses[0].addr_spec
    body = message.get_content()
    assert body.startswith("Bonjour,")
    assert "Nous ouvrons à 9 h le samedi." in body


@pytest.mark.parametrize(("language", "locale"), [("fr", "en-CA"), ("en", "fr-CA")])
def test_the_list_and_the_item_pass_axe(staff_context, site_server, inquiry, language, locale):
    axe = Axe()
    context = staff_context(role=COMMUNICATIONS, language=language, locale=locale)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto("/admin/inboxes/")
        assert page.locator("html").get_attribute("lang") == language
        axe_clean(page, axe)
        page.locator("tr", has_text=inquiry["name"]).get_by_role(
            "link", name=inquiry["name"]
        ).click()
        page.wait_for_url(re.compile(r"/admin/inboxes/\d+/$"))
        axe_clean(page, axe)
        if language == "en":
            # The reply's preview, in English (the French one is in the test above).
            page.get_by_label("Your reply").fill("We open at 9 a.m. on Saturdays.")
            page.get_by_role("button", name="Preview the reply").click()
            preview = page.locator("#reply-preview-section")
            preview.wait_for()
            assert "We open at 9 a.m. on Saturdays." in preview.inner_text()
            axe_clean(page, axe)
    finally:
        context.close()
