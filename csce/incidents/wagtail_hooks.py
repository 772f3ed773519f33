"""The incidents app's place in the Wagtail admin (policy R, P8)."""

from django.contrib.auth.models import Permission
from wagtail import hooks

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
