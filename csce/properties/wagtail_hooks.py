"""The online-property registry in the Wagtail admin (policy O, R, M): the AED keeps it,
the Executive Director reads it; adding or removing an administrator and each access
review appear in the property's history, in the reader's language."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter

from . import services
from .forms import OnlinePropertyForm
from .models import OnlineProperty
from .views import (
    AccessReviewView,
    OnlinePropertyCreateView,
    OnlinePropertyEditView,
    OnlinePropertyIndexView,
    OnlinePropertyInspectView,
)


class OnlinePropertyViewSet(ModelViewSet):
    model = OnlineProperty
    icon = "globe"
    menu_label = _("Online properties")
    menu_order = 250
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = OnlinePropertyIndexView
    inspect_view_class = OnlinePropertyInspectView
    add_view_class = OnlinePropertyCreateView
    edit_view_class = OnlinePropertyEditView
    list_display = [
        "name",
        "kind",
        "owner",
        Column("mfa_status", label=_("MFA"), accessor="mfa_status"),
        Column("review_status", label=_("Next access review"), accessor="review_status"),
        Column("footer_status", label=_("In the footer"), accessor="footer_status"),
    ]
    list_filter = ["kind", "mfa_enabled", "shown_in_footer"]
    inspect_view_fields = [
        "kind",
        "name",
        "url",
        "handle",
        "owner",
        "mfa_enabled",
        "last_review_on",
        "next_review_due",
        "shown_in_footer",
        "sort_order",
    ]

    def get_form_class(self, for_update=False):
        return OnlinePropertyForm


@hooks.register("register_admin_viewset")
def online_property_viewset():
    return OnlinePropertyViewSet("properties")


@hooks.register("register_admin_urls")
def online_property_admin_urls():
    return [
        path(
            "properties/review/<int:pk>/",
            AccessReviewView.as_view(),
            name="properties_review",
        )
    ]


def _named(log_entry) -> str:
    return log_entry.data.get("name") or gettext("a deleted account")


@hooks.register("register_log_actions")
def online_property_log_actions(actions):
    @actions.register_action(services.ADMINISTRATOR_ADDED)
    class AdministratorAdded(LogFormatter):
        label = _("Add an administrator")

        def format_message(self, log_entry):
            return gettext("Added %(name)s as an administrator") % {"name": _named(log_entry)}

    @actions.register_action(services.ADMINISTRATOR_REMOVED)
    class AdministratorRemoved(LogFormatter):
        label = _("Remove an administrator")

        def format_message(self, log_entry):
            return gettext("Removed %(name)s as an administrator") % {"name": _named(log_entry)}

    @actions.register_action(services.ACCESS_REVIEWED)
    class AccessReviewed(LogFormatter):
        label = _("Record an access review")

        def format_message(self, log_entry):
            names = [a.get("name", "") for a in log_entry.data.get("administrators", [])]
            message = gettext("Access review: administrators confirmed (%(names)s)") % {
                "names": ", ".join(names) or gettext("none")
            }
            if log_entry.data.get("mfa_confirmed"):
                message += " " + gettext("MFA confirmed on.")
            return message
