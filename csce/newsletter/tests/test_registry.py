"""The newsletter's declaration in the personal-data registry (policy M, P9, P10, F;
CASL s.11, s.13): what a privacy request finds, exports and erases for one address, and
what the retention check and the key rotation see."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone, translation

from csce.audit.models import AccessAction, AccessLogEntry
from csce.common import policy
from csce.common.checks import encrypted_models_registered_check, retention_within_cap_check
from csce.common.registry import personal_data_registry
from csce.common.testing import database_text_dump
from csce.newsletter.factories import campaign_create, subscriber_create, topics_create
from csce.newsletter.models import (
    CampaignDelivery,
    ConsentRecord,
    DeliveryState,
    Subscriber,
    Suppression,
    SuppressionReason,
    suppression_hash,
)
from csce.newsletter.registry import (
    NEWSLETTER_SOURCE,
    newsletter_erase,
    newsletter_export,
    newsletter_find,
    newsletter_withdraw_consent,
)

pytestmark = pytest.mark.django_db

EMAIL = "lea.gagnon@example.org"
FIRST_NAME = "Léa"


def _subscribed(**overrides) -> Subscriber:
    topics = topics_create()
    return subscriber_create(email=EMAIL, first_name=FIRST_NAME, topics=topics[1:], **overrides)


def test_the_newsletter_is_a_registered_source_with_every_right():
    source = personal_data_registry.get("newsletter")
    assert source is NEWSLETTER_SOURCE
    for part in ("find", "export", "erase", "withdraw_consent", "purge_expired", "oldest"):
        assert getattr(source, part) is not None, part
    # No inbox: giving a staff group to someone never depends on the subscribers.
    assert source.group_receives is None


def test_a_search_finds_the_subscription_its_consent_and_no_value_of_the_person():
    subscriber = _subscribed()
    subscriber_create(email="quelquun.dautre@example.org")
    with translation.override("fr"):
        found = newsletter_find(email="  LEA.Gagnon@example.org ")
    kinds = [record.object_type for record in found]
    assert kinds == ["newsletter.subscriber", "newsletter.consentrecord"]
    assert found[0].object_id == str(subscriber.pk)
    for record in found:
        assert EMAIL not in record.summary
        assert FIRST_NAME not in record.summary
    assert found[0].summary == "Infolettre (Abonnement confirmé)"


def test_an_unknown_address_finds_nothing():
    _subscribed()
    assert newsletter_find(email="personne@example.org") == []
    assert newsletter_find(email="") == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_export_gives_the_person_their_values_and_the_proof_of_each_consent(language):
    subscriber = _subscribed(language=language)
    campaign = campaign_create(subject="Nouvelles de janvier", subject_en="January news")
    CampaignDelivery.objects.create(
        campaign=campaign,
        subscriber=subscriber,
        language=language,
        state=DeliveryState.SENT,
        sent_at=timezone.now(),
    )
    unsent = campaign_create(title="Pas encore", subject="Pas encore", subject_en="Not yet")
    CampaignDelivery.objects.create(campaign=unsent, subscriber=subscriber, language=language)
    consent = ConsentRecord.objects.get(subscriber=subscriber)
    consent.notice_version = 3
    consent.save()

    [record] = newsletter_export(email=EMAIL, actor=None, language=language)

    assert record["email"] == EMAIL
    assert record["first_name"] == FIRST_NAME
    topic = {"fr": "Programmes et ateliers", "en": "Programs and workshops"}[language]
    assert record["topics"] == [topic]
    assert record["status"] == {"fr": "Abonnement confirmé", "en": "Subscribed"}[language]
    assert record["confirmed_at"] is not None
    [proof] = record["consents"]
    assert proof["wording_version"] == consent.wording_version
    assert proof["wording"] == consent.wording
    assert "newsletter" in proof["wording"] or "infolettre" in proof["wording"]
    assert proof["privacy_notice_version"] == 3
    assert proof["request_network"] == "203.0.113.0/24"
    assert proof["confirmation_network"] == "203.0.113.0/24"
    assert (
        proof["method"]
        == {
            "fr": "Formulaire d'abonnement du site, confirmé par courriel",
            "en": "Subscription form on the website, confirmed by e-mail",
        }[language]
    )
    subject = {"fr": "Nouvelles de janvier", "en": "January news"}[language]
    assert [c["subject"] for c in record["campaigns_received"]] == [subject]
    entry = AccessLogEntry.objects.filter(action=AccessAction.PERSONAL_DATA_EXPORTED).get()
    assert entry.object_type == "newsletter.subscriber"
    assert entry.object_id == str(subscriber.pk)
    assert EMAIL not in str(entry.details)


def test_erasure_deletes_the_subscription_and_keeps_only_the_keyed_hash():
    subscriber = _subscribed()
    campaign = campaign_create()
    CampaignDelivery.objects.create(campaign=campaign, subscriber=subscriber, language="fr")

    assert newsletter_erase(email=EMAIL, actor=None) == 1

    assert not Subscriber.objects.exists()
    assert not ConsentRecord.objects.exists()
    suppression = Suppression.objects.get()
    assert suppression.reason == SuppressionReason.ERASED
    assert suppression.address_hash == suppression_hash(EMAIL.upper())
    # The delivery row stays for the campaign's counts, tied to no one.
    assert CampaignDelivery.objects.get().subscriber is None
    dump = database_text_dump()
    assert EMAIL not in dump
    assert FIRST_NAME not in dump
    entry = AccessLogEntry.objects.filter(action=AccessAction.PERSONAL_DATA_DELETED).get()
    assert entry.object_id == str(subscriber.pk)
    assert entry.details == {"reason": "privacy_request", "consent_records": 1}
    # What remains is said: the address is on the list of addresses never to write to.
    assert [r.object_type for r in newsletter_find(email=EMAIL)] == ["newsletter.suppression"]
    [kept] = newsletter_export(email=EMAIL, language="fr")
    assert kept["reason"] == "Effacement sur demande"
    # A second erasure finds nothing to erase and changes nothing.
    assert newsletter_erase(email=EMAIL, actor=None) == 0
    assert Suppression.objects.count() == 1


def test_erasure_of_an_address_never_subscribed_creates_nothing():
    assert newsletter_erase(email=EMAIL, actor=None) == 0
    assert not Suppression.objects.exists()


def test_withdrawal_unsubscribes_at_once():
    _subscribed()
    assert newsletter_withdraw_consent(email=EMAIL, actor=None) == 1
    assert not Subscriber.objects.exists()
    assert Suppression.objects.get().reason == SuppressionReason.WITHDRAWN
    assert newsletter_withdraw_consent(email=EMAIL, actor=None) == 0


def test_an_earlier_unsubscribe_keeps_its_reason_and_date_on_erasure():
    _subscribed()
    earlier = Suppression.objects.create(
        address_hash=suppression_hash(EMAIL), reason=SuppressionReason.UNSUBSCRIBED
    )
    # A stale subscriber row with the same address (should never happen) still goes.
    assert newsletter_erase(email=EMAIL, actor=None) == 1
    assert Suppression.objects.get().pk == earlier.pk
    assert Suppression.objects.get().reason == SuppressionReason.UNSUBSCRIBED


def test_the_retention_check_accepts_the_newsletter_only_with_its_law():
    """Policy M: subscriptions outlive the 90-day cap because CASL s.13 says so."""
    assert NEWSLETTER_SOURCE.retention_days > policy.RETENTION_CAP_DAYS
    assert "CASL s.13" in NEWSLETTER_SOURCE.legal_hold
    assert retention_within_cap_check(sources=[NEWSLETTER_SOURCE], configured={}) == []
    from dataclasses import replace

    without_law = replace(NEWSLETTER_SOURCE, legal_hold="")
    errors = retention_within_cap_check(sources=[without_law], configured={})
    assert [e.id for e in errors] == ["common.E002"]


def test_every_newsletter_model_with_encrypted_values_is_declared():
    from django.apps import apps

    models = [apps.get_model("newsletter", name) for name in ("Subscriber", "ConsentRecord")]
    errors = encrypted_models_registered_check(sources=[NEWSLETTER_SOURCE], encrypted_models=models)
    assert errors == []


OLD = "newsletter-rotation-old-0123456789abcdefghijklmnopqrstuv"
NEW = "newsletter-rotation-new-0123456789abcdefghijklmnopqrstuv"


def _raw(pk: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT email, first_name FROM newsletter_subscriber WHERE id = %s", [pk])
        return cursor.fetchone()


def test_key_rotation_re_encrypts_the_subscribers_address_and_first_name():
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
        subscriber = _subscribed()
        before = _raw(subscriber.pk)
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD]):
        out = io.StringIO()
        call_command("rotate_field_key", stdout=out)
        assert "newsletter.Subscriber.email: 1" in out.getvalue()
        assert "newsletter.Subscriber.first_name: 1" in out.getvalue()
    after = _raw(subscriber.pk)
    assert after[0] != before[0]
    assert after[1] != before[1]
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
        again = Subscriber.objects.get(pk=subscriber.pk)
        assert (again.email, again.first_name) == (EMAIL, FIRST_NAME)
