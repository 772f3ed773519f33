"""Whole-page cache for anonymous visitors of the public site.

The rendered HTML of a public page is the same for every anonymous visitor in one
language, so it is kept in the shared cache under the current content generation
(``csce.pages.cache``, kept in the database): publishing, moving or deleting a page,
restricting it, or changing the centre's settings, starts a new generation and no
visitor sees stale content, even after the cache lost its own keys (policy M).
Nothing personal is cached: staff, requests with a query string, responses that set a
cookie or use a CSRF token, pages with a view restriction (decided from the database
when storing), and anything but a 200 are passed through untouched.
The key also holds which site alerts show at the time of the request (``alerts.py``): a
page rendered before an alert started or ended is not served after, though no one
saved anything. The key holds only what the site itself bounds (generation, alerts
showing, scheme, an allowed host, language, the path of a page that exists), never a
header the visitor chooses, so
anonymous requests cannot grow the cache beyond one entry per page and language.
Browsers are not told to cache the page, so a publish shows at once.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language

from csce.common.guards import generations_per_request

from . import alerts
from . import cache as page_cache

EXCLUDED_PREFIXES = ("/admin/", "/documents/", "/health/", "/media/", "/static/")
# Headers a cached response may vary on: the language is in the key, and the session
# (Cookie) of an anonymous visitor changes nothing once restricted pages are excluded.
KEYED_VARY = {"accept-language", "cookie"}


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Every generation is read from the database once per request, however many
        # cached values the page uses.
        with generations_per_request():
            return self._serve(request)

    def _serve(self, request: HttpRequest) -> HttpResponse:
        timeout = settings.PAGE_CACHE_SECONDS
        if not timeout or not self._cacheable_request(request):
            return self.get_response(request)
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        cached = cache.get(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if self._cacheable_response(request, response):
            if hasattr(response, "render") and callable(response.render):
                response.add_post_render_callback(lambda r: self._store(key, r, timeout))
            else:
                self._store(key, response, timeout)
        return response

    @staticmethod
    def _key(request: HttpRequest) -> str | None:
        host = request.get_host()
        if host.split(":")[0] not in _bounded_hosts():
            return None
        digest = hashlib.sha256(
            f"{request.scheme}://{host}{request.path}".encode("utf-8", "surrogateescape")
        ).hexdigest()[:40]
        # The banner is rendered for the same instant (csce/pages/templatetags/site_tags.py).
        now = timezone.now()
        setattr(request, alerts.REQUEST_TIME, now)
        shown = alerts.alerts_state(now=now)
        return f"page:{page_cache.site_generation()}:{shown}:{get_language()}:{digest}"

    @staticmethod
    def _cacheable_request(request: HttpRequest) -> bool:
        return (
            request.method in ("GET", "HEAD")
            and not request.GET
            and not request.path.startswith(EXCLUDED_PREFIXES)
            and not request.user.is_authenticated
        )

    @staticmethod
    def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
        vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
        route = getattr(request, "_wagtail_route_for_request", None)
        return (
            response.status_code == 200
            and not response.cookies
            and not response.streaming
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
            and vary <= KEYED_VARY
            # Policy M: a restricted page (login, password, groups) is never shared.
            and not (route is not None and page_cache.page_restricted(route.page))
        )

    @staticmethod
    def _store(key: str, response, timeout: int) -> None:
        cache.set(key, response, timeout)


def _bounded_hosts() -> set[str]:
    """Hosts whose pages are cached: those the site answers to, never a wildcard, so a
    visitor inventing host names (when ALLOWED_HOSTS allows any) cannot add entries."""
    hosts = {h for h in settings.ALLOWED_HOSTS if h and "*" not in h and not h.startswith(".")}
    return hosts | {site.hostname for site in page_cache.site_list()}
