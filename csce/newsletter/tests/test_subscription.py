"""The life of a subscription, with the real database (policy P3, P5, P7, M; CASL s.10,
s.11, s.13): the request and its proof of consent, the confirmation e-mail at most once an
hour, confirming, preferences, unsubscribing."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from csce.common import policy
from csce.common.registry import notice_version_in_force
from csce.common.testing import database_text_dump
from csce.newsletter import links
from csce.newsletter.consent import CONSENT_WORDING_VERSION, consent_wording
from csce.newsletter.factories import subscriber_create, topics_create
from csce.newsletter.models import (
    CampaignDelivery,
    ConsentMethod,
    ConsentRecord,
    Subscriber,
    SubscriberStatus,
    Suppression,
    SuppressionReason,
    suppression_hash,
)
from csce.newsletter.services import (
    ALREADY_SUBSCRIBED_KIND,
    CONFIRMATION_KIND,
    address_suppressed,
    network_truncate,
    subscription_confirm,
    subscription_preferences_update,
    subscription_request,
    subscription_unsubscribe,
)
from csce.outbox.models import OutboxMessage
from csce.privacy.factories import notice_page_create

pytestmark = pytest.mark.django_db

ADDRESS = "Agathe.Quenneville@example.org"


def _request(email=ADDRESS, **overrides):
    values = {
        "email": email,
        "first_name": "Agathe",
        "language": "fr",
        "topics": [],
        "method": ConsentMethod.WEB_FORM,
        "ip": "198.51.100.77",
        "page_url": "/fr/",
    }
    values.update(overrides)
    subscription_request(**values)


def _subscriber(email=ADDRESS) -> Subscriber:
    from csce.common.crypto import blind_index

    return Subscriber.objects.get(email_index=blind_index(email))


def _mails(kind=CONFIRMATION_KIND) -> int:
    return OutboxMessage.objects.filter(kind=kind).count()


def test_a_request_leaves_a_pending_subscription_and_the_proof_of_what_was_agreed(centre):
    notice_page_create(home=centre.site.root_page.specific)
    topics = topics_create()
    _request(topics=[topics[1].pk], language="en", shown_language="fr", ip="198.51.100.77")
    subscriber = _subscriber()
    assert subscriber.status == SubscriberStatus.PENDING
    assert subscriber.language == "en"
    assert list(subscriber.topics.all()) == [topics[1]]
    assert len(subscriber.link_key) >= 43
    record = subscriber.consents.get()
    # CASL s.13: the exact words shown, their version, the notice in force, how and where.
    assert record.wording_version == CONSENT_WORDING_VERSION
    assert record.wording == consent_wording(
        centre_name=centre.name, centre_email=centre.email, language="fr"
    )
    assert record.language == "fr"
    assert record.notice_version is not None
    assert record.notice_version == notice_version_in_force(language="fr")
    assert record.method == ConsentMethod.WEB_FORM
    assert record.request_network == "198.51.100.0/24"
    assert record.page_url == "/fr/"
    assert record.confirmed_at is None


def test_networks_are_truncated_never_kept_whole():
    assert network_truncate("203.0.113.200") == "203.0.113.0/24"
    assert network_truncate("2001:db8:abcd:12:1:2:3:4") == "2001:db8:abcd::/48"
    assert network_truncate("::ffff:192.0.2.9") == "192.0.2.0/24"
    assert network_truncate("not an address\x00") == ""


def test_the_address_is_stored_encrypted_and_never_in_clear(centre):
    _request()
    dump = database_text_dump()
    assert ADDRESS.lower() not in dump.lower()
    assert "Agathe" not in dump.replace("Agathe.Quenneville", "")


def test_repeated_requests_mail_one_confirmation_an_hour(centre):
    _request()
    _request()
    _request(email=ADDRESS.upper())
    assert _mails() == 1
    assert Subscriber.objects.count() == 1
    later = timezone.now() + datetime.timedelta(
        hours=policy.NEWSLETTER_CONFIRMATION_INTERVAL_HOURS, minutes=1
    )
    with time_machine.travel(later):
        _request()
    assert _mails() == 2


def test_a_confirmed_address_is_left_as_it_is_and_gets_a_notice_once_an_hour(centre):
    topics = topics_create()
    subscriber = subscriber_create(email=ADDRESS, language="en", topics=[topics[0]])
    _request(language="fr", topics=[topics[1].pk], first_name="Quelqu'un")
    _request(language="fr")
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert subscriber.language == "en"
    assert subscriber.first_name == ""
    assert list(subscriber.topics.all()) == [topics[0]]
    assert subscriber.consents.count() == 1
    assert _mails(CONFIRMATION_KIND) == 0
    assert _mails(ALREADY_SUBSCRIBED_KIND) == 1


def test_a_suppressed_address_may_ask_again_and_only_confirming_lifts_the_suppression(centre):
    subscriber = subscriber_create(email=ADDRESS)
    subscription_unsubscribe(subscriber=subscriber)
    assert address_suppressed(email=ADDRESS)
    _request()
    assert address_suppressed(email=ADDRESS), "a request alone is not a new consent"
    assert _mails() == 1
    subscription_confirm(subscriber=_subscriber(), ip="203.0.113.9")
    assert not address_suppressed(email=ADDRESS)


def test_confirming_gives_consent_once(centre):
    _request()
    subscriber = _subscriber()
    subscription_confirm(subscriber=subscriber, ip="2001:db8:1:2::9")
    assert subscriber.status == SubscriberStatus.CONFIRMED
    first = subscriber.confirmed_at
    record = subscriber.consents.get()
    assert record.confirmed_at == first
    assert record.confirmation_network == "2001:db8:1::/48"
    subscription_confirm(subscriber=subscriber, ip="198.51.100.1")
    subscriber.refresh_from_db()
    record.refresh_from_db()
    assert subscriber.confirmed_at == first
    assert record.confirmation_network == "2001:db8:1::/48"


def test_the_latest_request_is_the_one_confirmed(centre):
    _request(ip="198.51.100.1")
    _request(ip="192.0.2.1")
    subscriber = _subscriber()
    subscription_confirm(subscriber=subscriber, ip="203.0.113.1")
    older, latest = ConsentRecord.objects.filter(subscriber=subscriber).order_by("pk")
    assert older.confirmed_at is None
    assert latest.confirmed_at is not None
    assert latest.request_network == "192.0.2.0/24"


def test_preferences_change_language_and_topics_never_to_a_withdrawn_topic(centre):
    topics = topics_create()
    subscriber = subscriber_create(email=ADDRESS, topics=[topics[0]])
    topics[0].active = False
    topics[0].save()
    subscription_preferences_update(
        subscriber=subscriber, language="en", topics=[topics[0].pk, topics[1].pk]
    )
    subscriber.refresh_from_db()
    assert subscriber.language == "en"
    assert list(subscriber.topics.all()) == [topics[1]]
    subscription_preferences_update(subscriber=subscriber, language="xx", topics=[])
    subscriber.refresh_from_db()
    assert subscriber.language == "fr"
    assert not subscriber.topics.exists()


def test_unsubscribing_leaves_only_a_keyed_hash(centre):
    from csce.newsletter.factories import campaign_create

    subscriber = subscriber_create(email=ADDRESS, first_name="Agathe")
    campaign = campaign_create()
    delivery = CampaignDelivery.objects.create(
        campaign=campaign, subscriber=subscriber, language="fr"
    )
    token = links.subscriber_token(subscriber=subscriber, purpose=links.MANAGE)
    subscription_unsubscribe(subscriber=subscriber)
    assert not Subscriber.objects.exists()
    assert not ConsentRecord.objects.exists()
    delivery.refresh_from_db()
    assert delivery.subscriber is None  # the sending engine skips it
    suppression = Suppression.objects.get()
    assert suppression.reason == SuppressionReason.UNSUBSCRIBED
    assert suppression.address_hash == suppression_hash(ADDRESS.upper())
    assert links.subscriber_from_token(token, purpose=links.MANAGE) is None
    with connection.cursor() as cursor:
        for table in (
            "newsletter_subscriber",
            "newsletter_consentrecord",
            "newsletter_suppression",
        ):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed names)
            text = " ".join(str(v) for row in cursor.fetchall() for v in row).lower()
            assert ADDRESS.lower() not in text
            assert "agathe" not in text


def test_unsubscribing_twice_keeps_one_suppression(centre):
    subscription_unsubscribe(subscriber=subscriber_create(email=ADDRESS))
    subscription_unsubscribe(subscriber=subscriber_create(email=ADDRESS.lower()))
    assert Suppression.objects.count() == 1


def test_the_suppression_hash_is_not_the_subscribers_lookup_index():
    from csce.common.crypto import blind_index

    assert suppression_hash(ADDRESS) != blind_index(ADDRESS)
    assert suppression_hash(ADDRESS) == suppression_hash(f"  {ADDRESS.upper()} ")


def test_the_confirmation_arrives_in_french(centre, smtp_inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _request(language="fr")
    (message,) = smtp_inbox.wait(1)
    text = message.get_content()
    assert str(message["Subject"]).strip().startswith("Confirmez votre abonnement")
    assert centre.name in str(message["From"])
    assert centre.name in text
    assert "/fr/infolettre/confirmer/" in text
    assert "rien ne se passe" in text
    assert f"{policy.NEWSLETTER_UNCONFIRMED_DAYS}\u00a0jours" in text
    assert ADDRESS not in text


def test_the_confirmation_arrives_in_english(
    centre, smtp_inbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _request(language="en")
    (message,) = smtp_inbox.wait(1)
    text = message.get_content()
    assert str(message["Subject"]).strip().startswith("Confirm your subscription")
    assert centre.name_en in str(message["From"])
    assert "/en/newsletter/confirm/" in text
    assert "nothing happens" in text
    assert f"{policy.NEWSLETTER_UNCONFIRMED_DAYS} days" in text


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_the_same_moment_send_one_confirmation(centre):
    """Policy M: the conditional UPDATE lets one of two simultaneous requests mail."""
    import threading

    if connection.vendor != "postgresql":
        pytest.skip("row locks and parallel writers: PostgreSQL (CI runs it there)")
    barrier = threading.Barrier(4)
    failures = []

    def ask(email):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            _request(email=email)
        except Exception as error:  # reported by the assertion below
            failures.append(repr(error))
        finally:
            connections.close_all()

    subscriber_create(email="deja.en.attente@example.org", confirmed=False)
    # Two for a new address, two for a pending one: each pair mails once.
    emails = (
        ADDRESS,
        ADDRESS.lower(),
        "deja.en.attente@example.org",
        "DEJA.en.attente@example.org",
    )
    threads = [threading.Thread(target=ask, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    assert Subscriber.objects.count() == 2
    assert _mails() == 2
