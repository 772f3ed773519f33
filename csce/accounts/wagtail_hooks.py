"""The accounts app in the Wagtail admin: panels for the AED (policy R, S)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from csce.audit.models import AccessAction, AccessLogEntry

from . import invitation_views, policy_views, role_request_views, views
from .models import PolicyVersion
from .role_request_views import role_requests_may_see
from .services import POLICY_APPROVE_ACTION, staff_display_name

REVIEWER_PERMISSION = "audit.view_accesslogentry"


class SuperuserUsePanel(Component):
    """The last sessions in which a superuser (break-glass) account was used."""

    name = "superuser_use"
    order = 110
    template_name = "accounts/panels/superuser_use.html"
    shown = 10

    def get_context_data(self, parent_context=None):
        entries = list(
            AccessLogEntry.objects.filter(action=AccessAction.SUPERUSER_USED).order_by("-pk")[
                : self.shown
            ]
        )
        users = get_user_model().objects.in_bulk({e.actor_id for e in entries if e.actor_id})
        return {
            "uses": [
                {
                    "time": entry.created_at,
                    "who": _person_named(users.get(entry.actor_id), entry.actor_id),
                    "view": _view_path(entry.details.get("view", "")),
                }
                for entry in entries
            ]
        }


def _view_path(view_name: str) -> str:
    """The address of the admin screen a URL name stands for (« /admin/ »), which a
    reader recognises, rather than the name (policy P2); a screen that needs an object
    keeps its name."""
    try:
        return reverse(view_name)
    except NoReverseMatch:
        return view_name


def _person_named(user, actor_id) -> str:
    """Policy S: the AED reads who used break-glass access by name, never an account number
    (full name, else the address, else the sign-in name; a deleted account says so)."""
    if user is None:
        return gettext("Deleted account #%(id)s") % {"id": actor_id}
    return user.get_full_name().strip() or user.email or staff_display_name(user)


# Wagtail's "awaiting your review" panel, and where it goes: first.
APPROVALS_PANEL = "workflow_objects_to_moderate"
APPROVALS_ORDER = 10


@hooks.register("construct_homepage_panels")
def approvals_first(request, panels) -> None:
    # Policy R, C: an approver's day starts with what waits for their decision, then
    # the exceptions (break-glass use, failed e-mail, retention, the notice's review).
    for panel in panels:
        if getattr(panel, "name", "") == APPROVALS_PANEL:
            panel.order = APPROVALS_ORDER


@hooks.register("construct_homepage_panels")
def superuser_use_panel(request, panels) -> None:
    # The AED and the Privacy Officer, who read the access log, see break-glass use.
    if request.user.has_perm(REVIEWER_PERMISSION):
        panels.append(SuperuserUsePanel())


@hooks.register("register_admin_urls")
def accounts_admin_urls():
    return [
        path(
            "policy/acknowledge/",
            views.policy_acknowledge_view,
            name="accounts_policy_acknowledge",
        ),
        path("lockouts/", views.lockouts_view, name="accounts_lockouts"),
        path(
            "accounts/invitation/<int:user_id>/",
            invitation_views.invitation_resend_view,
            name="accounts_invitation_resend",
        ),
        path(
            "reports/policy-acknowledgements/",
            views.policy_report_view,
            name="accounts_policy_report",
        ),
    ]


class PolicyReportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(views.REPORT_PERMISSION)


@hooks.register("register_reports_menu_item")
def policy_report_menu_item():
    return PolicyReportMenuItem(
        _("Policy acknowledgements"),
        reverse("accounts_policy_report"),
        name="policy-acknowledgements",
        icon_name="doc-full",
        order=700,
    )


class PolicyVersionViewSet(ModelViewSet):
    """The AED and the technical administrator draft new versions of the policy; the AED
    approves them (policy R, S, V: csce/accounts/policy_views.py)."""

    model = PolicyVersion
    icon = "doc-full"
    menu_label = _("Policy versions")
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    add_view_class = policy_views.PolicyVersionCreateView
    edit_view_class = policy_views.PolicyVersionEditView
    list_display = [
        "version_label",
        policy_views.PolicyVersionStatusColumn("status", label=_("Status")),
        "effective_date",
        "next_review",
        "created_at",
    ]
    form_fields = [
        "version_label",
        "effective_date",
        "next_review",
        "summary_fr",
        "summary_en",
        "body_fr",
        "body_en",
        "document",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "<int:pk>/approval/",
                policy_views.PolicyVersionApprovalView.as_view(),
                name="approval",
            ),
        ]


@hooks.register("register_log_actions")
def policy_log_actions(actions) -> None:
    # Policy R, V: the AED's approval of a policy version, in the version's history.
    actions.register_action(
        POLICY_APPROVE_ACTION, _("Approve the policy version"), _("Policy version approved")
    )


@hooks.register("register_admin_viewset")
def policy_version_viewset():
    return PolicyVersionViewSet("policy_versions")


class LockoutsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return request.user.has_perm(views.UNLOCK_PERMISSION)


@hooks.register("register_settings_menu_item")
def lockouts_menu_item():
    return LockoutsMenuItem(
        _("Locked accounts"),
        reverse("accounts_lockouts"),
        name="locked-accounts",
        icon_name="lock",
        order=610,
    )


@hooks.register("register_admin_urls")
def role_requests_admin_urls():
    return [
        path(
            "role-requests/",
            role_request_views.role_requests_view,
            name="accounts_role_requests",
        ),
        path(
            "role-requests/<int:pk>/<str:decision>/",
            role_request_views.role_request_decide_view,
            name="accounts_role_request_decide",
        ),
    ]


class RoleRequestsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return role_requests_may_see(request.user)


@hooks.register("register_settings_menu_item")
def role_requests_menu_item():
    return RoleRequestsMenuItem(
        _("Role requests"),
        reverse("accounts_role_requests"),
        name="role-requests",
        icon_name="group",
        order=605,
    )


@hooks.register("before_bulk_action")
def assign_role_refused(request, action_type, objects, action_class_instance):
    """Wagtail's "Assign role" bulk action would skip the approval of roles that open
    personal data, and could reach one's own account (policy R, F): it says so and stops.
    Content roles are given one account at a time on the edit screen."""
    if action_type != "assign_role" or getattr(action_class_instance, "model", None) is None:
        return None
    if action_class_instance.model._meta.label_lower != "auth.user":
        return None
    messages.error(
        request,
        _(
            "Roles are given on each account's edit screen: a role that opens personal data "
            "waits there for the approval of the AED or the Executive Director."
        ),
    )
    return redirect("wagtailusers_users:index")


@hooks.register("register_user_listing_buttons")
def invitation_resend_button(user, request_user):
    # Policy M: an account whose owner never chose a password gets a new link, nothing else.
    if (
        user.is_active
        and not user.has_usable_password()
        and request_user.has_perm(invitation_views.INVITE_PERMISSION)
    ):
        yield Button(
            _("Send a new invitation"),
            reverse("accounts_invitation_resend", args=[user.pk]),
            icon_name="mail",
            priority=30,
        )
