"""Cached reads for what every public page shows: the menu and the centre's contacts.

Each cached value carries the site's content generation in its key; publishing,
unpublishing, moving or deleting a page, or saving the centre's settings, starts a
new generation, so no stale menu or footer outlives a change.
"""

from __future__ import annotations

from django.core.cache import cache
from wagtail.models import Locale, Page, Site

GENERATION_KEY = "pages:generation"
TIMEOUT = 60 * 60 * 24


def site_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = 1
        cache.add(GENERATION_KEY, generation, None)
    return generation


def site_generation_bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def _key(name: str, *parts: object) -> str:
    return ":".join(["pages", name, str(site_generation()), *map(str, parts)])


def menu_items(*, site: Site, language: str) -> list[dict[str, str]]:
    """Top-level pages of the home page in ``language`` that editors put in menus."""
    key = _key("menu", site.pk, language)
    items = cache.get(key)
    if items is None:
        home = site.root_page
        try:
            locale = Locale.objects.get(language_code=language)
            home = home.get_translation(locale)
        except (Locale.DoesNotExist, Page.DoesNotExist):
            pass
        items = [
            {"title": page.title, "url": page.get_url(), "path": page.url_path}
            for page in home.get_children().live().public().in_menu().order_by("path")
        ]
        cache.set(key, items, TIMEOUT)
    return items


def centre_contacts(*, site: Site) -> dict:
    """The centre's settings with their opening hours, as plain data for templates."""
    from .models import CentreSettings

    key = _key("centre", site.pk)
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
    key = _key("footer", site.pk, language)
    links = cache.get(key)
    if links is None:
        page_ids = centre_contacts(site=site)["footer_pages"]
        chosen = {p.pk: p for p in Page.objects.filter(pk__in=page_ids)}
        keys = [p.translation_key for p in chosen.values()]
        translated = {
            p.translation_key: p
            for p in Page.objects.live()
            .public()
            .filter(translation_key__in=keys, locale__language_code=language)
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
