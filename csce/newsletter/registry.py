"""What the newsletter declares in the personal-data registry (csce/common/registry.py).

Subscribers (address and first name encrypted) and their consent records are kept while
the person is subscribed (CASL s.13: the sender proves each consent); a subscription not
confirmed within NEWSLETTER_UNCONFIRMED_DAYS is deleted (``retention.py``). After an
unsubscribe, a withdrawal or an erasure only a keyed hash of the address remains, on the
suppression list (CASL s.11).

The privacy app drives these functions for a verified address (policy P9, P10): ``find``
lists what is held, ``export`` gives the person every value with the proof of their
consent, ``erase`` and ``withdraw_consent`` end the subscription. Each export and each
deletion is a line of the access log (policy F), with ids only.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Min
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common import policy
from csce.common.crypto import blind_index
from csce.common.registry import (
    AffectedContact,
    NoticeEntry,
    PersonalDataSource,
    PersonalRecord,
    ScopeResolution,
    ScopeTarget,
    scope_language,
    scope_period,
)

from .models import (
    CampaignDelivery,
    DeliveryState,
    Subscriber,
    Suppression,
    SuppressionReason,
    suppression_hash,
)
from .retention import subscriptions_unconfirmed_purge

SOURCE_KEY = "newsletter"
SUBSCRIBER_TYPE = "newsletter.subscriber"
CONSENT_TYPE = "newsletter.consentrecord"
SUPPRESSION_TYPE = "newsletter.suppression"


def _subscriber(email: str) -> Subscriber | None:
    index = blind_index(email)
    if not index:
        return None
    return Subscriber.objects.filter(email_index=index).first()


def _suppression(email: str) -> Suppression | None:
    address_hash = suppression_hash(email)
    if not address_hash:
        return None
    return Suppression.objects.filter(address_hash=address_hash).first()


def newsletter_find(*, email: str) -> list[PersonalRecord]:
    """The subscription, each of its consent records, and the suppression list's row;
    the summaries say what each is, never a value of the person."""
    found = []
    subscriber = _subscriber(email)
    if subscriber is not None:
        found.append(
            PersonalRecord(
                source=SOURCE_KEY,
                object_type=SUBSCRIBER_TYPE,
                object_id=str(subscriber.pk),
                created_at=subscriber.created_at,
                summary=gettext("Newsletter (%(status)s)")
                % {"status": subscriber.get_status_display()},
            )
        )
        found.extend(
            PersonalRecord(
                source=SOURCE_KEY,
                object_type=CONSENT_TYPE,
                object_id=str(consent.pk),
                created_at=consent.requested_at,
                summary=gettext("Proof of consent (wording version %(version)s)")
                % {"version": consent.wording_version},
            )
            for consent in subscriber.consents.all()
        )
    suppression = _suppression(email)
    if suppression is not None:
        found.append(
            PersonalRecord(
                source=SOURCE_KEY,
                object_type=SUPPRESSION_TYPE,
                object_id=str(suppression.pk),
                created_at=suppression.created_at,
                summary=gettext("On the list of addresses never to write to (%(reason)s)")
                % {"reason": suppression.get_reason_display()},
            )
        )
    return found


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _subscription_export(subscriber: Subscriber, *, language: str) -> dict:
    languages = {"fr": gettext("French"), "en": gettext("English")}
    sent = (
        CampaignDelivery.objects.filter(subscriber=subscriber, state=DeliveryState.SENT)
        .select_related("campaign")
        .order_by("sent_at", "pk")
    )
    return {
        "email": subscriber.email,
        "first_name": subscriber.first_name,
        "language": languages.get(subscriber.language, subscriber.language),
        "topics": [topic.label(language) for topic in subscriber.topics.all()],
        "status": subscriber.get_status_display(),
        "requested_at": _iso(subscriber.created_at),
        "confirmed_at": _iso(subscriber.confirmed_at),
        # CASL s.13: the proof of each consent, as it was given.
        "consents": [
            {
                "requested_at": _iso(consent.requested_at),
                "confirmed_at": _iso(consent.confirmed_at),
                "method": consent.get_method_display(),
                "language": languages.get(consent.language, consent.language),
                "wording_version": consent.wording_version,
                "wording": consent.wording,
                "privacy_notice_version": consent.notice_version,
                "request_network": consent.request_network,
                "confirmation_network": consent.confirmation_network,
                "page": consent.page_url,
            }
            for consent in subscriber.consents.all()
        ],
        "campaigns_received": [
            {
                "subject": delivery.campaign.subject_in(delivery.language),
                "sent": _iso(delivery.sent_at),
            }
            for delivery in sent
        ],
    }


def newsletter_export(*, email: str, actor=None, language: str = "fr") -> list[dict]:
    """The person's subscription in plain values, with every consent record and the
    campaigns sent to them; and whether their address is on the suppression list."""
    exported = []
    with translation.override(language):
        subscriber = _subscriber(email)
        if subscriber is not None:
            exported.append(_subscription_export(subscriber, language=language))
            access_log_record(
                action=AccessAction.PERSONAL_DATA_EXPORTED,
                actor=actor,
                object_type=SUBSCRIBER_TYPE,
                object_id=subscriber.pk,
                details={"reason": "privacy_request"},
            )
        suppression = _suppression(email)
        if suppression is not None:
            exported.append(
                {
                    "suppression_list": gettext(
                        "Your address is kept only as a coded fingerprint, so that we never "
                        "write to it again without your new consent."
                    ),
                    "since": _iso(suppression.created_at),
                    "reason": suppression.get_reason_display(),
                }
            )
    return exported


def _subscription_end(*, email: str, reason: str, actor, log_reason: str) -> int:
    """Delete the subscription (its consent records go with it) and keep the address's
    keyed hash on the suppression list. 1 when a subscription ended, else 0."""
    index = blind_index(email)
    address_hash = suppression_hash(email)
    if not index or not address_hash:
        return 0
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email_index=index).first()
        if subscriber is None:
            return 0
        subscriber_id = subscriber.pk
        consents = subscriber.consents.count()
        # CASL s.11: an unsubscribe (an erasure, a withdrawal) must keep holding. Without
        # any trace of the address, a later import, a form option or a mistaken
        # re-subscription could mail it again; a keyed hash (BLIND_INDEX_KEY, kept apart
        # from the database) lets us refuse the address without keeping the address
        # itself. It is dropped only by a new, confirmed opt-in.
        Suppression.objects.get_or_create(address_hash=address_hash, defaults={"reason": reason})
        subscriber.delete()
        access_log_record(
            action=AccessAction.PERSONAL_DATA_DELETED,
            actor=actor,
            object_type=SUBSCRIBER_TYPE,
            object_id=subscriber_id,
            details={"reason": log_reason, "consent_records": consents},
        )
    return 1


def newsletter_erase(*, email: str, actor=None) -> int:
    """Erasure (policy P10): the subscription and its consent records are deleted; the
    address stays on the suppression list, as a keyed hash only. Returns 1 or 0."""
    return _subscription_end(
        email=email, reason=SuppressionReason.ERASED, actor=actor, log_reason="privacy_request"
    )


def newsletter_withdraw_consent(*, email: str, actor=None) -> int:
    """Withdrawal of consent (policy P9, CASL s.11): an unsubscribe, at once. Returns the
    subscriptions ended (1 or 0)."""
    return _subscription_end(
        email=email,
        reason=SuppressionReason.WITHDRAWN,
        actor=actor,
        log_reason="consent_withdrawn",
    )


def newsletter_oldest():
    # The suppression list holds no address, only keyed hashes kept on purpose: the
    # oldest personal record is the oldest subscription.
    return Subscriber.objects.aggregate(oldest=Min("created_at"))["oldest"]


RETENTION = policy.interpolate_lazy(
    ngettext_lazy(
        "While you are subscribed; a subscription not confirmed within %(days)s day is "
        "deleted. After you unsubscribe, only a coded fingerprint of your address is "
        "kept, so that it is never added again without your new consent.",
        "While you are subscribed; a subscription not confirmed within %(days)s days is "
        "deleted. After you unsubscribe, only a coded fingerprint of your address is "
        "kept, so that it is never added again without your new consent.",
        "days",
    ),
    {"days": policy.NEWSLETTER_UNCONFIRMED_DAYS},
)


def newsletter_notice() -> list[NoticeEntry]:
    """The newsletter's line of the privacy notice (policy P3)."""
    return [
        NoticeEntry(
            title=_("Newsletter"),
            collected=_(
                "Your e-mail address, your first name if you give it, your language and the "
                "topics you choose; the proof of your consent: when you asked and confirmed, "
                "the words you agreed to and their version, the version of this notice, the "
                "page, and the first part of the IP address of the request and of the "
                "confirmation."
            ),
            purpose=_(
                "Sending you the newsletter you asked for, in your language, on the topics "
                "you chose, and proving your consent as the law requires."
            ),
            recipients=_(
                "Communications staff, who write and send it. No other company: the "
                "newsletter is sent from our own server."
            ),
            retention=RETENTION,
        )
    ]


# --- a breach's scope (policy P8; PHIPA s.12(2)) -----------------------------------------

SCOPE_TARGET = "subscribers"
# A breach may touch the whole list: decrypted this many rows at a time.
SCOPE_CHUNK = 500


def newsletter_scope_targets() -> list[ScopeTarget]:
    return [ScopeTarget(key=SCOPE_TARGET, label=_("The subscriber list"))]


def newsletter_scope_resolve(
    *, targets: list[str], starts_on: datetime.date, ends_on: datetime.date
) -> ScopeResolution:
    """The subscriptions requested in the range (the centre's days, inclusive), waiting
    for confirmation or confirmed: each address with its first name and language.

    Nothing of a subscription that ended remains but a keyed hash of its address (CASL
    s.11), without its date of request, and an unconfirmed one is deleted whole: those
    already gone are counted as an upper bound, the unsubscribes since the period began."""
    if SCOPE_TARGET not in targets:
        return ScopeResolution()
    start, after = scope_period(starts_on=starts_on, ends_on=ends_on)
    subscribers = (
        Subscriber.objects.filter(created_at__gte=start, created_at__lt=after)
        .only("pk", "email", "first_name", "language", "created_at")
        .order_by("pk")
    )
    contacts = [
        AffectedContact(
            email=subscriber.email,
            name=subscriber.first_name,
            language=scope_language(subscriber.language),
            object_type=SUBSCRIBER_TYPE,
            object_id=str(subscriber.pk),
            created_at=subscriber.created_at,
        )
        for subscriber in subscribers.iterator(chunk_size=SCOPE_CHUNK)
    ]
    ended = Suppression.objects.filter(created_at__gte=start).count()
    note = format_lazy(
        "{} {}",
        policy.interpolate_lazy(
            ngettext_lazy(
                "An upper bound: %(count)s address was unsubscribed since the period began, "
                "perhaps after subscribing before it.",
                "An upper bound: %(count)s addresses were unsubscribed since the period began, "
                "some perhaps after subscribing before it.",
                "count",
            ),
            {"count": ended},
        ),
        policy.interpolate_lazy(
            _(
                "An unsubscribed address is kept only as a keyed hash and cannot be notified; "
                "a subscription not confirmed within %(days)s days is deleted and cannot be "
                "counted."
            ),
            {"days": policy.NEWSLETTER_UNCONFIRMED_DAYS},
        ),
    )
    # Every subscription has its address: none is held without one.
    return ScopeResolution(contacts=contacts, purged=ended, purged_note=note)


NEWSLETTER_SOURCE = PersonalDataSource(
    key=SOURCE_KEY,
    label=_("Newsletter subscribers"),
    purpose=_("Sending the newsletter you subscribed to, in your language."),
    retention=RETENTION,
    find=newsletter_find,
    export=newsletter_export,
    erase=newsletter_erase,
    purge_expired=subscriptions_unconfirmed_purge,
    oldest=newsletter_oldest,
    notice=newsletter_notice,
    withdraw_consent=newsletter_withdraw_consent,
    scope_targets=newsletter_scope_targets,
    scope_resolve=newsletter_scope_resolve,
    # The address and first name are model fields (EncryptedTextField): the key rotation
    # (csce/common/rotation.py) re-encrypts every such column, so no rotate_keys here.
    # No inbox receives subscribers: group_receives stays None.
    models=(
        "newsletter.Subscriber",
        "newsletter.ConsentRecord",
        "newsletter.Suppression",
        "newsletter.CampaignDelivery",
    ),
    # A confirmed subscription has no fixed end: it lasts while the person is subscribed,
    # beyond policy M's cap, because the law puts the proof of consent on the sender.
    retention_days=policy.WHILE_SUBSCRIBED_DAYS,
    legal_hold=(
        "CASL s.13 (the sender proves consent for as long as it sends) and s.11 (an "
        "unsubscribe must keep holding)"
    ),
)
