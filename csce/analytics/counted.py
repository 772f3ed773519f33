"""The paths a page view may be stored for (policy M: nothing unpublished or private
shows on the dashboard). Below ``collection`` and ``recorder``, which both ask."""

from __future__ import annotations

import threading

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, Site

_counted_paths: tuple[tuple, frozenset[str]] = ((), frozenset())
_counted_paths_lock = threading.Lock()


def counted_paths() -> frozenset[str]:
    """Every path a page view may be stored for: the live pages without a view restriction
    (policy M: nothing unpublished or private shows on the dashboard), the search page
    and the export download route (its token replaced), in each language. Two queries;
    the URLs are worked out again only when the pages changed."""
    pages = Page.objects.live().public().filter(depth__gt=1).select_related("locale")
    rows = [(p.pk, p.url_path, p.locale_id) for p in pages]
    key = (tuple(rows), tuple(Site.get_site_root_paths()))
    global _counted_paths
    with _counted_paths_lock:
        if _counted_paths[0] == key:
            return _counted_paths[1]
    by_pk = {p.pk: p for p in pages}
    paths = set()
    for pk, _url_path, _locale in rows:
        parts = by_pk[pk].get_url_parts()
        if parts and parts[2]:
            paths.add(parts[2])
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths.add(reverse("search"))
            paths.add(reverse("privacy_export_download", kwargs={"token": "-"}))
    result = frozenset(paths)
    with _counted_paths_lock:
        _counted_paths = (key, result)
    return result
