"""The privacy app's page: the top of the app, above the portal it serves."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from csce.pages.blocks import RICH_TEXT_FEATURES
from csce.pages.models import BasePage

from ..portal import privacy_rights_serve


class PrivacyRightsPage(BasePage):
    """The public privacy-rights portal (policy P9, P10).

    A visitor chooses a right, gives an address and sends; the request exists only once
    the address is confirmed through the e-mailed link (``?confirm=<token>``), which a
    query string keeps out of the page router and the anonymous page cache.
    """

    intro = RichTextField(_("introduction"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro")]

    parent_page_types = ["pages.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("privacy-rights portal")

    def serve(self, request, *args, **kwargs):
        return privacy_rights_serve(self, request)
