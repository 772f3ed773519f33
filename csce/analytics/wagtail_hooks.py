"""The analytics app's place in the Wagtail admin: the website statistics dashboard, and
the response times under Reports."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import admin_views, engagement_views


class StatisticsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(admin_views.VIEW_PERMISSION)


class StatisticsViewSet(ViewSet):
    """Policy F: read by the AED and Communications only (csce/accounts/roles.py)."""

    name = "analytics_admin"
    url_prefix = "analytics"
    icon = "table"
    menu_label = _("Website statistics")
    menu_name = "website_statistics"
    menu_order = 280
    add_to_admin_menu = True
    menu_item_class = StatisticsMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.StatisticsDashboardView.as_view(), name="dashboard"),
            path("export/", admin_views.StatisticsExportView.as_view(), name="export"),
        ]

    @cached_property
    def menu_url(self):
        return reverse("analytics_admin:dashboard")


@hooks.register("register_admin_viewset")
def register_statistics_viewset():
    return StatisticsViewSet()


class EngagementMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(engagement_views.VIEW_PERMISSION)


class EngagementViewSet(ViewSet):
    """Policy R: read by the AED and the Executive Director (csce/analytics/roles.py)."""

    name = "engagement_admin"
    url_prefix = "response-times"
    icon = "time"
    menu_label = _("Response times")
    menu_name = "response-times"
    menu_order = 1060  # after the access log
    menu_hook = "register_reports_menu_item"
    menu_item_class = EngagementMenuItem

    def get_urlpatterns(self):
        return [
            path("", engagement_views.EngagementView.as_view(), name="index"),
            path("export/", engagement_views.EngagementExportView.as_view(), name="export"),
        ]

    @cached_property
    def menu_url(self):
        return reverse("engagement_admin:index")


@hooks.register("register_admin_viewset")
def register_engagement_viewset():
    return EngagementViewSet()
