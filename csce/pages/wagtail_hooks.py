"""The pages app's place in the Wagtail admin: the site alerts, a menu item of their own;
the translation editor's draft and approval actions (``admin_views.py``); the pages' yearly
review and the AED's override with a reason (``review_views.py``, policy C, X)."""

from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.log_actions import LogFormatter
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail_localize.models import Translation

from csce.common import policy

from . import admin_views, review_views
from .models import ALERT_STATUS_LABELS, SiteAlert
from .panels import OVERRIDE_PERMISSION, OVERRIDE_REASON_FIELD, override_reason_required
from .review import (
    OWNER_ACTION,
    PUBLISH_OVERRIDE_ACTION,
    REVIEW_ACTION,
    UNPUBLISH_ACTION,
    override_reason_clean,
    owner_set,
    page_publish_override_record,
    page_review_allowed,
    pages_due_for_review,
)
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


# --- Review and override (policy C, X, R) ---------------------------------------------

PANEL_ROWS = 5


@hooks.register("register_admin_urls")
def review_admin_urls():
    return [
        path(
            "pages-review/",
            include(
                (
                    [
                        path("", review_views.PagesDueView.as_view(), name="due"),
                        path(
                            "<int:page_id>/reviewed/",
                            review_views.PageReviewMarkView.as_view(),
                            name="mark",
                        ),
                        path(
                            "<int:page_id>/unpublish/",
                            review_views.PageUnpublishWithReasonView.as_view(),
                            name="unpublish",
                        ),
                    ],
                    "pages_review",
                ),
                namespace="pages_review",
            ),
        )
    ]


@hooks.register("register_reports_menu_item")
def review_report_menu_item():
    # Every staff member may own pages: each sees their own in it.
    return MenuItem(
        _("Pages due for review"),
        reverse("pages_review:due"),
        name="pages-due-for-review",
        icon_name="calendar-check",
        order=650,
    )


class ReviewPanel(Component):
    """Policy C: the pages the signed-in staff member owns that are due for review."""

    name = "pages_due_for_review"
    order = 45
    template_name = "pages/admin/review_panel.html"

    def __init__(self, rows: list[dict], more: int) -> None:
        self.rows, self.more = rows, more

    def get_context_data(self, parent_context=None):
        return {"rows": self.rows, "more": self.more, "url": reverse("pages_review:due")}


@hooks.register("construct_homepage_panels")
def review_panel(request, panels) -> None:
    now = timezone.now()
    due = pages_due_for_review(
        now=now,
        owner_id=request.user.pk,
        within_days=policy.PAGE_REVIEW_WARNING_DAYS,
    )
    shown = list(due[:PANEL_ROWS])
    if shown:
        rows = review_views.review_rows(shown, now=now, user=request.user)
        panels.append(ReviewPanel(rows, max(due.count() - len(shown), 0)))


class MarkReviewedMenuItem(PageMenuItem):
    label = _("Mark as reviewed")
    icon_name = "calendar-check"
    url_name = "pages_review:mark"

    def is_shown(self, user):
        return self.page.depth > 1 and page_review_allowed(page=self.page, user=user)


class UnpublishWithReasonMenuItem(PageMenuItem):
    label = _("Unpublish with a reason")
    icon_name = "download"
    url_name = "pages_review:unpublish"

    def is_shown(self, user):
        return (
            self.page.live
            and self.page.depth > 1
            and user.has_perm(OVERRIDE_PERMISSION)
            and self.page.permissions_for_user(user).can_edit()
        )


@hooks.register("register_page_listing_more_buttons")
def review_listing_buttons(page, user, next_url=None):
    yield MarkReviewedMenuItem(page=page, next_url=next_url, priority=45)
    yield UnpublishWithReasonMenuItem(page=page, next_url=next_url, priority=41)


@hooks.register("register_page_header_buttons")
def review_header_buttons(page, user, view_name, next_url=None):
    yield MarkReviewedMenuItem(page=page, next_url=next_url, priority=62)
    yield UnpublishWithReasonMenuItem(page=page, next_url=next_url, priority=61)


@hooks.register("register_log_actions")
def review_log_actions(actions):
    class ReasonFormatter(LogFormatter):
        def format_comment(self, log_entry):
            return (log_entry.data or {}).get("reason", "")

    @actions.register_action(REVIEW_ACTION)
    class ReviewFormatter(LogFormatter):
        label = _("Marked as reviewed")
        message = _("Marked as reviewed: content checked for accuracy")

    @actions.register_action(OWNER_ACTION)
    class OwnerFormatter(LogFormatter):
        label = _("Content owner changed")
        message = _("Content owner changed")

    @actions.register_action(UNPUBLISH_ACTION)
    class UnpublishFormatter(ReasonFormatter):
        label = _("Unpublished with a reason")
        message = _("Unpublished by the Assistant Executive Director, with a reason")

    @actions.register_action(PUBLISH_OVERRIDE_ACTION)
    class PublishOverrideFormatter(ReasonFormatter):
        label = _("Published over the owner, with a reason")
        message = _("Published by the Assistant Executive Director over its owner, with a reason")


@hooks.register("before_create_page")
def override_none_on_create(request, parent_page, page_class):
    # A page the AED writes is the AED's work, even when given to an owner at once.
    request.csce_owner_before_edit = None
    return None


@hooks.register("before_edit_page")
def override_owner_before_edit(request, page):
    # The owner before the form is saved: choosing oneself as owner in the same edit
    # does not spare the reason (policy X).
    request.csce_owner_before_edit = page.owner_id
    return None


@hooks.register("before_publish_page")
def override_reason_before_publish(request, page):
    """Policy X: the AED publishing a page another staff member owns gives a reason; without
    one, the edit stays a draft (Wagtail saved the revision before this hook)."""
    owner_id = getattr(request, "csce_owner_before_edit", page.owner_id)
    if not override_reason_required(owner_id=owner_id, user=request.user):
        return None
    try:
        request.csce_override_reason = override_reason_clean(
            request.POST.get(OVERRIDE_REASON_FIELD, "")
        )
    except ValidationError as error:
        messages.error(
            request,
            gettext(
                "Not published: your changes are saved as a draft. This page belongs to "
                "another staff member: give the reason for publishing in the Settings tab. "
                "%(error)s"
            )
            % {"error": " ".join(error.messages)},
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("after_publish_page")
def override_reason_after_publish(request, page):
    reason = getattr(request, "csce_override_reason", None)
    if reason:
        page_publish_override_record(page=page, user=request.user, reason=reason)
    return None


@hooks.register("after_edit_page")
def owner_reassigned_after_edit(request, page):
    """Policy C: the AED's choice of owner in the Settings tab. Wagtail keeps a live page's
    owner from its record, not from the revision, so it is written here, and logged."""
    if "owner" not in request.POST or not request.user.has_perm(OVERRIDE_PERMISSION):
        return None
    raw = request.POST.get("owner", "")
    chosen = int(raw) if raw.isdigit() else None
    if chosen is not None and not get_user_model().objects.filter(pk=chosen).exists():
        return None
    owner_set(page=page, owner_id=chosen, user=request.user)
    return None


@hooks.register("before_unpublish_page")
def unpublish_needs_a_reason(request, page):
    """Policy X: Wagtail's own "Unpublish" leads to "Unpublish with a reason"."""
    messages.warning(request, gettext("Give the reason for unpublishing this page."))
    return redirect("pages_review:unpublish", page.pk)


@hooks.register("before_bulk_action")
def bulk_publishing_needs_a_reason(request, action_type, objects, action_class_instance):
    """Policy X: the bulk actions ask no reason, so the AED's bulk publishing of another's
    page and every bulk unpublishing are refused (one page at a time, with a reason)."""
    if action_type not in ("publish", "unpublish"):
        return None
    pages = [obj for obj in objects if isinstance(obj, Page)]
    if not pages:
        return None
    if action_type == "unpublish" or any(
        override_reason_required(owner_id=page.owner_id, user=request.user) for page in pages
    ):
        messages.error(
            request,
            gettext(
                "Refused: unpublishing a page, or publishing a page another staff member "
                "owns, is done one page at a time with a reason."
            ),
        )
        return redirect(
            get_valid_next_url_from_request(request) or reverse("wagtailadmin_explore_root")
        )
    return None
