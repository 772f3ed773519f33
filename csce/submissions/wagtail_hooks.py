"""The inboxes' place in the Wagtail admin, and Wagtail's own form submissions kept out.

Policy F: Wagtail shows a form's submissions to whoever may edit the form page; ours are
seen only in the inboxes, by the members of each item's group.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import dashboard
from .inbox import admin_views
from .inbox.selectors import user_has_inbox
from .models.pages import form_page_models
from .programs.roster import roster_urlpatterns
from .surveys.results import results_urlpatterns


class InboxMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return user_has_inbox(user=request.user)


class InboxViewSet(ViewSet):
    name = "submissions_admin"
    url_prefix = "inboxes"
    icon = "mail"
    menu_label = _("Inboxes")
    menu_name = "inboxes"
    menu_order = 250
    add_to_admin_menu = True
    menu_item_class = InboxMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.InboxIndexView.as_view(), name="index"),
            path(
                "results/",
                admin_views.InboxIndexView.as_view(results_only=True),
                name="index_results",
            ),
            path("<int:pk>/", admin_views.SubmissionDetailView.as_view(), name="detail"),
            path("<int:pk>/close/", admin_views.SubmissionCloseView.as_view(), name="close"),
            path("export/<int:page_id>/", admin_views.submissions_export_view, name="export"),
            # Attached files, survey results and program rosters: the same need-to-know
            # rule, same namespace.
            path(
                "submission-files/<int:pk>/",
                admin_views.submission_file_download,
                name="submission_file_download",
            ),
            *results_urlpatterns(),
            *roster_urlpatterns(),
        ]

    @cached_property
    def menu_url(self):
        return reverse("submissions_admin:index")


@hooks.register("register_admin_viewset")
def register_inbox_viewset():
    return InboxViewSet()


@hooks.register("filter_form_submissions_for_user")
def hide_our_forms_from_wagtail_submissions(user, editable_forms):
    # Editing a form page gives no right to read what visitors sent through it.
    ours = ContentType.objects.get_for_models(*form_page_models()).values()
    return editable_forms.exclude(content_type__in=list(ours))


@hooks.register("construct_main_menu")
def hide_wagtail_forms_menu(request, menu_items):
    # Every form of the site is ours: the inboxes replace Wagtail's "Forms" menu.
    menu_items[:] = [item for item in menu_items if item.name != "forms"]


@hooks.register("construct_homepage_panels")
def inbox_dashboard_panels(request, panels) -> None:
    # Policy R: Communications and Program staff start with their inboxes and today's
    # sessions (csce/submissions/dashboard.py).
    dashboard.inbox_dashboard_panels(request, panels)
