"""The access log's place in the Wagtail admin: a report under Reports (policy F)."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import security_audit_views
from .models import AccessLogEntry, SecurityAudit
from .security_audit_views import user_may_view_security_audits
from .views import AccessLogIndexView, AccessLogVerifyView, user_may_read_access_log


class AccessLogMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may_read_access_log(request.user)


class AccessLogViewSet(ViewSet):
    name = "access_log"
    url_prefix = "access-log"
    icon = "key"
    menu_label = _("Access log")
    menu_name = "access-log"
    menu_order = 1050  # after Wagtail's own "Site history" report
    menu_hook = "register_reports_menu_item"
    menu_item_class = AccessLogMenuItem

    def get_urlpatterns(self):
        return [
            path("", AccessLogIndexView.as_view(), name="index"),
            path("results/", AccessLogIndexView.as_view(results_only=True), name="index_results"),
            path("verify/", AccessLogVerifyView.as_view(), name="verify"),
        ]


@hooks.register("register_admin_viewset")
def register_access_log_viewset():
    return AccessLogViewSet()


@hooks.register("register_permissions")
def access_log_permissions():
    # Shown in the group editor, so that the role can be granted (or seen) there.
    return Permission.objects.filter(
        content_type__app_label=AccessLogEntry._meta.app_label,
        codename="view_accesslogentry",
    )


class SecurityAuditMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may_view_security_audits(request.user)


class SecurityAuditViewSet(ViewSet):
    """Policy M, R: the annual security audit, under Reports."""

    name = "security_audits"
    url_prefix = "security-audits"
    icon = "lock"
    menu_label = _("Security audits")
    menu_name = "security-audits"
    menu_order = 1060
    menu_hook = "register_reports_menu_item"
    menu_item_class = SecurityAuditMenuItem

    def get_urlpatterns(self):
        return security_audit_views.urlpatterns


@hooks.register("register_admin_viewset")
def register_security_audit_viewset():
    return SecurityAuditViewSet()


@hooks.register("register_permissions")
def security_audit_permissions():
    return Permission.objects.filter(
        content_type__app_label=SecurityAudit._meta.app_label,
        codename__in=["view_securityaudit", "run_securityaudit", "sign_securityaudit"],
    )
