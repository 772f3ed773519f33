"""The pages' indicator on the compliance view (policy C, R): pages due for review.

Red when a live page is past its yearly review, amber when one falls due within the
warning period, green otherwise. Counts only."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from csce.common import policy
from csce.common.compliance import AMBER, GREEN, RED, Indicator, Reading

from .review import pages_due_for_review


def pages_review_read(*, now: datetime.datetime) -> Reading:
    url = reverse("pages_review:due")
    label = _("Open “Pages due for review”")
    overdue = pages_due_for_review(now=now).count()
    if overdue:
        return Reading(
            RED,
            ngettext(
                "%(count)d page is past its yearly review.",
                "%(count)d pages are past their yearly review.",
                overdue,
            )
            % {"count": overdue},
            url,
            label,
        )
    soon = pages_due_for_review(now=now, within_days=policy.PAGE_REVIEW_WARNING_DAYS).count()
    if soon:
        return Reading(
            AMBER,
            ngettext(
                "%(count)d page is due for review within %(days)d days.",
                "%(count)d pages are due for review within %(days)d days.",
                soon,
            )
            % {"count": soon, "days": policy.PAGE_REVIEW_WARNING_DAYS},
            url,
            label,
        )
    return Reading(GREEN, _("Every published page was reviewed within the year."), url, label)


PAGES_REVIEW_INDICATOR = Indicator(
    key="pages_due_for_review",
    label=_("Pages due for review"),
    clauses=("C", "R"),
    read=pages_review_read,
    order=60,
)
