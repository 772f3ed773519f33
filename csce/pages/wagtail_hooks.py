"""The pages app's place in the Wagtail admin: the site alerts, a menu item of their own;
the translation editor's draft and approval actions (``admin_views.py``)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_localize.models import Translation

from . import admin_views
from .models import ALERT_STATUS_LABELS, SiteAlert
from .services import translation_slug_fill


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


@hooks.register("register_admin_urls")
def translation_admin_urls():
    return [
        path(
            "translations/<int:translation_id>/draft/",
            admin_views.translation_draft_view,
            name="csce_translation_draft",
        ),
        path(
            "translations/<int:translation_id>/submit/",
            admin_views.translation_submit_view,
            name="csce_translation_submit",
        ),
    ]


@hooks.register("register_admin_urls", order=-1)
def translation_stop_url():
    """Ahead of wagtail-localize's own URLs: its "Stop synced translation" address (the
    same path) saves the translation as a draft first (``admin_views.py``, policy P2)."""
    return [
        path(
            "localize/translate/<int:translation_id>/disable/",
            admin_views.translation_stop_view,
            name="csce_translation_stop",
        ),
    ]


@hooks.register("before_edit_page", order=-1)
def translation_slug_before_publish(request, page):
    """Before Wagtail Localize's own "Publish in <language>" (those who may publish): the
    slug is translated from the title, as when a translation is submitted (policy P2)."""
    if request.method != "POST" or request.POST.get("action") != "publish":
        return None
    translation = Translation.objects.filter(
        source__object_id=page.translation_key, target_locale_id=page.locale_id, enabled=True
    ).first()
    if translation is not None and page.permissions_for_user(request.user).can_publish():
        translation_slug_fill(translation=translation, user=request.user)
    return None
