"""The yearly statistics for the Information and Privacy Commissioner (O. Reg. 329/04
s.6.4): by March 1, the previous calendar year's number of times personal health
information was stolen, lost, used without authority and disclosed without authority.

Counts only (policy F, P4): what is counted is a privacy breach that involved health
information and that the officer put in one of the four PHIPA categories, in the calendar
year of its detection in the centre's time zone. Marking the year submitted keeps the
counts as given to the IPC and writes an access-log entry (codes and numbers only); the
compliance views remind from ``policy.IPC_ANNUAL_REMINDER_FROM`` until it is marked.
"""

from __future__ import annotations

import csv
import datetime
import io
from contextlib import nullcontext
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext, override

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common import policy
from csce.common.spreadsheet import spreadsheet_text

from .models import Incident, IncidentKind, IpcAnnualReport, PhipaCategory

OBJECT_TYPE = "incidents.ipcannualreport"
# The regulation's order: stolen, lost, used without authority, disclosed without authority.
CATEGORIES = list(PhipaCategory.values)
# Input sanity, not law: the centre kept no register before; an earlier year is a typo.
FIRST_YEAR = 2000


class StatisticsError(ValueError):
    """A year that cannot be reported or marked, said in the staff member's language."""


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """January 1 at midnight of ``year`` and of the next, in the centre's time zone
    (settings.TIME_ZONE): a breach detected on December 31 at 23:30 in Toronto counts in
    that year although it is already January 1 in UTC."""
    zone = timezone.get_default_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def counted_incidents(*, year: int):
    """The breaches the year's counts are made of: health information involved, a PHIPA
    category given, detected during the calendar year."""
    start, end = _year_bounds(year)
    return (
        Incident.objects.filter(
            kind=IncidentKind.PRIVACY_BREACH,
            health_information=True,
            phipa_category__in=CATEGORIES,
            detected_at__gte=start,
            detected_at__lt=end,
        )
        .only("pk", "reference", "detected_at", "phipa_category")
        .order_by("detected_at", "pk")
    )


def ipc_annual_counts(*, year: int) -> dict[str, int]:
    """{category: count} for the four categories, in the regulation's order, 0 for none."""
    rows = counted_incidents(year=year).order_by().values("phipa_category").annotate(n=Count("pk"))
    found = {row["phipa_category"]: row["n"] for row in rows}
    return {category: found.get(category, 0) for category in CATEGORIES}


def ipc_report_rows(*, year: int) -> list[tuple[str, str, int]]:
    """(code, label in the active language, count) per category."""
    counts = ipc_annual_counts(year=year)
    return [(code, str(PhipaCategory(code).label), counts[code]) for code in CATEGORIES]


def ipc_report_csv(*, year: int, language: str | None = None) -> str:
    """The year's counts as CSV: a header row, then one row per category with its stable
    code, its label (``language``, or the active one) and its count. Labels are made text
    for spreadsheets (csce/common/spreadsheet.py)."""
    with override(language) if language else nullcontext():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([gettext("Code"), gettext("Category"), gettext("Count")])
        for code, label, count in ipc_report_rows(year=year):
            writer.writerow([code, spreadsheet_text(label), count])
        return buffer.getvalue()


def ipc_report_due_date(*, year: int) -> datetime.date:
    """O. Reg. 329/04 s.6.4: March 1 of the following year."""
    month, day = policy.IPC_ANNUAL_REPORT_DUE
    return datetime.date(year + 1, month, day)


def year_reportable(*, year: int, today: datetime.date) -> bool:
    """Whether ``year`` is over, so that its counts are final and may be submitted."""
    return FIRST_YEAR <= year < today.year


def ipc_report_mark_submitted(*, year: int, actor, now: datetime.datetime | None = None):
    """Record that ``year``'s counts were given to the IPC, with the counts as they are
    now; once per year. The access log gets the year and the counts (no personal value)."""
    now = now or timezone.now()
    if not year_reportable(year=year, today=timezone.localdate(now)):
        raise StatisticsError(
            gettext("The statistics for %(year)s can be submitted once the year is over.")
            % {"year": year}
        )
    counts = ipc_annual_counts(year=year)
    try:
        with transaction.atomic():
            report = IpcAnnualReport.objects.create(
                year=year, submitted_at=now, submitted_by=actor, counts=counts
            )
            access_log_record(
                action=AccessAction.CONTENT_ACTION,
                actor=actor,
                object_type=OBJECT_TYPE,
                object_id=str(report.pk),
                details={"ipc_annual_report": "submitted", "year": year, "counts": counts},
            )
    except IntegrityError as error:
        raise StatisticsError(
            gettext("The statistics for %(year)s were already marked as submitted.")
            % {"year": year}
        ) from error
    return report


@dataclass(frozen=True)
class IpcReminder:
    year: int
    due: datetime.date
    late: bool


def ipc_reminder_due(*, today: datetime.date) -> int | None:
    """The year whose statistics are to be reported (last year) from January 15 until
    they are marked submitted, late or not; None otherwise."""
    if (today.month, today.day) < policy.IPC_ANNUAL_REMINDER_FROM:
        return None
    year = today.year - 1
    if IpcAnnualReport.objects.filter(year=year).exists():
        return None
    return year


def ipc_reminder(*, today: datetime.date) -> IpcReminder | None:
    """``ipc_reminder_due`` with its due date, and whether that date has passed."""
    year = ipc_reminder_due(today=today)
    if year is None:
        return None
    due = ipc_report_due_date(year=year)
    return IpcReminder(year=year, due=due, late=today > due)
