"""What privacy requests contribute to the compliance view (csce/common/compliance.py,
policy P10, R): open requests past their PHIPA due date (s.54: no answer in time counts
as a refusal) read red; those within the last reminder's days of it read amber. The due
date is the extended one once extended. Counts and dates only."""

from __future__ import annotations

import datetime

from django.db.models import Min
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext

from csce.common import policy
from csce.common.compliance import AMBER, GREEN, RED, Indicator, Reading
from csce.common.typography import date_display

from .models import PrivacyRequest

# Policy P10: this close to its due date, a request reads amber.
DUE_SOON = datetime.timedelta(days=policy.COMPLIANCE_PRIVACY_DUE_SOON_DAYS)


def overdue_privacy_requests_read(*, now: datetime.datetime) -> Reading:
    open_requests = PrivacyRequest.objects.open().annotate(
        effective_due=Coalesce("extended_due_at", "due_at")
    )
    overdue = open_requests.filter(effective_due__lt=now)
    action = {
        "action_url": reverse("privacy_requests:index"),
        "action_label": gettext("Privacy requests (Privacy Officer)"),
    }
    if count := overdue.count():
        oldest = overdue.aggregate(first=Min("effective_due"))["first"]
        return Reading(
            RED,
            ngettext(
                "%(count)d privacy request is past its legal due date (the first since %(since)s).",
                "%(count)d privacy requests are past their legal due date (the first since "
                "%(since)s).",
                count,
            )
            % {"count": count, "since": date_display(oldest)},
            **action,
        )
    soon = open_requests.filter(effective_due__lt=now + DUE_SOON)
    if count := soon.count():
        return Reading(
            AMBER,
            ngettext(
                "%(count)d privacy request is due within %(days)d days.",
                "%(count)d privacy requests are due within %(days)d days.",
                count,
            )
            % {"count": count, "days": DUE_SOON.days},
            **action,
        )
    return Reading(
        GREEN,
        ngettext(
            "No privacy request is late; %(count)d is open.",
            "No privacy request is late; %(count)d are open.",
            open_requests.count(),
        )
        % {"count": open_requests.count()},
        **action,
    )


OVERDUE_PRIVACY_REQUESTS = Indicator(
    key="privacy.overdue_requests",
    label=gettext_lazy("Privacy requests answered within the legal time"),
    clauses=("P10",),
    read=overdue_privacy_requests_read,
    order=40,
)
