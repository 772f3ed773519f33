"""The privacy app's place in the Wagtail admin."""

from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.models import Locale
from wagtail.snippets.views.snippets import SnippetViewSet

from csce.common.numbers import number_from_url

from .admin_views import VIEW_PERMISSION, requests_overview
from .models.records import Processor
from .notice import notice_versions_around, notice_versions_list
from .notice_versions import notice_page_model, notice_review_status
from .viewsets import PrivacyRequestViewSet

# --- Processors register, notice versions and their compliance panel (policy F, P3) ---


NOTICE_VERSION_PERMISSION = "privacy.view_privacynoticeversion"


class YesNoColumn(Column):
    """A yes/no field read as words in the admin's language, never "True"."""

    def get_value(self, instance):
        return gettext("Yes") if super().get_value(instance) else gettext("No")


def processors_one_row_each():
    """Each processor once: its row in the default language when it has one (else its only
    row), with the English translation's name annotated; two queries at most per page."""
    default = Locale.get_default()
    english = Processor.objects.filter(
        translation_key=OuterRef("translation_key"), locale__language_code="en"
    ).values("name")[:1]
    in_default = Processor.objects.filter(locale=default).values("translation_key")
    return (
        Processor.objects.filter(Q(locale=default) | ~Q(translation_key__in=in_default))
        .select_related("locale")
        .annotate(name_en=Subquery(english))
    )


class ProcessorViewSet(SnippetViewSet):
    """Policy F: every third party that receives data, kept by the Privacy Officer."""

    model = Processor
    icon = "site"
    menu_label = _("Processors")
    menu_name = "processors"
    url_prefix = "privacy/processors"
    list_filter = ["category", "active"]

    @property
    def list_display(self):
        return [
            "name",
            Column("name_en", label=_("Name in English")),
            "category",
            "location",
            "agreement_date",
            YesNoColumn("active", label=_("Active")),
        ]

    def get_queryset(self, request):
        """Policy P2: one row per processor, both languages on it (its French name, then
        its English one), not one row per translation."""
        return processors_one_row_each()

    panels = [
        FieldPanel("name"),
        FieldPanel("category"),
        FieldPanel("data_received"),
        FieldPanel("purpose"),
        FieldPanel("location"),
        FieldPanel("agreement_date"),
        FieldPanel("agreement_reference"),
        FieldPanel("active"),
    ]


class PrivacyViewSetGroup(ViewSetGroup):
    """The "Privacy" menu; each privacy screen adds its viewset to ``items``."""

    menu_label = _("Privacy")
    menu_icon = "lock"
    menu_order = 270
    items = (PrivacyRequestViewSet, ProcessorViewSet)


@hooks.register("register_admin_viewset")
def register_privacy_viewset_group():
    return PrivacyViewSetGroup()


@hooks.register("before_serve_page")
def privacy_notice_versions_serve(page, request, serve_args, serve_kwargs):
    """``?versions`` lists the notice's past versions, ``?version=N`` shows one (PHIPA
    s.16, policy V). Always in the page's own language; a query string keeps these
    out of the anonymous page cache."""
    if request.method not in ("GET", "HEAD") or not isinstance(page, notice_page_model()):
        return None
    language = page.locale.language_code
    context = {"page": page, "self": page}
    if "versions" in request.GET:
        context["notice_versions"] = list(notice_versions_list(language=language))
        return TemplateResponse(request, "privacy/notice_versions.html", context)
    if "version" in request.GET:
        number = number_from_url(request.GET["version"])
        if number is None:
            raise Http404
        version, following = notice_versions_around(language=language, number=number)
        if version is None:
            raise Http404
        context.update(version=version, replaced_at=following and following.published_at)
        return TemplateResponse(request, "privacy/notice_version.html", context)
    return None


class PrivacyNoticePanel(Component):
    """Policy V and X: the notice version in force, its next review, its processors."""

    name = "privacy_notice"
    order = 130
    template_name = "privacy/notice_panel.html"

    def get_context_data(self, parent_context=None):
        return {"languages": notice_review_status()}


@hooks.register("construct_homepage_panels")
def privacy_notice_panel(request, panels) -> None:
    if request.user.has_perm(NOTICE_VERSION_PERMISSION):
        panels.append(PrivacyNoticePanel())


class PrivacyRequestsPanel(Component):
    """Policy P9, P10: the Privacy Officer sees at a glance what is due and what is late."""

    name = "privacy_requests"
    # The Privacy Officer's day starts here (before the compliance panels).
    order = 20
    template_name = "privacy/admin/requests_panel.html"

    def get_context_data(self, parent_context=None):
        return requests_overview()


@hooks.register("construct_homepage_panels")
def privacy_requests_panel(request, panels) -> None:
    if request.user.has_perm(VIEW_PERMISSION):
        panels.append(PrivacyRequestsPanel())
