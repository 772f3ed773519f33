"""What the newsletter contributes to the compliance view (csce/common/compliance.py,
policy P3, R): deliveries that failed in the campaigns started lately. Some failures
are normal (a mailbox that closed); a campaign that failed for a large share of its
subscribers points at the mail service or the sender's reputation. Counts only."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext

from csce.common import policy
from csce.common.compliance import AMBER, GREEN, RED, Indicator, Reading

from .models import Campaign, DeliveryState

WINDOW = datetime.timedelta(days=policy.COMPLIANCE_NEWSLETTER_WINDOW_DAYS)
RED_PERCENT = policy.COMPLIANCE_NEWSLETTER_FAILED_RED_PERCENT


def newsletter_failures_read(*, now: datetime.datetime) -> Reading:
    campaigns = (
        Campaign.objects.filter(started_at__gte=now - WINDOW, started_at__lte=now)
        .annotate(
            total=Count("deliveries"),
            failed=Count("deliveries", filter=Q(deliveries__state=DeliveryState.FAILED)),
        )
        .values_list("total", "failed")
    )
    rows = list(campaigns)
    failed = sum(row[1] for row in rows)
    action = {
        "action_url": reverse("newsletter_campaigns:index"),
        "action_label": gettext("Newsletter campaigns"),
    }
    values = {"count": failed, "days": WINDOW.days, "campaigns": len(rows)}
    if not failed:
        return Reading(
            GREEN,
            ngettext(
                "No delivery failed in the %(campaigns)d campaign sent in the last %(days)d days.",
                "No delivery failed in the %(campaigns)d campaigns sent in the last %(days)d days.",
                len(rows),
            )
            % values,
            **action,
        )
    heavy = sum(1 for total, lost in rows if total and lost * 100 >= RED_PERCENT * total)
    summary = (
        ngettext(
            "%(count)d newsletter delivery failed in the last %(days)d days",
            "%(count)d newsletter deliveries failed in the last %(days)d days",
            failed,
        )
        % values
    )
    if heavy:
        return Reading(
            RED,
            ngettext(
                "%(summary)s; %(heavy)d campaign lost %(percent)d%% or more of its sends.",
                "%(summary)s; %(heavy)d campaigns lost %(percent)d%% or more of their sends.",
                heavy,
            )
            % {"summary": summary, "heavy": heavy, "percent": RED_PERCENT},
            **action,
        )
    return Reading(AMBER, f"{summary}.", **action)


NEWSLETTER_FAILURES = Indicator(
    key="newsletter.failed_sends",
    label=gettext_lazy("Newsletter delivered"),
    clauses=("P3", "R"),
    read=newsletter_failures_read,
    order=80,
)
