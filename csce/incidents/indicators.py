"""What the incident register contributes to the compliance view
(csce/common/compliance.py, policy R, P8): open incidents, with a privacy breach that
must be reported to the IPC (O. Reg. 329/04 s.6.3) and is not yet reported in red; and
the IPC's yearly statistics (s.6.4, csce/incidents/statistics.py), amber from the
reminder's date and red once the due date has passed. References are not shown: counts
and dates only."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.db.models import Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from csce.common.compliance import AMBER, GREEN, RED, Indicator, Reading
from csce.common.typography import date_display

from .models import Incident
from .statistics import ipc_reminder


def _ipc_unreported() -> int:
    """Breaches whose IPC checklist says the IPC must be told, and it was not; closed ones
    too: closing does not report them."""
    assessed = (
        Incident.objects.breaches()
        .filter(ipc_assessed_at__isnull=False, ipc_notified_at__isnull=True)
        .values_list("ipc_situations", flat=True)
    )
    return sum(1 for situations in assessed if situations)


def open_incidents_read(*, now: datetime.datetime) -> Reading:
    action = {"action_url": reverse("incidents:index"), "action_label": gettext("Incidents")}
    if unreported := _ipc_unreported():
        return Reading(
            RED,
            ngettext(
                "%(count)d privacy breach must be reported to the Information and Privacy "
                "Commissioner and is not yet.",
                "%(count)d privacy breaches must be reported to the Information and Privacy "
                "Commissioner and are not yet.",
                unreported,
            )
            % {"count": unreported},
            **action,
        )
    open_incidents = Incident.objects.open()
    if count := open_incidents.count():
        oldest = open_incidents.aggregate(first=Min("reported_at"))["first"]
        breaches = open_incidents.breaches().count()
        return Reading(
            AMBER,
            ngettext(
                "%(count)d incident is open (%(breaches)d privacy breaches), the first "
                "reported on %(since)s.",
                "%(count)d incidents are open (%(breaches)d privacy breaches), the first "
                "reported on %(since)s.",
                count,
            )
            % {"count": count, "breaches": breaches, "since": date_display(oldest)},
            **action,
        )
    return Reading(GREEN, gettext("No incident is open."), **action)


def ipc_report_read(*, now: datetime.datetime) -> Reading:
    today = timezone.localdate(now)
    reminder = ipc_reminder(today=today)
    if reminder is None:
        return Reading(
            GREEN,
            gettext("No yearly statistics are due to the IPC now."),
            reverse("incidents:ipc_statistics"),
            gettext("Yearly statistics for the IPC"),
        )
    values = {"year": reminder.year, "due": date_display(reminder.due)}
    url = f"{reverse('incidents:ipc_statistics')}?{urlencode({'year': reminder.year})}"
    if reminder.late:
        summary = gettext(
            "The statistics for %(year)s were due to the IPC on %(due)s and are not marked "
            "as submitted."
        )
    else:
        summary = gettext("The statistics for %(year)s are due to the IPC by %(due)s.")
    return Reading(
        RED if reminder.late else AMBER,
        summary % values,
        url,
        gettext("Yearly statistics for the IPC"),
    )


OPEN_INCIDENTS = Indicator(
    key="incidents.open",
    label=gettext_lazy("Incidents handled and breaches reported"),
    clauses=("P8", "R", "X"),
    read=open_incidents_read,
    order=50,
)
IPC_REPORT = Indicator(
    key="incidents.ipc_report",
    label=gettext_lazy("Yearly statistics given to the IPC"),
    clauses=("P8",),
    read=ipc_report_read,
    order=55,
)
INDICATORS = (OPEN_INCIDENTS, IPC_REPORT)
