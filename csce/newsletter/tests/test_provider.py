"""A campaign through an e-mail provider (policy F): while the processors register
declares no active e-mail processor, no delivery is handed to the provider; the rows wait
with the reason, the campaign's page says why, and the next try after the Privacy
Officer declares the provider sends them."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from csce.accounts import roles
from csce.newsletter.factories import campaign_create, subscriber_create
from csce.newsletter.models import CampaignDelivery, CampaignStatus, DeliveryState
from csce.newsletter.sending import campaign_progress, campaign_schedule, campaign_send_now
from csce.outbox.delivery import PROVIDER_NOT_DECLARED
from csce.privacy.models import Processor, ProcessorCategory

pytestmark = pytest.mark.django_db

WORDS = {
    "en": "An e-mail provider is configured but not declared in the processors register: "
    "nothing is sent until the Privacy Officer adds it.",
    "fr": "Un fournisseur de courriel est configuré, mais il n’est pas déclaré au registre "
    "des fournisseurs de services\u00a0: rien n’est envoyé tant que la personne responsable "
    "de la vie privée ne l’y a pas ajouté.",
}


@pytest.fixture
def provider(settings, centre):
    """A provider configured; anymail's test backend stands for its API (no network)."""
    settings.EMAIL_PROVIDER = "brevo"
    settings.OUTBOX_DELIVERY_BACKEND = "anymail.backends.test.EmailBackend"
    settings.OUTBOX_RETRY_SECONDS = 60
    return settings


def processor_declare(*, active=True) -> Processor:
    return Processor.objects.create(
        locale=Locale.objects.get(language_code="fr"),
        name="Courrielleur Nord inc.",
        category=ProcessorCategory.EMAIL,
        data_received="L'adresse des abonnés et le contenu de l'infolettre.",
        purpose="Livrer l'infolettre.",
        location="Toronto (Ontario), Canada",
        active=active,
    )


def _held_campaign():
    subscriber_create(email="lea@example.org", language="fr")
    subscriber_create(email="sam@example.org", language="en")
    campaign = campaign_create()
    campaign_schedule(campaign=campaign, at=None, actor=None)
    campaign.refresh_from_db()
    return campaign


def test_no_delivery_reaches_an_undeclared_provider_the_rows_wait_with_the_reason(provider):
    campaign = _held_campaign()

    assert mail.outbox == []
    assert campaign.status == CampaignStatus.SENDING
    rows = list(CampaignDelivery.objects.filter(campaign=campaign))
    assert len(rows) == 2
    for row in rows:
        assert row.state == DeliveryState.QUEUED
        assert row.attempts == 0
        assert row.last_error == PROVIDER_NOT_DECLARED
        assert row.next_attempt_at > timezone.now()
    assert campaign_progress(campaign=campaign).remaining == 2


def test_an_inactive_processor_does_not_count_an_active_one_sends_at_the_next_try(provider):
    processor_declare(active=False)
    campaign = _held_campaign()
    later = timezone.now() + datetime.timedelta(minutes=2)
    with time_machine.travel(later):
        campaign_send_now(campaign_id=campaign.pk)
    assert mail.outbox == []

    processor_declare()
    with time_machine.travel(later + datetime.timedelta(minutes=2)):
        campaign_send_now(campaign_id=campaign.pk)

    assert sorted(m.to[0] for m in mail.outbox) == ["lea@example.org", "sam@example.org"]
    assert all(hasattr(m, "anymail_test_params") for m in mail.outbox)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT
    assert not CampaignDelivery.objects.exclude(state=DeliveryState.SENT).exists()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_campaign_page_says_why_nothing_leaves(client, staff_login, provider, language):
    campaign = _held_campaign()
    staff_login(role=roles.COMMUNICATIONS, language=language)
    url = reverse("newsletter_campaigns:detail", args=[campaign.pk])
    page = client.get(url).content.decode().replace("&#x27;", "’")
    assert WORDS[language] in page

    processor_declare()
    assert 'id="provider-held"' not in client.get(url).content.decode()


def test_the_send_screen_warns_before_sending(client, staff_login, provider):
    campaign = campaign_create()
    staff_login(role=roles.COMMUNICATIONS, language="en")
    page = client.get(reverse("newsletter_campaigns:schedule", args=[campaign.pk]))
    assert WORDS["en"] in page.content.decode()
