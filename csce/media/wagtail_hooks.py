"""The media rights report in the Reports menu, the bulk publish pre-check, and the
history line of a refused scheduled publication (policy C)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.models import Page

from . import views
from .notices import SCHEDULED_REFUSED_ACTION
from .publication import publication_refusal_html
from .selectors import page_media_problems


@hooks.register("register_admin_urls")
def media_admin_urls():
    return [path("reports/media-rights/", views.media_report_view, name="media_expiry_report")]


class MediaReportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return views.media_report_allowed(request.user)


@hooks.register("register_reports_menu_item")
def media_report_menu_item():
    return MediaReportMenuItem(
        _("Media rights"),
        reverse("media_expiry_report"),
        name="media-rights",
        icon_name="image",
        order=720,
    )


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def submission_media_warning(request, page):
    """Sent for approval with media that would stop the publication: the creator is told
    now, with the links, rather than the AED at approval (policy C, P2). A warning only:
    submitting is not publishing."""
    if request.method != "POST" or "action-submit" not in request.POST:
        return None
    from django.utils import timezone

    problems = page_media_problems(
        page=page.get_latest_revision_as_object(), today=timezone.localdate()
    )
    if problems:
        messages.warning(
            request,
            format_html(
                "{} {}",
                gettext("The approver will not be able to publish this page as it is."),
                publication_refusal_html(problems=problems),
            ),
        )
    return None


@hooks.register("before_bulk_action")
def bulk_publish_media_check(request, action_type, objects, action_class_instance):
    """Bulk publish checks every selected page (and the drafts below them, when those are
    included) before publishing any: all or none, with the list of what to fix. The gate
    on the publish action (publication.py) refuses anyway; this keeps a batch whole."""
    if action_type != "publish" or not issubclass(action_class_instance.model, Page):
        return None
    from django.utils import timezone

    today = timezone.localdate()
    pages = list(objects)
    if request.POST.get("include_descendants"):
        for page in list(pages):
            pages.extend(page.get_descendants().not_live().specific())
    refused = []
    for page in pages:
        problems = page_media_problems(page=page.get_latest_revision_as_object(), today=today)
        if problems:
            refused.append((page, problems))
    if not refused:
        return None
    messages.error(
        request,
        format_html(
            "{}{}",
            gettext("No page was published."),
            format_html_join(
                "",
                "<p><strong>{}</strong></p>{}",
                (
                    (page.get_admin_display_title(), publication_refusal_html(problems=problems))
                    for page, problems in refused
                ),
            ),
        ),
    )
    return redirect(action_class_instance.next_url or reverse("wagtailadmin_explore_root"))


@hooks.register("register_log_actions")
def media_log_actions(actions):
    @actions.register_action(SCHEDULED_REFUSED_ACTION)
    class ScheduledRefusedFormatter(LogFormatter):
        label = _("Scheduled publication refused")
        message = _(
            "Not published at its scheduled time: its media are not in order; the owner "
            "and the Assistant Executive Director were told"
        )
