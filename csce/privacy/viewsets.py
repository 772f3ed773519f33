"""The Privacy Officer's request workspace, as a Wagtail viewset (the admin's own
navigation, breadcrumbs and permissions; policy F)."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import admin_views


class PrivacyRequestsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(admin_views.VIEW_PERMISSION)


class PrivacyRequestViewSet(ViewSet):
    name = "privacy_requests"
    url_prefix = "privacy/requests"
    icon = "lock"
    menu_label = _("Privacy requests")
    menu_name = "privacy_requests"
    menu_order = 260
    add_to_admin_menu = True
    menu_item_class = PrivacyRequestsMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.PrivacyRequestIndexView.as_view(), name="index"),
            path(
                "results/",
                admin_views.PrivacyRequestIndexView.as_view(results_only=True),
                name="index_results",
            ),
            path("<int:pk>/", admin_views.PrivacyRequestDetailView.as_view(), name="detail"),
            path("log/", admin_views.PrivacyRequestLogView.as_view(), name="log"),
            path(
                "inquiries/<int:submission_id>/convert/",
                admin_views.PrivacyInquiryConvertView.as_view(),
                name="convert",
            ),
            path(
                "<int:pk>/correct/<slug:source>/<str:object_id>/",
                admin_views.PrivacyRequestCorrectView.as_view(),
                name="correct",
            ),
        ]

    @cached_property
    def menu_url(self):
        return reverse("privacy_requests:index")
