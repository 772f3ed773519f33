"""The outbox in the admin: its listing in Settings, and a dashboard panel while some
messages failed or wait too long (policy M)."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import admin_views
from .models import OutboxMessage, OutboxState

# A message still waiting after this long means the worker or the mail server is down.
BACKLOG_ALERT = datetime.timedelta(minutes=15)


@hooks.register("register_admin_urls")
def outbox_admin_urls():
    return [path("outbox/", admin_views.outbox_index_view, name="outbox_admin")]


class OutboxMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(admin_views.VIEW_PERMISSION)


@hooks.register("register_settings_menu_item")
def outbox_menu_item():
    return OutboxMenuItem(
        _("Outgoing e-mail"), reverse("outbox_admin"), name="outbox", icon_name="mail", order=620
    )


class OutboxPanel(Component):
    name = "outbox"
    order = 115
    template_name = "outbox/panels/outbox.html"

    def __init__(self, *, failed: int, late: int):
        self.failed = failed
        self.late = late

    def get_context_data(self, parent_context=None):
        return {
            "failed": self.failed,
            "late": self.late,
            "minutes": int(BACKLOG_ALERT.total_seconds() // 60),
            "url": reverse("outbox_admin"),
        }


@hooks.register("construct_homepage_panels")
def outbox_panel(request, panels) -> None:
    if not request.user.has_perm(admin_views.VIEW_PERMISSION):
        return
    failed = OutboxMessage.objects.filter(state=OutboxState.FAILED).count()
    late = OutboxMessage.objects.filter(
        state__in=[OutboxState.QUEUED, OutboxState.SENDING],
        created_at__lt=timezone.now() - BACKLOG_ALERT,
    ).count()
    if failed or late:
        panels.append(OutboxPanel(failed=failed, late=late))


@hooks.register("register_permissions")
def outbox_permissions():
    return Permission.objects.filter(
        content_type__app_label="outbox", codename="view_outboxmessage"
    )
