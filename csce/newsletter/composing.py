"""The staff side's reads and writes on a campaign before it goes out (policy P3, F).

- ``campaign_audience``: how many confirmed subscribers a campaign reaches now, per
  language (counts only: no address leaves the database, policy F);
- ``campaign_missing_languages``: the language versions still empty (both are required
  before sending: policy P2);
- ``campaign_copy``: a new draft from an earlier campaign;
- ``campaign_test_send``: the campaign to the staff member's own address, through the
  outbox (policy M), never to anyone else (CASL s.6: no message without consent).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext

from csce.common.links import public_url
from csce.outbox.services import message_enqueue

from .models import Campaign, CampaignStatus, Subscriber, SubscriberStatus
from .rendering import Recipient, campaign_message

TEST_KIND = "newsletter.test"
LANGUAGE_CODES = ("fr", "en")


@dataclass(frozen=True)
class Audience:
    total: int
    by_language: dict[str, int]


def campaign_audience(*, campaign: Campaign) -> Audience:
    """The confirmed subscribers of any of the campaign's topics, and those who chose no
    topic; every confirmed subscriber when the campaign names none. The sending engine
    also leaves out the suppressed addresses, which a confirmed subscriber never is."""
    subscribers = Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED)
    topic_ids = list(campaign.topics.values_list("pk", flat=True))
    if topic_ids:
        chose = Subscriber.topics.through.objects.filter(subscriber_id__in=subscribers.values("pk"))
        with_topic = chose.filter(topic_id__in=topic_ids).values("subscriber_id")
        without_any = subscribers.exclude(pk__in=chose.values("subscriber_id")).values("pk")
        subscribers = subscribers.filter(Q(pk__in=with_topic) | Q(pk__in=without_any))
    counts = dict(
        subscribers.order_by()
        .values_list("language")
        .annotate(n=Count("pk"))
        .values_list("language", "n")
    )
    by_language = {code: counts.get(code, 0) for code in LANGUAGE_CODES}
    return Audience(total=sum(counts.values()), by_language=by_language)


def campaign_missing_languages(*, campaign: Campaign) -> list[str]:
    """The languages whose subject or message is still empty."""
    return [
        code
        for code in LANGUAGE_CODES
        if not campaign.subject_in(code).strip() or not len(campaign.body_in(code))
    ]


def campaign_copy(*, campaign: Campaign, actor) -> Campaign:
    """A new draft with the campaign's texts and topics (its dates and deliveries stay)."""
    copy = Campaign.objects.create(
        title=gettext("Copy of %(title)s") % {"title": campaign.title},
        subject=campaign.subject,
        subject_en=campaign.subject_en,
        body=campaign.body.raw_data,
        body_en=campaign.body_en.raw_data,
        status=CampaignStatus.DRAFT,
        created_by=actor,
    )
    copy.topics.set(campaign.topics.all())
    return copy


def _placeholder(name: str, language: str) -> str:
    """A link of the subscriber's own, for a message that has no subscriber: the real
    page with a token that leads nowhere (the page says the link is not valid)."""
    try:
        with translation.override(language):
            return public_url(reverse(name, args=["apercu"]))
    except NoReverseMatch:
        return public_url(f"/{language}/")


def sample_recipient(*, email: str, language: str, first_name: str = "") -> Recipient:
    """The preview's and the test's recipient: the staff member, with placeholder links."""
    return Recipient(
        email=email,
        language=language,
        first_name=first_name,
        manage_url=_placeholder("newsletter_manage", language),
        one_click_url=_placeholder("newsletter_one_click", language),
    )


def campaign_test_send(*, campaign: Campaign, user, languages: list[str]) -> int:
    """The campaign in ``languages`` to ``user``'s own address, marked as a test; the
    number of messages queued (0 when the account has no address)."""
    address = (user.email or "").strip()
    if not address:
        return 0
    for language in languages:
        message = campaign_message(
            campaign=campaign,
            recipient=sample_recipient(
                email=address, language=language, first_name=user.first_name
            ),
            test=True,
        )
        message_enqueue(
            message=message, kind=TEST_KIND, reference=str(campaign.pk), language=language
        )
    return len(languages)
