"""Drafting one language first (policy P2): a campaign may be saved with its French only
and the English written later; it cannot be sent, previewed as an e-mail or tested in a
language still empty, and every screen says so in words, never with a 500."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.urls import reverse

from csce.accounts import roles
from csce.newsletter.factories import campaign_create, subscriber_create
from csce.newsletter.models import Campaign, CampaignDelivery, CampaignStatus
from csce.newsletter.sending import CampaignIncomplete, campaign_schedule, campaign_send_now

pytestmark = pytest.mark.django_db


def _stream(prefix: str, text: str) -> dict:
    value = {
        "blocks": [
            {
                "key": "a",
                "text": text,
                "type": "unstyled",
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [],
            }
        ],
        "entityMap": {},
    }
    return {
        f"{prefix}-count": "1",
        f"{prefix}-0-type": "text",
        f"{prefix}-0-deleted": "",
        f"{prefix}-0-order": "0",
        f"{prefix}-0-value": json.dumps(value),
    }


FRENCH_ONLY = {
    "title": "Infolettre de février",
    "subject": "Nouvelles de février",
    "subject_en": "",
    **_stream("body", "Les ateliers reprennent."),
    "body_en-count": "0",
}


def _french_only() -> Campaign:
    campaign = campaign_create(subject_en="")
    Campaign.objects.filter(pk=campaign.pk).update(body_en=[])
    campaign.refresh_from_db()
    return campaign


def test_a_french_draft_is_saved_and_the_english_added_later(client, staff_login):
    staff_login(role=roles.COMMUNICATIONS, language="en")
    response = client.post(reverse("newsletter_campaigns:add"), FRENCH_ONLY)
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get(title="Infolettre de février")
    assert campaign.subject_en == ""
    assert len(campaign.body_en) == 0

    edit = reverse("newsletter_campaigns:edit", args=[campaign.pk])
    english = {**FRENCH_ONLY, "subject_en": "February news", **_stream("body_en", "Back soon.")}
    assert client.post(edit, english).status_code == 302
    campaign.refresh_from_db()
    assert campaign.subject_en == "February news"
    assert "Back soon." in campaign.body_en[0].value.source


def test_the_internal_name_is_still_required(client, staff_login):
    staff_login(role=roles.COMMUNICATIONS, language="en")
    response = client.post(reverse("newsletter_campaigns:add"), {**FRENCH_ONLY, "title": ""})
    assert response.status_code == 200
    assert not Campaign.objects.exists()


def test_the_list_says_which_languages_are_ready(client, staff_login):
    campaign_create(title="Both")
    _french_only()
    staff_login(role=roles.COMMUNICATIONS, language="en")
    page = client.get(reverse("newsletter_campaigns:index")).content.decode()
    assert "French and English ready" in page
    assert "French ready, English to write" in page


def test_the_french_list_says_it_in_french(client, staff_login):
    _french_only()
    staff_login(role=roles.COMMUNICATIONS, language="fr")
    page = client.get(reverse("newsletter_campaigns:index")).content.decode()
    assert "Français prêt, anglais à écrire" in page


def test_sending_is_refused_in_words_while_a_language_is_empty(client, staff_login):
    campaign = _french_only()
    subscriber_create(email="lea@example.org")
    staff_login(role=roles.COMMUNICATIONS, language="en")
    url = reverse("newsletter_campaigns:schedule", args=[campaign.pk])
    words = "The English version is empty: both languages are required before sending."
    assert words in client.get(url).content.decode()
    response = client.post(url, {"step": "confirm", "when": "now", "confirm": "on"})
    assert response.status_code == 400
    assert words in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    with pytest.raises(CampaignIncomplete):
        campaign_schedule(campaign=campaign, at=None, actor=None)
    assert not CampaignDelivery.objects.exists()


def test_the_preview_says_no_english_version_yet_instead_of_an_empty_e_mail(client, staff_login):
    campaign = _french_only()
    staff_login(role=roles.COMMUNICATIONS, language="en")
    page = client.get(reverse("newsletter_campaigns:preview", args=[campaign.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "No English version yet." in html
    assert html.count("<iframe") == 1  # the French e-mail only
    frame = client.get(reverse("newsletter_campaigns:email", args=[campaign.pk, "en"]))
    assert frame.status_code == 200
    assert "No English version yet." in frame.content.decode()


def test_the_french_preview_says_it_in_french(client, staff_login):
    campaign = campaign_create(subject="")
    Campaign.objects.filter(pk=campaign.pk).update(body=[])
    staff_login(role=roles.COMMUNICATIONS, language="fr")
    page = client.get(reverse("newsletter_campaigns:preview", args=[campaign.pk]))
    assert "Pas encore de version française." in page.content.decode()


def test_the_test_send_skips_the_empty_language_and_says_so(client, staff_login):
    campaign = _french_only()
    staff_login(role=roles.COMMUNICATIONS, language="en", email="moi@csce.example")
    url = reverse("newsletter_campaigns:detail", args=[campaign.pk])
    response = client.post(url, {"action": "test", "language": "both"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "No test of the English version: it is still empty." in page
    assert [m.subject for m in mail.outbox] == ["[Essai] Nouvelles de décembre"]

    mail.outbox.clear()
    response = client.post(url, {"action": "test", "language": "en"}, follow=True)
    assert "This language version is empty: write it before testing." in response.content.decode()
    assert mail.outbox == []


def test_a_scheduled_campaign_keeps_both_languages(client, staff_login, settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "newsletter"],
        }
    }
    campaign = campaign_create()
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.SCHEDULED)
    staff_login(role=roles.COMMUNICATIONS, language="en")
    edit = reverse("newsletter_campaigns:edit", args=[campaign.pk])
    response = client.post(edit, {**FRENCH_ONLY, "title": campaign.title})
    assert response.status_code == 200
    assert "both languages must stay written" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.subject_en == "December news"


def test_a_campaign_emptied_after_scheduling_is_not_sent_but_back_to_draft(centre, settings):
    subscriber_create(email="lea@example.org")
    campaign = campaign_create()
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "newsletter"],
        }
    }
    campaign_schedule(campaign=campaign, at=None, actor=None)
    Campaign.objects.filter(pk=campaign.pk).update(subject_en="")

    campaign_send_now(campaign_id=campaign.pk)

    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert mail.outbox == []
    assert not CampaignDelivery.objects.exists()
