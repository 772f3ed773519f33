"""The moderation queue's place in the Wagtail admin (policy U, R, X): the menu item
« Modération » with the number waiting, the queue and its items, and the moderators'
dashboard panel."""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSet

from . import admin_views
from .admin_views import MODERATE_PERMISSION, waiting_count, waiting_counts


class ModerationMenuItem(MenuItem):
    """Shown to the moderators only, with what waits: « Modération (3) »."""

    def is_shown(self, request) -> bool:
        return request.user.has_perm(MODERATE_PERMISSION)

    def render_component(self, request):
        component = super().render_component(request)
        count = waiting_count()
        if count:
            component.label = gettext("%(label)s (%(count)s waiting)") % {
                "label": self.label,
                "count": count,
            }
        return component


class ModerationViewSet(ViewSet):
    name = "moderation_admin"
    url_prefix = "moderation"
    icon = "comment"
    menu_label = _("Moderation")
    menu_name = "moderation"
    menu_order = 255
    add_to_admin_menu = True
    menu_item_class = ModerationMenuItem

    def get_urlpatterns(self):
        return admin_views.urlpatterns

    @cached_property
    def menu_url(self):
        return reverse("moderation_admin:queue")


@hooks.register("register_admin_viewset")
def register_moderation_viewset():
    return ModerationViewSet()


class ModerationPanel(Component):
    """Policy R: what waits for a moderator and what is overdue. Counts only: not a read
    of personal data."""

    name = "moderation_queue"
    # After the incident register (30), before the exceptions (100 and on).
    order = 40
    template_name = "moderation/admin/panel.html"

    def get_context_data(self, parent_context=None):
        return {**waiting_counts(), "url": reverse("moderation_admin:queue")}


@hooks.register("construct_homepage_panels")
def moderation_panel(request, panels) -> None:
    if request.user.has_perm(MODERATE_PERMISSION):
        panels.append(ModerationPanel())
