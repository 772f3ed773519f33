"""Cached reads for what every public page shows: the menu and the centre's contacts.

Each cached value carries the site's content generation in its key; publishing,
unpublishing, moving or deleting a page, or saving the centre's settings, starts a
new generation, so no stale menu or footer outlives a change. The generation itself is
kept in the database (``csce.common.guards``): a cache that forgets a key only costs a
recomputation, never an older generation coming back (policy M).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http.request import split_domain_port
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from csce.common.guards import generation_bump, generation_read

GENERATION = "pages"
TIMEOUT = 60 * 60 * 24


def site_generation() -> int:
    return generation_read(name=GENERATION)


def site_generation_bump() -> None:
    generation_bump(name=GENERATION)


def cache_key(name: str, *parts: object) -> str:
    return ":".join(["pages", name, str(site_generation()), *map(str, parts)])


def site_list() -> list[Site]:
    """Every site, with its root page: one cache entry however many hosts visitors send."""
    key = cache_key("sites")
    sites = cache.get(key)
    if sites is None:
        sites = list(Site.objects.select_related("root_page").order_by("pk"))
        cache.set(key, sites, TIMEOUT)
    return sites


def _site_match(sites: list[Site], hostname: str, port: int) -> Site | None:
    """Wagtail's ``get_site_for_hostname``, on the cached list instead of a query."""

    def rank(site: Site) -> int:
        if site.hostname == hostname:
            return 0 if site.port == port else 1 if site.is_default_site else 3
        return 2

    found = sorted((s for s in sites if s.hostname == hostname or s.is_default_site), key=rank)
    if not found:
        return None
    if len(found) == 1 or rank(found[0]) < 2:
        return found[0]
    if rank(found[0]) == 2:
        return found[len(found) == 2]
    return None


def site_for_request(request) -> Site | None:
    """Wagtail's site lookup, from the cached list of sites; Wagtail reuses it through the
    request. Keyed by nothing the visitor sends, so random hosts cannot fill the cache."""
    if getattr(request, "_wagtail_site", None) is not None:
        return request._wagtail_site
    hostname = split_domain_port(request._get_raw_host())[0]
    try:
        port = int(request.get_port())
    except (TypeError, ValueError):
        port = 80
    site = _site_match(site_list(), hostname, port)
    if site is None:
        return None
    request._wagtail_site = site
    return site


def route_for_request(request, path: str, *, language: str) -> None:
    """Resolve the page for ``path`` in one query when its route is already known.

    The route (page id and type, never content) is cached per site, language and path
    for the current content generation; Wagtail's ``serve`` then finds it on the request
    (``request._wagtail_route_for_request``, its documented per-request cache).
    Only routes that found a page are cached, so unknown paths cannot fill the cache.
    """
    site = site_for_request(request)
    if site is None:
        return
    digest = hashlib.sha256(path.encode()).hexdigest()[:32]
    key = cache_key("route", site.pk, language, digest)
    ref = cache.get(key)
    if ref is not None:
        model = ContentType.objects.get_for_id(ref[0]).model_class()
        page = model.objects.filter(pk=ref[1], live=True).first() if model else None
        if page is not None:
            request._wagtail_route_for_request = RouteResult(page)
            return
    result = Page.route_for_request(request, path)
    if result is not None and not result.args and not result.kwargs:
        cache.set(key, (result.page.content_type_id, result.page.pk), TIMEOUT)


def page_restricted(page: Page) -> bool:
    """Whether ``page`` or an ancestor has a view restriction, read from the database."""
    return PageViewRestriction.objects.filter(
        page__path__in=[
            page.path[:i] for i in range(Page.steplen, len(page.path) + 1, Page.steplen)
        ]
    ).exists()


def restricted_paths() -> list[str]:
    """Tree paths of pages with a view restriction (usually none at all)."""
    key = cache_key("restricted")
    paths = cache.get(key)
    if paths is None:
        paths = list(PageViewRestriction.objects.values_list("page__path", flat=True))
        cache.set(key, paths, TIMEOUT)
    return paths


def live_public(queryset: QuerySet) -> QuerySet:
    """``queryset.live().public()`` without a query for restrictions when there are none."""
    queryset = queryset.live()
    paths = restricted_paths()
    if not paths:
        return queryset
    private = Q()
    for path in paths:
        private |= Q(path__startswith=path)
    return queryset.exclude(private)


def page_versions(page: Page, *, request) -> dict[str, dict]:
    """Live translations of ``page`` by language code: their URLs, for switcher and hreflang.

    A language with no live translation (policy P2: a translation waits for approval) is
    there too, ``missing``, with the URL of that language's home page, where the switcher
    sends the visitor instead."""
    key = cache_key("versions", page.pk)
    versions = cache.get(key)
    if versions is None:
        versions = {
            p.locale.language_code: {"url": p.get_url(request=request), "missing": False}
            for p in page.get_translations(inclusive=True).live().select_related("locale")
        }
        absent = [code for code, _name in settings.LANGUAGES if code not in versions]
        if absent:
            site = site_for_request(request) if request is not None else None
            root = site.root_page if site is not None else None
            homes = {}
            if root is not None:
                homes = {
                    home.locale.language_code: home.get_url(request=request)
                    for home in Page.objects.filter(
                        translation_key=root.translation_key, locale__language_code__in=absent
                    )
                    .live()
                    .select_related("locale")
                }
            for code in absent:
                versions[code] = {"url": homes.get(code) or f"/{code}/", "missing": True}
        cache.set(key, versions, TIMEOUT)
    return versions


def page_breadcrumbs(page: Page) -> list[dict[str, str]]:
    """Titles and URLs of the page's ancestors, from its home page down."""
    key = cache_key("crumbs", page.pk)
    crumbs = cache.get(key)
    if crumbs is None:
        ancestors = (
            page.get_ancestors().filter(depth__gt=1).only("title", "url_path", "path", "depth")
        )
        crumbs = [{"title": a.title, "url": a.get_url()} for a in ancestors]
        cache.set(key, crumbs, TIMEOUT)
    return crumbs


def menu_items(*, site: Site, language: str) -> list[dict[str, str]]:
    """Top-level pages of the home page in ``language`` that editors put in menus."""
    key = cache_key("menu", site.pk, language)
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
            for page in live_public(home.get_children()).in_menu().order_by("path")
        ]
        cache.set(key, items, TIMEOUT)
    return items
