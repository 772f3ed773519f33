"""The compliance view's "annual security audit due" indicator (policy M, R)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from csce.common import policy
from csce.common.compliance import AMBER, GREEN, RED, Indicator, Reading

from .security_audit import security_audit_next_due


def security_audit_due_read(*, now: datetime.datetime) -> Reading:
    """Red when never completed or overdue; amber within SECURITY_AUDIT_REMINDER_DAYS."""
    url = reverse("security_audits:index")
    label = gettext("Open the security audits")
    due = security_audit_next_due()
    if due is None:
        return Reading(RED, gettext("No security audit has been completed yet."), url, label)
    today = timezone.localdate(now)
    shown = formats.date_format(due, "DATE_FORMAT")
    if due < today:
        return Reading(
            RED,
            gettext("The annual security audit was due on %(date)s.") % {"date": shown},
            url,
            label,
        )
    if due <= today + datetime.timedelta(days=policy.SECURITY_AUDIT_REMINDER_DAYS):
        return Reading(
            AMBER,
            gettext("The annual security audit is due on %(date)s.") % {"date": shown},
            url,
            label,
        )
    return Reading(
        GREEN, gettext("The next security audit is due on %(date)s.") % {"date": shown}, url, label
    )


SECURITY_AUDIT_INDICATOR = Indicator(
    key="security_audit_due",
    label=_("Annual security audit"),
    clauses=("M", "R"),
    read=security_audit_due_read,
    order=80,
)
