"""Whole-page cache for anonymous visitors of the public site.

The rendered HTML of a public page is the same for every anonymous visitor in one
language, so it is kept in the shared cache under the current content generation
(``csce.pages.cache``): publishing, moving or deleting a page, or changing the
centre's settings, starts a new generation and no visitor sees stale content.
Nothing personal is cached: staff, requests with a query string, responses that set a
cookie or use a CSRF token, and anything but a 200 are passed through untouched.
Browsers are not told to cache the page, so a publish shows at once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_cache_key, learn_cache_key

from . import cache as page_cache

EXCLUDED_PREFIXES = ("/admin/", "/documents/", "/health/", "/media/", "/static/")


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = settings.PAGE_CACHE_SECONDS
        if not timeout or not self._cacheable_request(request):
            return self.get_response(request)
        prefix = f"page:{page_cache.site_generation()}"
        key = get_cache_key(request, prefix, "GET", cache=cache)
        if key is not None:
            cached = cache.get(key)
            if cached is not None:
                return cached
        response = self.get_response(request)
        if self._cacheable_response(request, response):
            if hasattr(response, "render") and callable(response.render):
                response.add_post_render_callback(
                    lambda r: self._store(request, r, prefix, timeout)
                )
            else:
                self._store(request, response, prefix, timeout)
        return response

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
        return (
            response.status_code == 200
            and not response.cookies
            and not response.streaming
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def _store(request, response, prefix: str, timeout: int) -> None:
        key = learn_cache_key(request, response, timeout, prefix, cache=cache)
        cache.set(key, response, timeout)
