"""The incidents app's places in the Wagtail admin (policy R, P8): "Report an incident"
for every staff member, and the register for the Privacy Officer, the AED and the
Executive Director. Each part of the register keeps its own URLs beside its views."""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import notice_views, register_views, report_views, scope_views, statistics_views

REGISTER_PERMISSION = "incidents.view_incident"


class RegisterMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(REGISTER_PERMISSION)


class IncidentReportViewSet(ViewSet):
    """Policy R: every staff member reports, from the menu of every admin page."""

    name = "incident_report"
    url_prefix = "incidents/report"
    icon = "warning"
    menu_label = _("Report an incident")
    menu_name = "incident_report"
    menu_order = 9000
    add_to_admin_menu = True

    def get_urlpatterns(self):
        return report_views.urlpatterns

    @cached_property
    def menu_url(self):
        return reverse("incident_report:report")


class IncidentRegisterViewSet(ViewSet):
    """Policy P8, R, X: the register, its breach scopes and notices, and the yearly
    statistics for the IPC (O. Reg. 329/04 s.6.4)."""

    name = "incidents"
    url_prefix = "incidents"
    icon = "clipboard-list"
    menu_label = _("Incidents")
    menu_name = "incidents"
    menu_order = 265
    add_to_admin_menu = True
    menu_item_class = RegisterMenuItem

    def get_urlpatterns(self):
        return [
            *register_views.urlpatterns,
            *scope_views.urlpatterns,
            *notice_views.urlpatterns,
            *statistics_views.urlpatterns,
        ]

    @cached_property
    def menu_url(self):
        return reverse("incidents:index")
