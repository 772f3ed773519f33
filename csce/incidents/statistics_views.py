"""The yearly statistics for the IPC in the admin (O. Reg. 329/04 s.6.4): a year's four
counts, the breaches they are made of (references and dates only), the due date and
whether the year was marked submitted, a CSV download and a printable page.

Read by the holders of ``incidents.view_incident`` (Privacy Officer, AED, Executive
Director: csce/incidents/roles.py); marking a year submitted needs
``incidents.change_incident``; everyone else gets the 403 page saying why (policy F).
Counts, references and dates are no personal data, so nothing here is a logged read;
the pages are not cached all the same.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from csce.common.admin_views import NoStoreMixin, PermissionRequiredMixin, forbidden
from csce.common.staff import staff_display_name

from .models import Incident, IpcAnnualReport, PhipaCategory
from .statistics import (
    FIRST_YEAR,
    StatisticsError,
    counted_incidents,
    ipc_reminder,
    ipc_report_csv,
    ipc_report_due_date,
    ipc_report_mark_submitted,
    ipc_report_rows,
    year_reportable,
)

VIEW_PERMISSION = "incidents.view_incident"
CHANGE_PERMISSION = "incidents.change_incident"
READ_REASON = _(
    "The yearly statistics for the IPC are open only to the Privacy Officer, the Assistant "
    "Executive Director and the Executive Director, who keep the incident register."
)
SUBMIT_REASON = _(
    "Only the staff members who keep the incident register may mark the yearly statistics "
    "as submitted."
)


def _years(today: datetime.date) -> list[int]:
    """This year back to the first year with a breach or a report (last year at least)."""
    first = today.year - 1
    detected = Incident.objects.order_by("detected_at").values_list("detected_at", flat=True)
    earliest = detected.first()
    if earliest is not None:
        first = min(first, timezone.localtime(earliest).year)
    reported = IpcAnnualReport.objects.order_by("year").values_list("year", flat=True).first()
    if reported is not None:
        first = min(first, reported)
    return list(range(today.year, max(first, FIRST_YEAR) - 1, -1))


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in _years(today)]


def _year_form(data, *, today: datetime.date) -> YearForm:
    """The year asked for, or last year (the one to report) when none is."""
    if "year" not in data:
        data = {"year": str(today.year - 1)}
    return YearForm(data, today=today)


def _detail_url(pk: int) -> str:
    """The register's page of an incident (its own part of the admin), when it exists."""
    try:
        return reverse("incidents:detail", args=[pk])
    except NoReverseMatch:
        return ""


def _page_url(year: int, **extra) -> str:
    return f"{reverse('incidents:ipc_statistics')}?{urlencode({'year': year, **extra})}"


class IpcStatisticsView(
    PermissionRequiredMixin, NoStoreMixin, WagtailAdminTemplateMixin, TemplateView
):
    template_name = "incidents/admin/ipc_statistics.html"
    print_template_name = "incidents/admin/ipc_statistics_print.html"
    permission = VIEW_PERMISSION
    forbidden_reason = READ_REASON
    page_title = _("Yearly statistics for the IPC")
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("incidents:index"), "label": gettext("Incidents")},
            {"url": "", "label": self.get_page_title()},
        ]

    def year_context(self, year: int, today: datetime.date) -> dict:
        rows = [
            {"code": code, "label": label, "count": count}
            for code, label, count in ipc_report_rows(year=year)
        ]
        report = IpcAnnualReport.objects.filter(year=year).select_related("submitted_by").first()
        due = ipc_report_due_date(year=year)
        reportable = year_reportable(year=year, today=today)
        return {
            "year": year,
            "rows": rows,
            "total": sum(row["count"] for row in rows),
            "incidents": [
                {
                    "reference": incident.reference,
                    "detected_at": incident.detected_at,
                    "category": PhipaCategory(incident.phipa_category).label,
                    "url": _detail_url(incident.pk),
                }
                for incident in counted_incidents(year=year)
            ],
            "due": due,
            "late": report is None and today > due,
            "year_over": reportable,
            "report": report,
            "submitted_by": (
                staff_display_name(report.submitted_by) if report and report.submitted_by else ""
            ),
            "can_submit": (
                report is None and reportable and self.request.user.has_perm(CHANGE_PERMISSION)
            ),
            "csv_url": f"{reverse('incidents:ipc_statistics_csv')}?{urlencode({'year': year})}",
            "print_url": _page_url(year, print=1),
            "printed_at": timezone.now(),
        }

    def render(self, *, form: YearForm, today: datetime.date, status: int = 200, **extra):
        context = self.get_context_data(form=form, reminder=ipc_reminder(today=today), **extra)
        if form.is_valid():
            context.update(self.year_context(form.cleaned_data["year"], today))
        response = self.render_to_response(context)
        response.status_code = status
        return response

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        form = _year_form(request.GET, today=today)
        if not form.is_valid():
            return self.render(form=form, today=today, status=400)
        if request.GET.get("print"):
            context = self.year_context(form.cleaned_data["year"], today)
            return TemplateResponse(request, self.print_template_name, context)
        return self.render(form=form, today=today)

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm(CHANGE_PERMISSION):
            return forbidden(request, reason=SUBMIT_REASON)
        today = timezone.localdate()
        form = YearForm(request.POST, today=today)
        if not form.is_valid():
            return self.render(form=form, today=today, status=400)
        year = form.cleaned_data["year"]
        try:
            ipc_report_mark_submitted(year=year, actor=request.user)
        except StatisticsError as error:
            return self.render(form=form, today=today, status=400, submit_error=str(error))
        messages.success(
            request,
            gettext("The statistics for %(year)s are marked as submitted to the IPC.")
            % {"year": year},
        )
        return redirect(_page_url(year))


class IpcStatisticsCsvView(PermissionRequiredMixin, NoStoreMixin, View):
    permission = VIEW_PERMISSION
    forbidden_reason = READ_REASON

    def get(self, request, *args, **kwargs):
        form = _year_form(request.GET, today=timezone.localdate())
        if not form.is_valid():
            # The page says what is wrong next to the year chooser.
            return redirect(f"{reverse('incidents:ipc_statistics')}?{request.GET.urlencode()}")
        year = form.cleaned_data["year"]
        # The byte-order mark makes Excel read the file as UTF-8 (accents, « », …).
        response = HttpResponse(
            "\ufeff" + ipc_report_csv(year=year), content_type="text/csv; charset=utf-8"
        )
        # Translators: start of the CSV file name; ASCII letters, digits and hyphens only.
        name = gettext("ipc-statistics")
        response["Content-Disposition"] = f'attachment; filename="{name}-{year}.csv"'
        return response


urlpatterns: list = [
    path("ipc-statistics/", IpcStatisticsView.as_view(), name="ipc_statistics"),
    path("ipc-statistics/csv/", IpcStatisticsCsvView.as_view(), name="ipc_statistics_csv"),
]
