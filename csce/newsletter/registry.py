"""What the newsletter declares in the personal-data registry (csce/common/registry.py).

Subscribers (address and first name encrypted) and their consent records are kept while
the person is subscribed (CASL s.13: the sender proves each consent); a subscription not
confirmed within NEWSLETTER_UNCONFIRMED_DAYS is deleted. After an unsubscribe or an
erasure only a keyed hash of the address remains, on the suppression list.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from csce.common import policy
from csce.common.registry import PersonalDataSource

SOURCE_KEY = "newsletter"

NEWSLETTER_SOURCE = PersonalDataSource(
    key=SOURCE_KEY,
    label=_("Newsletter subscribers"),
    purpose=_("Sending the newsletter you subscribed to, in your language."),
    retention=policy.interpolate_lazy(
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
    ),
    models=(
        "newsletter.Subscriber",
        "newsletter.ConsentRecord",
        "newsletter.Suppression",
        "newsletter.CampaignDelivery",
    ),
    retention_days=policy.NEWSLETTER_UNCONFIRMED_DAYS,
)
