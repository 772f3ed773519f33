"""The compliance view in the Wagtail admin (policy R): under Reports, and at the top of
the dashboard of whoever may read it (the AED and the Executive Director)."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSet

from . import views
from .roles import VIEW
from .selectors import compliance_board


class ComplianceMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(VIEW)


class ComplianceViewSet(ViewSet):
    name = "compliance"
    url_prefix = "compliance"
    icon = "tasks"
    menu_label = _("Compliance")
    menu_name = "compliance"
    menu_order = 1000  # the first of the reports: the one the AED reads first
    menu_hook = "register_reports_menu_item"
    menu_item_class = ComplianceMenuItem

    def get_urlpatterns(self):
        return [path("", views.ComplianceView.as_view(), name="index")]

    @cached_property
    def menu_url(self):
        return reverse("compliance:index")


@hooks.register("register_admin_viewset")
def register_compliance_viewset():
    return ComplianceViewSet()


class CompliancePanel(Component):
    """The dashboard's first panel: what does not hold, each with its link to act."""

    name = "compliance"
    order = 10
    template_name = "compliance/panels/compliance.html"

    class Media:
        css = {"all": ["compliance/compliance.css"]}

    def get_context_data(self, parent_context=None):
        return {"board": compliance_board(), "view_url": reverse("compliance:index")}


@hooks.register("construct_homepage_panels")
def compliance_panel(request, panels) -> None:
    if request.user.has_perm(VIEW):
        panels.append(CompliancePanel())


@hooks.register("register_permissions")
def compliance_permissions():
    # Shown in the group editor, so that the role can be granted (or seen) there.
    return Permission.objects.filter(
        content_type__app_label="compliance", codename="view_compliance"
    )
