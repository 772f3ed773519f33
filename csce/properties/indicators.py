"""The registry's indicator on the compliance view (policy R, O): property access
reviews due. Counts and dates only."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from csce.common import policy
from csce.common.compliance import AMBER, GREEN, RED, Indicator, Reading

from .models import OnlineProperty


def access_reviews_read(*, now: datetime.datetime) -> Reading:
    """Red while any property's quarterly review is overdue (or was never scheduled);
    amber when one falls due within ``PROPERTY_REVIEW_WARNING_DAYS``; green otherwise."""
    today = timezone.localdate(now)
    soon = today + datetime.timedelta(days=policy.PROPERTY_REVIEW_WARNING_DAYS)
    properties = OnlineProperty.objects.all()
    overdue = properties.filter(next_review_due__lt=today).count()
    unscheduled = properties.filter(next_review_due__isnull=True).count()
    due_soon = properties.filter(next_review_due__gte=today, next_review_due__lte=soon).count()
    url = reverse("properties:index")
    act = gettext("Review the properties")
    if overdue or unscheduled:
        late = overdue + unscheduled
        return Reading(
            RED,
            ngettext(
                "%(count)d property's access review is overdue.",
                "%(count)d properties' access reviews are overdue.",
                late,
            )
            % {"count": late},
            url,
            act,
        )
    if due_soon:
        return Reading(
            AMBER,
            ngettext(
                "%(count)d property's access review falls due within %(days)d days.",
                "%(count)d properties' access reviews fall due within %(days)d days.",
                due_soon,
            )
            % {"count": due_soon, "days": policy.PROPERTY_REVIEW_WARNING_DAYS},
            url,
            act,
        )
    return Reading(
        GREEN,
        gettext("Every property's access review is up to date (%(count)d properties).")
        % {"count": properties.count()},
        url,
        gettext("See the properties"),
    )


ACCESS_REVIEWS = Indicator(
    key="property_access_reviews",
    label=_("Property access reviews due"),
    clauses=("O", "R", "M"),
    read=access_reviews_read,
    order=120,
)
