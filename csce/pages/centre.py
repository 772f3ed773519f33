"""Cached reads of the centre's settings for every page: contacts, hours, footer links.

Above the page models (``CentreSettings``) and the cache keyed by the site's content
generation, which a save of the settings starts anew (policy M).
"""

from __future__ import annotations

from django.core.cache import cache
from wagtail.models import Page, Site

from .cache import TIMEOUT, cache_key, live_public
from .models import CentreSettings


def centre_contacts(*, site: Site) -> dict:
    """The centre's settings with their opening hours, as plain data for templates."""
    key = cache_key("centre", site.pk)
    data = cache.get(key)
    if data is None:
        centre = CentreSettings.for_site(site)
        data = {
            "settings": centre,
            "hours": list(centre.opening_hours.all().order_by("sort_order", "weekday")),
            "footer_pages": [link.page_id for link in centre.footer_links.all()],
        }
        cache.set(key, data, TIMEOUT)
    return data


def footer_links(*, site: Site, language: str) -> list[dict[str, str]]:
    """The footer's pages, each in ``language`` when translated, in the editors' order."""
    key = cache_key("footer", site.pk, language)
    links = cache.get(key)
    if links is None:
        page_ids = centre_contacts(site=site)["footer_pages"]
        chosen = {p.pk: p for p in Page.objects.filter(pk__in=page_ids)}
        keys = [p.translation_key for p in chosen.values()]
        translated = {
            p.translation_key: p
            for p in live_public(Page.objects.all()).filter(
                translation_key__in=keys, locale__language_code=language
            )
        }
        links = []
        for page_id in page_ids:
            page = chosen.get(page_id)
            if page is None:
                continue
            shown = translated.get(page.translation_key) or (page if page.live else None)
            if shown is not None:
                links.append({"title": shown.title, "url": shown.get_url()})
        cache.set(key, links, TIMEOUT)
    return links


def centre_settings_default() -> CentreSettings:
    """The centre's settings of the default site, for work outside a request (e-mails
    sent by the worker); blank settings when no site exists yet."""
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return CentreSettings() if site is None else CentreSettings.for_site(site)
