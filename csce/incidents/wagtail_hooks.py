"""The incidents app's place in the Wagtail admin (policy R, P8)."""

from django.contrib.auth.models import Permission
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component

from .register_views import VIEW_PERMISSION, register_overview
from .statistics import IpcReminder, ipc_reminder
from .viewsets import IncidentRegisterViewSet, IncidentReportViewSet


@hooks.register("register_admin_viewset")
def register_incident_report_viewset():
    return IncidentReportViewSet()


@hooks.register("register_admin_viewset")
def register_incident_register_viewset():
    return IncidentRegisterViewSet()


@hooks.register("register_permissions")
def incident_permissions():
    """The group editor shows the notifying permission with the model ones."""
    return Permission.objects.filter(
        content_type__app_label="incidents", codename="notify_incident"
    )


class IpcReminderPanel(Component):
    """O. Reg. 329/04 s.6.4: from January 15 until last year's statistics are marked
    submitted, the register's keepers are reminded they are due by March 1 (or late)."""

    name = "ipc_reminder"
    # A legal deadline: near the top, after the Privacy Officer's requests.
    order = 30
    template_name = "incidents/panels/ipc_reminder.html"

    def __init__(self, reminder: IpcReminder):
        self.reminder = reminder

    def get_context_data(self, parent_context=None):
        return {"reminder": self.reminder}


@hooks.register("construct_homepage_panels")
def ipc_reminder_panel(request, panels) -> None:
    if not request.user.has_perm("incidents.view_incident"):
        return
    reminder = ipc_reminder(today=timezone.localdate())
    if reminder is not None:
        panels.append(IpcReminderPanel(reminder))


class IncidentsPanel(Component):
    """Policy P8, R; O. Reg. 329/04 s.6.3: open incidents, the breaches the IPC must be
    told of and is not yet, those whose people are being notified. Counts and references
    only: not a read of personal data."""

    name = "incidents_register"
    # After the Privacy Officer's requests (20), before the exceptions (100 and on).
    order = 30
    template_name = "incidents/admin/register/panel.html"

    def get_context_data(self, parent_context=None):
        return register_overview()


@hooks.register("construct_homepage_panels")
def incidents_panel(request, panels) -> None:
    if request.user.has_perm(VIEW_PERMISSION):
        panels.append(IncidentsPanel())
