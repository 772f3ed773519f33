"""The pages app's place in the Wagtail admin: the site alerts, a menu item of their own."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ALERT_STATUS_LABELS, SiteAlert


def _alerts_by_status(queryset, name, value):
    now = timezone.now()
    conditions = {
        "live": Q(starts_at__lte=now, ends_at__gt=now),
        "scheduled": Q(starts_at__gt=now),
        "expired": Q(ends_at__lte=now),
    }
    return queryset.filter(conditions[value]) if value in conditions else queryset


class SiteAlertFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("status"),
        choices=list(ALERT_STATUS_LABELS.items()),
        method=_alerts_by_status,
        empty_label=_("All alerts"),
    )

    class Meta:
        model = SiteAlert
        fields = ["kind"]


class SiteAlertViewSet(SnippetViewSet):
    """Policy C, P2: staff who may publish write a dated alert in both languages; every
    public page shows it between its dates. Wagtail logs each addition, change and
    deletion with its author (the history view and the site history)."""

    model = SiteAlert
    icon = "warning"
    menu_label = _("Site alerts")
    menu_name = "site_alerts"
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "site-alerts"
    filterset_class = SiteAlertFilterSet
    list_display = [
        Column("__str__", label=_("text in French")),
        Column("kind", label=_("kind of alert"), accessor="get_kind_display"),
        StatusTagColumn(
            "status",
            label=_("status"),
            accessor="status_label",
            primary=lambda alert: alert.status() == "live",
        ),
        Column("starts_at", label=_("shown from")),
        Column("ends_at", label=_("shown until")),
    ]
    ordering = ["-starts_at", "-pk"]


register_snippet(SiteAlertViewSet)
