"""What the public pages read from the registry (policy P1, O): the footer's links to the
centre's social media accounts and the ``sameAs`` of the pages' Organization data.

Cached under the pages' content generation (csce/pages/cache.py), which a save or a
deletion of a property starts anew (signals.py); a cache that loses its key reads the
registry again. The page's query budget (csce/pages/tests) holds: one query when cold,
none warm.
"""

from __future__ import annotations

from django.core.cache import cache

from csce.pages.cache import TIMEOUT, cache_key

from .models import OnlineProperty, PropertyKind


def public_properties() -> dict:
    """``{"links": [{kind, label, name, url}], "website": url}``: the links shown in the
    footer (never the website itself) in the AED's order, and the website's address."""
    key = cache_key("properties")
    data = cache.get(key)
    if data is None:
        rows = list(
            OnlineProperty.objects.filter(shown_in_footer=True)
            .order_by("sort_order", "name", "pk")
            .values("kind", "name", "url")
        )
        data = {
            "links": [row for row in rows if row["kind"] != PropertyKind.WEBSITE],
            "website": next(
                (row["url"] for row in rows if row["kind"] == PropertyKind.WEBSITE), ""
            ),
        }
        cache.set(key, data, TIMEOUT)
    return data
