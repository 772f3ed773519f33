"""The access log in the Wagtail admin: list, filters, CSV export and the chain check.

Policy F: only holders of ``audit.view_accesslogentry`` (the Privacy Officer and the AED,
docs/access-matrix.md) reach these views; everyone else gets 403.
"""

from __future__ import annotations

import datetime

import django_filters
from django.apps import apps
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import registry as log_action_registry

from .models import AccessAction, AccessLogEntry
from .selectors import (
    REASON_LABELS,
    access_log_entries,
    access_log_last_verification,
    access_log_verify,
)
from .services import access_log_record

VIEW_PERMISSION = "audit.view_accesslogentry"


def user_may_read_access_log(user) -> bool:
    return user.is_active and user.has_perm(VIEW_PERMISSION)


def actor_label(actor_id: int | None, name: str | None) -> str:
    if actor_id is None:
        return gettext("No staff member (system or visitor)")
    if not name:
        return gettext("Deleted account #%(id)s") % {"id": actor_id}
    return name


def object_type_label(object_type: str) -> str:
    """'pages.standardpage' → « page standard », in the reader's language (policy P2), when
    the model exists; the stored identifier stays in the exports."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name)


def _actor_choices():
    User = get_user_model()
    ids = list(
        AccessLogEntry.objects.exclude(actor_id=None)
        .order_by()
        .values_list("actor_id", flat=True)
        .distinct()
    )
    names = {
        user.pk: (user.get_full_name().strip() or user.get_username())
        for user in User.objects.filter(pk__in=ids)
    }
    choices = [(pk, actor_label(pk, names.get(pk))) for pk in ids]
    return sorted(choices, key=lambda choice: str(choice[1]).casefold())


def _object_type_choices():
    types = (
        AccessLogEntry.objects.exclude(object_type="")
        .order_by()
        .values_list("object_type", flat=True)
        .distinct()
    )
    return sorted(((t, object_type_label(t)) for t in types), key=lambda c: c[1].casefold())


class AccessLogFilterSet(WagtailFilterSet):
    actor_id = django_filters.ChoiceFilter(
        label=_("Staff member"),
        choices=_actor_choices,
        null_label=_("No staff member (system or visitor)"),
        empty_label=_("All"),
    )
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AccessAction.choices, empty_label=_("All")
    )
    object_type = django_filters.ChoiceFilter(
        label=_("Object type"), choices=_object_type_choices, empty_label=_("All")
    )
    created_at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    object_id = django_filters.CharFilter(label=_("Object id"), lookup_expr="exact")

    class Meta:
        model = AccessLogEntry
        fields = ["actor_id", "action", "object_type", "object_id", "created_at"]


class AccessLogPermissionMixin:
    def dispatch(self, request, *args, **kwargs):
        if not user_may_read_access_log(request.user):
            # A plain 403, not Wagtail's usual redirect to the dashboard: the access
            # matrix (docs/access-matrix.md) expects a refusal that says so.
            return TemplateResponse(request, "audit/forbidden.html", status=403)
        return super().dispatch(request, *args, **kwargs)


def action_label(entry: AccessLogEntry) -> str:
    """The action's label; for a mirrored Wagtail action, Wagtail's own label too."""
    label = (
        str(AccessAction(entry.action).label)
        if entry.action in AccessAction.values
        else entry.action
    )
    wagtail_action = (entry.details or {}).get("wagtail_action")
    if entry.action == AccessAction.CONTENT_ACTION and wagtail_action:
        log_action_registry.scan_for_actions()
        formatter = log_action_registry.formatters.get(wagtail_action)
        return gettext("%(action)s: %(wagtail_action)s") % {
            "action": label,
            "wagtail_action": formatter.label if formatter else wagtail_action,
        }
    return label


class ActorColumn(Column):
    def get_value(self, instance):
        return actor_label(instance.actor_id, instance.actor_name)


class ActionColumn(Column):
    def get_value(self, instance):
        return action_label(instance)


class AccessLogIndexView(AccessLogPermissionMixin, ReportView):
    template_name = "audit/access_log_index.html"
    page_title = _("Access log")
    header_icon = "key"
    filterset_class = AccessLogFilterSet
    index_url_name = "access_log:index"
    index_results_url_name = "access_log:index_results"
    paginate_by = 50
    columns = [
        DateColumn("created_at", label=_("Time")),
        ActorColumn("actor", label=_("Staff member")),
        ActionColumn("action", label=_("Action")),
        Column(
            "object_type",
            label=_("Object type"),
            accessor=lambda entry: object_type_label(entry.object_type),
        ),
        Column("object_id", label=_("Object id")),
        Column("id", label=_("Entry")),
    ]
    list_export = [
        "id",
        "created_at",
        "actor_id",
        "actor",
        "action_label",
        "object_type",
        "object_id",
    ]
    export_headings = {
        "id": _("Entry"),
        "created_at": _("Time"),
        "actor_id": _("Staff member id"),
        "actor": _("Staff member"),
        "action_label": _("Action"),
        "object_type": _("Object type"),
        "object_id": _("Object id"),
    }

    def get_queryset(self):
        return access_log_entries()

    def to_row_dict(self, item):
        item.actor = actor_label(item.actor_id, item.actor_name)
        item.action_label = action_label(item)
        return super().to_row_dict(item)

    def get_filename(self):
        return f"access-log-{datetime.date.today().isoformat()}"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(
                _("Verify the chain"),
                url=reverse("access_log:verify"),
                icon_name="success",
            )
        ]

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            # Policy F: an export of the log names staff members; it is itself logged.
            access_log_record(
                action=AccessAction.PERSONAL_DATA_EXPORTED,
                actor=self.request.user,
                object_type=AccessLogEntry._meta.label_lower,
                details={
                    "count": self.object_list.count(),
                    "format": self.request.GET.get("export"),
                    "filters": sorted(
                        key
                        for key, value in self.request.GET.items()
                        if value and key not in {"export", "p"}
                    ),
                },
            )
        return super().render_to_response(context, **response_kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["last_verification"] = access_log_last_verification()
        context["verify_url"] = reverse("access_log:verify")
        return context


class AccessLogVerifyView(AccessLogPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "audit/access_log_verify.html"
    page_title = _("Access log chain check")
    header_icon = "key"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("access_log:index"), "label": gettext("Access log")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result = access_log_verify()
        context["result"] = result
        context["reason"] = REASON_LABELS.get(result.reason, "")
        context["index_url"] = reverse("access_log:index")
        return context
