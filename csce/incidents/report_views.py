"""The menu item "Report an incident", on every admin page for every staff member (policy
R, X, P8): the form, then a confirmation with the reference and who was told.

Reporting needs no permission beyond the admin itself. The reporter never sees the
register: the page lists their own reports by reference, kind, date and status, never
the text. Nothing of it is kept by a cache (policy F).
"""

from __future__ import annotations

from django.db import DatabaseError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from csce.common.admin_views import NoStoreMixin
from csce.common.faults import database_unavailable_notice

from .alerts import alerted_display
from .forms import IncidentReportForm
from .models import EventKind, Incident
from .services import incident_report_submit

# The incident just reported, for its confirmation page (the report is sent once: the
# answer to the form is a redirect, and reloading the confirmation sends nothing).
SENT_SESSION_KEY = "incidents_report_sent"
OWN_REPORTS_SHOWN = 10


def own_reports(user) -> dict:
    """The reporter's latest reports: reference, kind, date and status only (the text
    stays in the register). None when the database cannot be read."""
    rows = (
        Incident.objects.filter(reported_by=user)
        .only("pk", "reference", "kind", "status", "reported_at")
        .order_by("-reported_at", "-pk")
    )
    try:
        shown = list(rows[: OWN_REPORTS_SHOWN + 1])
    except DatabaseError:
        return {"rows": None, "more": False}
    return {"rows": shown[:OWN_REPORTS_SHOWN], "more": len(shown) > OWN_REPORTS_SHOWN}


class ReportMixin(NoStoreMixin, WagtailAdminTemplateMixin):
    header_icon = "warning"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class IncidentReportView(ReportMixin, TemplateView):
    template_name = "incidents/admin/report.html"
    page_title = _("Report an incident")

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=IncidentReportForm()))

    def post(self, request, *args, **kwargs):
        form = IncidentReportForm(request.POST)
        if not form.is_valid():
            return self._again(form, status=400)
        data = form.cleaned_data
        try:
            sent = incident_report_submit(
                reporter=request.user,
                kind=data["kind"],
                description=data["description"],
                occurred_at=data["occurred_at"],
                property_name=data["property_name"].strip(),
                online_property=data["registered_property"],
            )
        except DatabaseError:
            # A database that refuses the write (policy M): nothing half-stored, nothing
            # sent, and what was typed is still in the form.
            return self._again(form, status=503, notice=database_unavailable_notice())
        request.session[SENT_SESSION_KEY] = sent.incident.pk
        return redirect("incident_report:sent")

    def _again(self, form, *, status: int, notice: str = ""):
        form.errors_described()
        context = self.get_context_data(form=form, form_notice=notice)
        response = self.render_to_response(context)
        response.status_code = status
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["own_reports"] = own_reports(self.request.user)
        return context


class IncidentReportSentView(ReportMixin, TemplateView):
    template_name = "incidents/admin/report_sent.html"
    page_title = _("Incident reported")

    def get(self, request, *args, **kwargs):
        pk = request.session.get(SENT_SESSION_KEY)
        # Only the reporter's own report: a session cannot show anyone else's.
        incident = (
            Incident.objects.filter(pk=pk, reported_by=request.user)
            .only("pk", "reference", "kind", "status", "reported_at")
            .first()
            if isinstance(pk, int)
            else None
        )
        if incident is None:
            return redirect("incident_report:report")
        event = incident.events.filter(kind=EventKind.REPORTED).only("details").first()
        details = event.details if event is not None else {}
        told = alerted_display(
            user_ids=[i for i in details.get("alerted", []) if isinstance(i, int)],
            officer_address=bool(details.get("officer_address")),
        )
        return self.render_to_response(
            self.get_context_data(
                incident=incident,
                told=told,
                report_url=reverse("incident_report:report"),
                own_reports=own_reports(request.user),
            )
        )


urlpatterns: list = [
    path("", IncidentReportView.as_view(), name="report"),
    path("sent/", IncidentReportSentView.as_view(), name="sent"),
]
