"""Newsletter records for any app's tests (and the benchmark): topics, subscribers with
their consent, campaigns."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.utils import timezone

from csce.common.crypto import blind_index

from .consent import CONSENT_WORDING_VERSION, consent_wording
from .models import (
    Campaign,
    ConsentMethod,
    ConsentRecord,
    Subscriber,
    SubscriberStatus,
    Topic,
)

TOPICS = (
    ("centre", "Nouvelles du centre", "Centre news"),
    ("programs", "Programmes et ateliers", "Programs and workshops"),
)


def topics_create() -> list[Topic]:
    return [
        Topic.objects.get_or_create(key=key, defaults={"name": fr, "name_en": en, "sort_order": n})[
            0
        ]
        for n, (key, fr, en) in enumerate(TOPICS)
    ]


def subscriber_create(
    *,
    email: str,
    language: str = "fr",
    first_name: str = "",
    confirmed: bool = True,
    topics: Iterable[Topic] = (),
    requested_at=None,
) -> Subscriber:
    """A subscriber with the consent record a real subscription leaves."""
    now = requested_at or timezone.now()
    subscriber = Subscriber.objects.create(
        email=email,
        email_index=blind_index(email),
        first_name=first_name,
        language=language,
        status=SubscriberStatus.CONFIRMED if confirmed else SubscriberStatus.PENDING,
        created_at=now,
        confirmed_at=now if confirmed else None,
        link_key=secrets.token_urlsafe(32),
    )
    subscriber.topics.set(list(topics))
    ConsentRecord.objects.create(
        subscriber=subscriber,
        requested_at=now,
        confirmed_at=now if confirmed else None,
        method=ConsentMethod.WEB_FORM,
        language=language,
        wording_version=CONSENT_WORDING_VERSION,
        wording=consent_wording(
            centre_name="Centre de santé communautaire de l'Estrie",
            centre_email="info@csce.example",
            language=language,
        ),
        request_network="203.0.113.0/24",
        confirmation_network="203.0.113.0/24" if confirmed else "",
    )
    return subscriber


def campaign_create(
    *,
    title: str = "Infolettre de décembre",
    subject: str = "Nouvelles de décembre",
    subject_en: str = "December news",
    text: str = "<p>Les ateliers reprennent en janvier.</p>",
    text_en: str = "<p>Workshops start again in January.</p>",
    topics: Iterable[Topic] = (),
    created_by=None,
) -> Campaign:
    campaign = Campaign.objects.create(
        title=title,
        subject=subject,
        subject_en=subject_en,
        body=[("text", text)],
        body_en=[("text", text_en)],
        created_by=created_by,
    )
    campaign.topics.set(list(topics))
    return campaign
