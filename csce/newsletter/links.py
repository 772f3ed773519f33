"""The signed links of a subscription (CASL s.11: an unsubscribe that works for at least
60 days; ours works as long as the subscription exists).

A link carries the subscriber's id and a random key of the row, signed with the site's
secret and a salt of its own: never the address. Erasing or unsubscribing deletes the
row, so every link of it stops working at once. The confirmation link expires with the
pending subscription (policy NEWSLETTER_UNCONFIRMED_DAYS).
"""

from __future__ import annotations

import datetime

from django.core import signing
from django.urls import reverse
from django.utils import translation

from csce.common import policy
from csce.common.links import public_url

from .models import Subscriber

CONFIRM = "confirm"
MANAGE = "manage"
_SALT = "csce.newsletter.link"


def subscriber_token(*, subscriber: Subscriber, purpose: str) -> str:
    return signing.dumps([subscriber.pk, subscriber.link_key, purpose], salt=_SALT, compress=True)


def subscriber_from_token(token: str, *, purpose: str) -> Subscriber | None:
    """The subscriber a link was made for, or None (forged, expired, or since deleted)."""
    max_age = (
        datetime.timedelta(days=policy.NEWSLETTER_UNCONFIRMED_DAYS) if purpose == CONFIRM else None
    )
    try:
        pk, key, made_for = signing.loads(str(token)[:500], salt=_SALT, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if made_for != purpose or not isinstance(pk, int) or not isinstance(key, str):
        return None
    return Subscriber.objects.filter(pk=pk, link_key=key).first()


def subscriber_url(
    *, subscriber: Subscriber, purpose: str, language: str | None = None, token: str = ""
) -> str:
    """The absolute URL of the confirm or preferences page, in the subscriber's language
    (``token``: the subscriber's token for ``purpose`` when the caller already has it)."""
    name = "newsletter_confirm" if purpose == CONFIRM else "newsletter_manage"
    token = token or subscriber_token(subscriber=subscriber, purpose=purpose)
    with translation.override(language or subscriber.language):
        path = reverse(name, args=[token])
    return public_url(path)


def one_click_url(*, subscriber: Subscriber, token: str = "") -> str:
    """The RFC 8058 address of ``List-Unsubscribe``: a POST there unsubscribes at once
    (``token``: the subscriber's preferences token when the caller already has it)."""
    token = token or subscriber_token(subscriber=subscriber, purpose=MANAGE)
    return public_url(reverse("newsletter_one_click", args=[token]))
