"""What moderation contributes to the compliance view (csce/common/compliance.py, policy
U, R: comments and reports of a concern are answered promptly): the items waiting past
their due moment, counted by the response-time registry's rules
(csce/moderation/engagement.py)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext

from csce.common import policy
from csce.common.compliance import GREEN, Indicator, Reading, overdue_reading

from .engagement import comment_overdue, report_overdue

# Policy R: late by more than this, a comment or a report reads red.
RED_AFTER = datetime.timedelta(days=policy.COMPLIANCE_OVERDUE_RED_DAYS)


def _overdue(*, now: datetime.datetime) -> tuple[int, int]:
    return comment_overdue(now=now), report_overdue(now=now)


def moderation_overdue_read(*, now: datetime.datetime) -> Reading:
    comments, reports = _overdue(now=now)
    action = {
        "action_url": reverse("moderation_admin:queue"),
        "action_label": gettext("Moderation queue"),
    }
    if not comments and not reports:
        return Reading(
            GREEN, gettext("No comment or report of a concern waits past its due time."), **action
        )
    late_comments, late_reports = _overdue(now=now - RED_AFTER)
    late = late_comments + late_reports
    summary = gettext("Waiting past their due time: %(comments)s and %(reports)s") % {
        "comments": ngettext("%(count)d comment", "%(count)d comments", comments)
        % {"count": comments},
        "reports": ngettext(
            "%(count)d report of a concern", "%(count)d reports of a concern", reports
        )
        % {"count": reports},
    }
    return overdue_reading(summary=summary, late=late, late_days=RED_AFTER.days, **action)


MODERATION_OVERDUE = Indicator(
    key="moderation.overdue",
    label=gettext_lazy("Comments and reports of a concern moderated on time"),
    clauses=("U", "R"),
    read=moderation_overdue_read,
    order=70,
)
