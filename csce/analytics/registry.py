"""The analytics app's entry in the personal-data registry (policy P3, P4, M).

The raw page views are pseudonymous: the visitor hash cannot be linked to a person or
an e-mail address (its salt is destroyed daily), so there is nothing to find, export
or erase for a privacy request; they are deleted after 90 days by the retention job.
The privacy notice's "collected automatically" section is written from ``notice``.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from csce.common import policy
from csce.common.registry import NoticeEntry, PersonalDataSource

from .models import RAW_EVENT_RETENTION_DAYS, PageView
from .rollups import rollup_pending
from .salts import local_day

SOURCE_KEY = "analytics"

RETENTION = policy.interpolate_lazy(
    ngettext_lazy(
        "Each page view: %(days)s day. The daily salt: until the end of its day, then destroyed. "
        "Daily totals, which hold no visitor code, are kept.",
        "Each page view: %(days)s days. The daily salt: until the end of its day, then destroyed. "
        "Daily totals, which hold no visitor code, are kept.",
        "days",
    ),
    {"days": RAW_EVENT_RETENTION_DAYS},
)


def page_views_purge(*, now: datetime.datetime, batch_size: int) -> int:
    """Page views of days more than 90 days ago, after their day's rollup is made."""
    limit = local_day(now) - datetime.timedelta(days=RAW_EVENT_RETENTION_DAYS)
    expired = PageView.objects.filter(day__lt=limit)
    if expired.exists():
        rollup_pending(now)  # never delete a day that was not counted
    deleted = 0
    while ids := list(expired.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            deleted += PageView.objects.filter(pk__in=ids).delete()[0]
    return deleted


def page_views_oldest() -> datetime.datetime | None:
    return PageView.objects.aggregate(first=Min("occurred_at"))["first"]


def analytics_notice() -> list[NoticeEntry]:
    return [
        NoticeEntry(
            title=_("Website statistics"),
            collected=_(
                "For each page you view: the page's address (without its query, but for "
                "campaign and page-number parameters), the site you came from (its name "
                "only), your browser's family and major version, your operating system's "
                "family, the kind of device (computer, phone, tablet), the page's language, "
                "a screen-size class, and a visitor code: a keyed hash of a random salt of "
                "the day, the first part of your IP address, your browser's identification "
                "and our site. The salt is destroyed at the end of each day, so the code "
                "cannot be traced back to you, even by us, and changes every day. No cookie "
                "and no browser storage are used. Nothing is counted when your browser sends "
                "Global Privacy Control or Do Not Track, for robots, or for our staff."
            ),
            purpose=_(
                "Knowing which pages are read, in which language and on which devices, to "
                "improve the site. Only daily totals are shown, to the Assistant Executive "
                "Director and Communications."
            ),
            recipients=_(
                "Assistant Executive Director and Communications (daily totals only). No "
                "other company: the statistics are counted on our own server."
            ),
            retention=RETENTION,
            retention_days=RAW_EVENT_RETENTION_DAYS,
        )
    ]


ANALYTICS_SOURCE = PersonalDataSource(
    key=SOURCE_KEY,
    label=_("Website statistics"),
    purpose=_("Counting page views to improve the site, without identifying anyone."),
    retention=RETENTION,
    purge_expired=page_views_purge,
    oldest=page_views_oldest,
    notice=analytics_notice,
    automatic=True,
    models=("analytics.PageView", "analytics.DailySalt"),
    retention_days=RAW_EVENT_RETENTION_DAYS,
)
