"""An e-mail provider through django-anymail (policy F): while the processors register
declares no active e-mail processor, nothing is handed to the provider; the messages
wait, with the reason, and leave at the next try once the Privacy Officer declares it."""

from __future__ import annotations

import datetime
import importlib.util

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from csce.accounts.roles import AED
from csce.common.email_provider import PROVIDERS, anymail_settings
from csce.outbox.delivery import PROVIDER_NOT_DECLARED
from csce.outbox.models import OutboxMessage, OutboxState
from csce.outbox.services import message_enqueue
from csce.outbox.tasks import outbox_deliver_now
from csce.privacy.models import Processor, ProcessorCategory

WORDS = {
    "en": "An e-mail provider is configured but not declared in the processors register: "
    "nothing is sent until the Privacy Officer adds it.",
    "fr": "Un fournisseur de courriel est configuré, mais il n’est pas déclaré au registre "
    "des fournisseurs de services\u00a0: rien n’est envoyé tant que la personne responsable "
    "de la vie privée ne l’y a pas ajouté.",
}


@pytest.fixture
def provider(settings):
    """A provider configured; anymail's test backend stands for its API (no network)."""
    settings.EMAIL_PROVIDER = "postmark"
    settings.OUTBOX_DELIVERY_BACKEND = "anymail.backends.test.EmailBackend"
    settings.OUTBOX_RETRY_SECONDS = 60
    return settings


def processor_declare(*, category=ProcessorCategory.EMAIL, active=True) -> Processor:
    return Processor.objects.create(
        locale=Locale.objects.get(language_code="fr"),
        name="Courrielleur Nord inc.",
        category=category,
        data_received="L'adresse des destinataires et le contenu des messages.",
        purpose="Livrer les courriels du site.",
        location="Toronto (Ontario), Canada",
        active=active,
    )


def _enqueue() -> OutboxMessage:
    """A message written to the outbox (the immediate task backend tries it at once)."""
    row = message_enqueue(
        message=EmailMessage(subject="Accusé", body="Merci", to=["lea@example.org"])
    )
    row.refresh_from_db()
    return row


@pytest.mark.django_db
def test_nothing_reaches_an_undeclared_provider_and_the_message_waits_with_the_reason(provider):
    row = _enqueue()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        assert outbox_deliver_now(message_ids=[row.pk]) == {OutboxState.QUEUED: 1}

    row.refresh_from_db()
    assert mail.outbox == []
    assert row.state == OutboxState.QUEUED
    assert row.attempts == 0  # not a failed try: it will never run out of tries
    assert row.last_error == PROVIDER_NOT_DECLARED
    assert "lea" not in row.last_error
    assert row.next_attempt_at > timezone.now() + datetime.timedelta(minutes=2)
    assert row.content is not None  # nothing lost


@pytest.mark.django_db
def test_an_inactive_processor_does_not_count_an_active_one_sends_at_the_next_try(provider):
    processor_declare(active=False)
    processor_declare(category=ProcessorCategory.HOSTING)
    row = _enqueue()
    assert row.state == OutboxState.QUEUED
    assert mail.outbox == []

    processor_declare()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        assert outbox_deliver_now(message_ids=[row.pk]) == {OutboxState.SENT: 1}

    (sent,) = mail.outbox
    assert sent.to == ["lea@example.org"]
    assert hasattr(sent, "anymail_test_params")  # it went through anymail
    row.refresh_from_db()
    assert row.state == OutboxState.SENT
    assert row.last_error == ""


@pytest.mark.django_db
def test_without_a_provider_smtp_and_the_mail_folder_need_no_declaration(settings):
    settings.EMAIL_PROVIDER = ""
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    row = _enqueue()
    assert row.state == OutboxState.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_backlog_screen_says_why_nothing_leaves(client, staff_login, provider, language):
    _enqueue()
    staff_login(role=AED, language=language)
    page = client.get(reverse("outbox_admin")).content.decode()
    assert WORDS[language].replace("’", "&#x27;") in page.replace("’", "&#x27;")

    processor_declare()
    page = client.get(reverse("outbox_admin")).content.decode()
    assert 'id="outbox-held"' not in page


def test_each_provider_gets_its_own_setting_names_and_a_backend_anymail_ships():
    backend, values = anymail_settings(provider="Postmark", api_key="tok")
    assert backend == "anymail.backends.postmark.EmailBackend"
    assert values == {"POSTMARK_SERVER_TOKEN": "tok"}
    _backend, values = anymail_settings(provider="mailgun", api_key="k", sender_domain="csce.ca")
    assert values == {"MAILGUN_API_KEY": "k", "MAILGUN_SENDER_DOMAIN": "csce.ca"}
    _backend, values = anymail_settings(
        provider="amazon_ses", api_key="id", secret="s", region="ca-central-1"
    )
    assert values["AMAZON_SES_CLIENT_PARAMS"]["region_name"] == "ca-central-1"
    for name in PROVIDERS:
        assert importlib.util.find_spec(f"anymail.backends.{name}") is not None, name


def test_a_misspelt_provider_stops_the_start_rather_than_sending_another_way():
    with pytest.raises(ImproperlyConfigured, match="mailgum"):
        anymail_settings(provider="mailgum", api_key="k")
