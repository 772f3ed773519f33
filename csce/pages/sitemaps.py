"""sitemap.xml listing every live public page in both languages, with hreflang alternates."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class BilingualSitemap(Sitemap):
    """Wagtail's sitemap covers only the default locale's tree; ours covers each language."""

    def items(self):
        site = self.get_wagtail_site()
        homes = site.root_page.get_translations(inclusive=True)
        query = Page.objects.none()
        for home in homes:
            query = query | Page.objects.descendant_of(home, inclusive=True)
        return query.live().public().select_related("locale").order_by("path")

    def _absolute(self, page) -> str:
        # The address the visitor used (checked against ALLOWED_HOSTS), not the host
        # recorded on the Wagtail site, which need not match where the site is served.
        url = page.get_url(self.request)
        return self.request.build_absolute_uri(url) if self.request is not None else url

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        by_key: dict = defaultdict(dict)
        for item in pages:
            by_key[item.translation_key][item.locale.language_code] = self._absolute(item)
        urls = []
        for item in pages:
            versions = by_key[item.translation_key]
            alternates = [
                {"lang_code": code, "location": versions[code]}
                for code, _name in settings.LANGUAGES
                if code in versions
            ]
            if settings.LANGUAGE_CODE in versions and len(alternates) > 1:
                alternates.append(
                    {"lang_code": "x-default", "location": versions[settings.LANGUAGE_CODE]}
                )
            urls.append(
                {
                    "item": item,
                    "location": versions[item.locale.language_code],
                    "lastmod": item.last_published_at or item.latest_revision_created_at,
                    "alternates": alternates if len(alternates) > 1 else [],
                }
            )
        return urls
