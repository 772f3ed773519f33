"""The life of a subscription: request, confirmation, preferences, unsubscribe
(policy P3, P5, P7, M; CASL s.6(1)(a), s.10(1), s.11, s.13).

- ``subscription_request``: the form's answer. A pending subscription and the proof of
  what was asked (a consent record), then one e-mail with the confirmation link. Nothing
  is sent to the address but that e-mail until its owner follows the link (double opt-in,
  policy P7), and at most one of them per address and NEWSLETTER_CONFIRMATION_INTERVAL_HOURS,
  so that the form cannot be used to flood someone's mailbox (policy M).
- ``subscription_confirm``: the link's button; the consent is then given (CASL s.10(1)).
- ``subscription_preferences_update``: language and topics, from the preferences page.
- ``subscription_unsubscribe``: effective at once (CASL s.11(3) allows 10 business days;
  we take none). Only a keyed hash of the address remains, on the suppression list.

What a visitor sees never depends on whether the address was new, pending, subscribed or
suppressed: no one learns from the form who is on the list (policy P5).
"""

from __future__ import annotations

import datetime
import ipaddress
import logging
import secrets
from collections.abc import Iterable

from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from csce.common import policy
from csce.common.crypto import blind_index
from csce.common.registry import notice_version_in_force
from csce.outbox.services import message_enqueue
from csce.pages.cache import TIMEOUT, cache_key
from csce.pages.centre import centre_settings_default

from . import links
from .consent import CONSENT_WORDING_VERSION, consent_wording
from .models import (
    ConsentMethod,
    ConsentRecord,
    Subscriber,
    SubscriberStatus,
    Suppression,
    SuppressionReason,
    Topic,
    suppression_hash,
)
from .rendering import sender_address

logger = logging.getLogger(__name__)

LANGUAGE_CODES = ("fr", "en")
CONFIRMATION_KIND = "newsletter.confirmation"
ALREADY_SUBSCRIBED_KIND = "newsletter.already_subscribed"


def language_or_default(language: str | None) -> str:
    code = (language or "")[:2]
    return code if code in LANGUAGE_CODES else "fr"


def address_suppressed(*, email: str) -> bool:
    """Whether the address unsubscribed (or was erased) and has not opted in again."""
    return Suppression.objects.filter(address_hash=suppression_hash(email)).exists()


def network_truncate(address: str) -> str:
    """The network of a client address, never the address: IPv4 /24, IPv6 /48 (policy P5)."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def centre_identity(*, language: str, centre=None) -> dict[str, str]:
    """The centre's name (in ``language``) and e-mail, as the consent wording names them."""
    centre = centre or centre_settings_default()
    with translation.override(language):
        name = centre.localized_name() if centre.pk or centre.name else ""
    return {"name": name or "CSCE", "email": centre.email or ""}


def consent_wording_for(*, language: str, centre=None) -> str:
    """The consent box's label in ``language`` for this centre (CASL s.10(1))."""
    identity = centre_identity(language=language, centre=centre)
    return consent_wording(
        centre_name=identity["name"], centre_email=identity["email"], language=language
    )


def topics_offered() -> list[dict]:
    """The active topics as plain data, for every form that shows them (the page's footer,
    the page block, the standalone page): read from the cache under the site's content
    generation, recomputed when missing, so a cache that forgets costs one query and never
    shows a withdrawn topic (policy M). A topic saved or deleted starts a new generation
    (apps.py)."""
    key = cache_key("newsletter-topics")
    topics = cache.get(key)
    if topics is None:
        topics = [
            {"pk": t.pk, "fr": t.name, "en": t.name_en}
            for t in Topic.objects.filter(active=True).order_by("sort_order", "pk")
        ]
        cache.set(key, topics, TIMEOUT)
    return topics


def _topics_active(topics: Iterable) -> list[Topic]:
    """The chosen topics that are still offered (a stale form may name a withdrawn one)."""
    ids = {t.pk if isinstance(t, Topic) else int(t) for t in topics}
    return list(Topic.objects.filter(pk__in=ids, active=True)) if ids else []


def _mail_claim(subscriber: Subscriber) -> bool:
    """Take this hour's e-mail of the address, or False when one already went.

    A conditional UPDATE: of two requests at once, one changes the row and mails; the
    other finds it changed (on PostgreSQL it waits for the first to commit) and does not
    (policy M)."""
    now = timezone.now()
    since = now - datetime.timedelta(hours=policy.NEWSLETTER_CONFIRMATION_INTERVAL_HOURS)
    claimed = (
        Subscriber.objects.filter(pk=subscriber.pk)
        .filter(Q(confirmation_sent_at__isnull=True) | Q(confirmation_sent_at__lt=since))
        .update(confirmation_sent_at=now)
    )
    return bool(claimed)


def _mail_queue(*, subscriber: Subscriber, kind: str, template: str, subject: str, url: str):
    language = language_or_default(subscriber.language)
    with translation.override(language):
        identity = centre_identity(language=language)
        context = {
            "centre": identity,
            "url": url,
            "first_name": subscriber.first_name,
            "days": policy.NEWSLETTER_UNCONFIRMED_DAYS,
            "language": language,
        }
        body = render_to_string(template, context)
        subject = subject % {"centre": identity["name"]}
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=sender_address(language),
        to=[subscriber.email],
    )
    message_enqueue(message=message, kind=kind, reference=str(subscriber.pk), language=language)


def _confirmation_queue(subscriber: Subscriber) -> None:
    """CASL s.10(1): what was asked for, who asks, the link, how long it works."""
    with translation.override(language_or_default(subscriber.language)):
        subject = gettext("Confirm your subscription to the newsletter of %(centre)s")
    _mail_queue(
        subscriber=subscriber,
        kind=CONFIRMATION_KIND,
        template="newsletter/email/confirmation.txt",
        subject=subject,
        url=links.subscriber_url(subscriber=subscriber, purpose=links.CONFIRM),
    )


def _already_subscribed_queue(subscriber: Subscriber) -> None:
    with translation.override(language_or_default(subscriber.language)):
        subject = gettext("You are already subscribed to the newsletter of %(centre)s")
    _mail_queue(
        subscriber=subscriber,
        kind=ALREADY_SUBSCRIBED_KIND,
        template="newsletter/email/already_subscribed.txt",
        subject=subject,
        url=links.subscriber_url(subscriber=subscriber, purpose=links.MANAGE),
    )


def subscription_request(
    *,
    email: str,
    first_name: str = "",
    language: str,
    topics: Iterable = (),
    method: str = ConsentMethod.WEB_FORM,
    ip: str = "",
    page_url: str = "",
    shown_language: str | None = None,
) -> None:
    """A visitor asked for the newsletter (policy P7, CASL s.10(1)).

    New, pending or suppressed address: a pending subscription with the visitor's choices,
    a consent record of exactly what they were shown, and the confirmation e-mail (at most
    one per NEWSLETTER_CONFIRMATION_INTERVAL_HOURS). A suppressed address stays suppressed
    until the link is followed: only a confirmed, new opt-in lifts it (CASL s.6(1)(a)).
    Already confirmed: nothing changes; a short notice with the preferences link goes
    instead, within the same limit. ``shown_language``: the language of the page whose
    consent box was ticked (``language`` when None), so that the record holds the exact
    words the visitor read (CASL s.13). Returns nothing: the caller must answer the same in
    every case (policy P5).
    """
    email = (email or "").strip()
    index = blind_index(email)
    if not index:
        return
    language = language_or_default(language)
    shown = language_or_default(shown_language or language)
    chosen = _topics_active(topics)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email_index=index).first()
        if subscriber is None:
            try:
                with transaction.atomic():
                    subscriber = Subscriber.objects.create(
                        email=email,
                        email_index=index,
                        first_name=(first_name or "").strip(),
                        language=language,
                        link_key=secrets.token_urlsafe(32),
                    )
            except IntegrityError:
                # The same address at the same moment from another request: that row.
                subscriber = Subscriber.objects.select_for_update().get(email_index=index)
        if subscriber.is_confirmed:
            # Policy P3: a subscription changes only through its own links.
            if _mail_claim(subscriber):
                _already_subscribed_queue(subscriber)
            return
        # Pending: the latest request's choices hold until it is confirmed.
        Subscriber.objects.filter(pk=subscriber.pk).update(
            email=email, first_name=(first_name or "").strip(), language=language
        )
        subscriber.refresh_from_db()
        subscriber.topics.set(chosen)
        ConsentRecord.objects.create(
            subscriber=subscriber,
            method=method,
            language=shown,
            wording_version=CONSENT_WORDING_VERSION,
            wording=consent_wording_for(language=shown),
            notice_version=notice_version_in_force(language=shown),
            request_network=network_truncate(ip),
            page_url=(page_url or "")[:500],
        )
        if _mail_claim(subscriber):
            _confirmation_queue(subscriber)
    logger.info("Newsletter subscription requested (subscriber #%s).", subscriber.pk)


def subscription_confirm(*, subscriber: Subscriber, ip: str = "") -> Subscriber:
    """The owner of the address followed the link and pressed the button: consent is
    given (CASL s.10(1), policy P7). The latest consent record gets the moment and the
    network; a suppression of the address is lifted by this new opt-in. Idempotent."""
    now = timezone.now()
    with transaction.atomic():
        changed = Subscriber.objects.filter(
            pk=subscriber.pk, status=SubscriberStatus.PENDING
        ).update(status=SubscriberStatus.CONFIRMED, confirmed_at=now)
        if changed:
            record = subscriber.consents.order_by("-requested_at", "-pk").first()
            if record is not None:
                record.confirmed_at = now
                record.confirmation_network = network_truncate(ip)
                record.save(update_fields=["confirmed_at", "confirmation_network"])
            Suppression.objects.filter(address_hash=suppression_hash(subscriber.email)).delete()
            logger.info("Newsletter subscription confirmed (subscriber #%s).", subscriber.pk)
    subscriber.refresh_from_db()
    return subscriber


def subscription_preferences_update(
    *, subscriber: Subscriber, language: str, topics: Iterable = ()
) -> Subscriber:
    """The subscriber's language and topics (policy P3: they choose what they receive).
    No topic: everything the centre sends."""
    with transaction.atomic():
        subscriber.language = language_or_default(language)
        subscriber.save(update_fields=["language"])
        subscriber.topics.set(_topics_active(topics))
    return subscriber


def subscription_unsubscribe(
    *, subscriber: Subscriber, reason: str = SuppressionReason.UNSUBSCRIBED
):
    """Effective now (CASL s.11(3)): the address goes on the suppression list as a keyed
    hash, the subscriber and its consent records are deleted, and any delivery still
    waiting loses its subscriber, so the sending engine skips it (policy P3, P5)."""
    with transaction.atomic():
        Suppression.objects.get_or_create(
            address_hash=suppression_hash(subscriber.email), defaults={"reason": reason}
        )
        pk = subscriber.pk
        Subscriber.objects.filter(pk=pk).delete()
    logger.info("Newsletter unsubscribe (subscriber #%s).", pk)
