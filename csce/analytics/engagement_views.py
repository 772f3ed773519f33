"""The response times in the Wagtail admin, under Reports (policy R: the administrators
monitor engagement and respond promptly, so how promptly is measured).

For each source of the response-time registry (csce/common/engagement.py: inquiries,
comments, reports of a concern; this module imports none of their apps) and each of the
last twelve months, by the month an item was received in the centre's time zone: items
received, answered, still waiting, the median and 90th percentile of the time to the
first answer, and how many wait past their due moment now. Counts and durations only,
no personal data; read by holders of ``analytics.view_engagement`` (the AED and the
Executive Director, csce/analytics/roles.py), a 403 for everyone else. A CSV download
has the same table, durations in hours.
"""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from csce.common.admin_views import NoStoreMixin, PermissionRequiredMixin
from csce.common.engagement import MONTHS, duration_display, engagement_report
from csce.common.spreadsheet import spreadsheet_text
from csce.common.typography import date_display

VIEW_PERMISSION = "analytics.view_engagement"


class EngagementPermissionMixin(PermissionRequiredMixin):
    permission = VIEW_PERMISSION
    forbidden_reason = _(
        "The response times are read by the Assistant Executive Director and the Executive "
        "Director."
    )


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def engagement_shown(*, now=None) -> list[dict]:
    """The report in the staff member's language: a table per source, newest month first."""
    shown = []
    for report in engagement_report(now=now):
        rows = [
            {
                "month": date_display(row.start, day=False),
                "month_iso": f"{row.start:%Y-%m}",
                "received": _number(row.received),
                "answered": _number(row.answered),
                "waiting": _number(row.waiting),
                "median": duration_display(row.median_seconds) or "—",
                "p90": duration_display(row.p90_seconds) or "—",
                "empty": row.received == 0,
            }
            for row in reversed(report.months)
        ]
        shown.append(
            {
                "key": report.key,
                "label": report.label,
                "rows": rows,
                "overdue": None if report.overdue is None else _number(report.overdue),
                "overdue_count": report.overdue,
            }
        )
    return shown


class EngagementView(
    EngagementPermissionMixin, NoStoreMixin, WagtailAdminTemplateMixin, TemplateView
):
    template_name = "analytics/admin/engagement.html"
    page_title = _("Response times")
    header_icon = "time"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sources"] = engagement_shown()
        context["months"] = MONTHS
        return context


def _hours(seconds: float | None):
    return "" if seconds is None else round(seconds / 3600, 1)


def engagement_csv(*, now=None) -> str:
    """Every source and month, oldest month first; durations in hours (a number a
    spreadsheet computes with), in the active language's headings."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            gettext("Source"),
            gettext("Month received"),
            gettext("Received"),
            gettext("Answered"),
            gettext("Still waiting"),
            gettext("Median time to the first answer (hours)"),
            gettext("90th percentile (hours)"),
        ]
    )
    for report in engagement_report(now=now):
        label = spreadsheet_text(str(report.label))
        for row in report.months:
            writer.writerow(
                [
                    label,
                    f"{row.start:%Y-%m}",
                    row.received,
                    row.answered,
                    row.waiting,
                    _hours(row.median_seconds),
                    _hours(row.p90_seconds),
                ]
            )
    return buffer.getvalue()


class EngagementExportView(EngagementPermissionMixin, NoStoreMixin, View):
    def get(self, request, *args, **kwargs):
        # The byte-order mark makes Excel read the file as UTF-8.
        response = HttpResponse("\ufeff" + engagement_csv(), content_type="text/csv; charset=utf-8")
        # Translators: start of the CSV file name; ASCII letters, digits and hyphens only.
        name = gettext("response-times")
        response["Content-Disposition"] = (
            f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.csv"'
        )
        return response
