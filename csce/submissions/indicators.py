"""What the inquiries contribute to the compliance view (csce/common/compliance.py,
policy R: the centre responds promptly): inquiries waiting past their due time, counted
by the response-time registry's own rule (csce/submissions/engagement.py)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext

from csce.common import policy
from csce.common.compliance import GREEN, Indicator, Reading, overdue_reading

from .engagement import inquiry_overdue

# Policy R: late by more than this, an inquiry reads red.
RED_AFTER = datetime.timedelta(days=policy.COMPLIANCE_OVERDUE_RED_DAYS)


def overdue_inquiries_read(*, now: datetime.datetime) -> Reading:
    overdue = inquiry_overdue(now=now)
    # Due more than RED_AFTER ago and still unanswered: late by more than RED_AFTER.
    late = inquiry_overdue(now=now - RED_AFTER) if overdue else 0
    action = {
        "action_url": reverse("submissions_admin:index"),
        "action_label": gettext("Inboxes"),
    }
    if not overdue:
        return Reading(GREEN, gettext("No inquiry waits past its due time."), **action)
    summary = ngettext(
        "%(count)d inquiry waits past its due time",
        "%(count)d inquiries wait past their due time",
        overdue,
    ) % {"count": overdue}
    return overdue_reading(summary=summary, late=late, late_days=RED_AFTER.days, **action)


OVERDUE_INQUIRIES = Indicator(
    key="submissions.overdue_inquiries",
    label=gettext_lazy("Inquiries answered on time"),
    clauses=("R",),
    read=overdue_inquiries_read,
    order=30,
)
