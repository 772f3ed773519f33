"""What the retention job contributes to the compliance view (csce/common/compliance.py,
policy M: collected data is deleted on time): when the daily job last finished, and
whether any store of the personal-data registry holds a record past its own retention.
Store names, counts and ages only, never a record."""

from __future__ import annotations

import datetime
import math

from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext

from csce.common import policy
from csce.common.compliance import AMBER, GREEN, RED, Indicator, Reading
from csce.common.registry import personal_data_registry
from csce.common.typography import datetime_display

from .selectors import purge_last_run

LATE_HOURS, MISSED_HOURS = policy.COMPLIANCE_RETENTION_RUN_HOURS
# Policy M: the daily job may not have passed yet since a record's last day.
GRACE = datetime.timedelta(days=policy.COMPLIANCE_RETENTION_GRACE_DAYS)


def _action() -> dict:
    # The retention panel is on the dashboard (csce/retention/wagtail_hooks.py).
    return {
        "action_url": reverse("wagtailadmin_home"),
        "action_label": gettext("Retention panel on the dashboard"),
    }


def retention_run_read(*, now: datetime.datetime) -> Reading:
    run = purge_last_run()
    if run is None:
        return Reading(RED, gettext("The retention job has never run."), **_action())
    age = now - run.finished_at
    values = {"when": datetime_display(run.finished_at)}
    if age > datetime.timedelta(hours=MISSED_HOURS):
        return Reading(
            RED,
            gettext("The retention job last ran on %(when)s: it has missed its daily runs.")
            % values,
            **_action(),
        )
    if age > datetime.timedelta(hours=LATE_HOURS):
        return Reading(
            AMBER,
            gettext("The retention job last ran on %(when)s: a daily run was missed.") % values,
            **_action(),
        )
    if run.errors:
        return Reading(
            AMBER,
            ngettext(
                "The retention job last ran on %(when)s, but %(count)d store failed.",
                "The retention job last ran on %(when)s, but %(count)d stores failed.",
                len(run.errors),
            )
            % {**values, "count": len(run.errors)},
            **_action(),
        )
    return Reading(GREEN, gettext("The retention job last ran on %(when)s.") % values, **_action())


def retention_overdue_read(*, now: datetime.datetime) -> Reading:
    """Red: a store whose oldest record is older than its declared retention (plus a day
    for the daily job); stores that keep a record while a person stays subscribed, or
    that declare no retention, have no age to pass."""
    past: list[tuple[str, int]] = []
    for source in personal_data_registry:
        days = source.retention_days
        if source.oldest is None or days is None or math.isinf(days):
            continue
        oldest = source.oldest()
        if oldest is None:
            continue
        overdue = now - oldest - datetime.timedelta(days=days)
        if overdue > GRACE:
            past.append((str(source.label), overdue.days))
    if not past:
        return Reading(
            GREEN, gettext("No store holds a personal record past its retention."), **_action()
        )
    past.sort(key=lambda item: -item[1])
    return Reading(
        RED,
        ngettext(
            "%(count)d store holds personal records past their retention (%(stores)s); the "
            "oldest by %(days)d days.",
            "%(count)d stores hold personal records past their retention (%(stores)s); the "
            "oldest by %(days)d days.",
            len(past),
        )
        % {
            "count": len(past),
            "stores": ", ".join(label for label, _days in past),
            "days": past[0][1],
        },
        **_action(),
    )


RETENTION_RUN = Indicator(
    key="retention.last_run",
    label=gettext_lazy("Retention job run every day"),
    clauses=("M",),
    read=retention_run_read,
    order=60,
)
RETENTION_OVERDUE = Indicator(
    key="retention.oldest_record",
    label=gettext_lazy("No personal record kept past its retention"),
    clauses=("M",),
    read=retention_overdue_read,
    order=61,
)
INDICATORS = (RETENTION_RUN, RETENTION_OVERDUE)
