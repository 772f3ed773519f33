"""What the public pages read from the registry (policy P1, O): the footer's links to the
centre's social media accounts and the ``sameAs`` of the pages' Organization data; and,
through the pages' seam (``csce.pages.centre_accounts``, set in apps.py), the networks the
social post drafts are counted for and the share tags' ``twitter:site``.

Cached under the pages' content generation (csce/pages/cache.py), which a save or a
deletion of a property starts anew (signals.py); a cache that loses its key reads the
registry again. The page's query budget (csce/pages/tests) holds: one query when cold,
none warm.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.cache import cache

from csce.pages.cache import TIMEOUT, cache_key
from csce.pages.centre_accounts import CentreAccounts

from .models import OnlineProperty, PropertyKind

# An X account's name: letters, digits and "_", at most 15 (X's own rule). Anything else
# in the registry (a typo, markup) is not written into the share tags.
X_HANDLE = re.compile(r"@?([A-Za-z0-9_]{1,15})")
X_HOSTS = frozenset({"x.com", "www.x.com", "twitter.com", "www.twitter.com"})


def x_handle(*, handle: str, url: str) -> str:
    """The account's "@name" from its handle, else from its address on X; empty when
    neither is a valid X name."""
    match = X_HANDLE.fullmatch((handle or "").strip())
    if match is None and not (handle or "").strip():
        parts = urlsplit(url or "")
        segments = [part for part in parts.path.split("/") if part]
        if (parts.hostname or "").lower() in X_HOSTS and len(segments) == 1:
            match = X_HANDLE.fullmatch(segments[0])
    return f"@{match.group(1)}" if match else ""


def public_properties() -> dict:
    """``{"links": [{kind, name, url}], "website": url, "network_keys": [kind],
    "x_handle": "@name"}``: the links shown in the footer (never the website itself) in
    the AED's order, the website's address, the kinds of every registered account, and
    the first X account shown in the footer. One query, cached."""
    key = cache_key("properties")
    data = cache.get(key)
    if data is None:
        rows = list(
            OnlineProperty.objects.order_by("sort_order", "name", "pk").values(
                "kind", "name", "url", "handle", "shown_in_footer"
            )
        )
        shown = [row for row in rows if row["shown_in_footer"]]
        data = {
            "links": [
                {"kind": row["kind"], "name": row["name"], "url": row["url"]}
                for row in shown
                if row["kind"] != PropertyKind.WEBSITE
            ],
            "website": next(
                (row["url"] for row in shown if row["kind"] == PropertyKind.WEBSITE), ""
            ),
            "network_keys": sorted(
                {row["kind"] for row in rows} - {PropertyKind.WEBSITE, PropertyKind.OTHER}
            ),
            "x_handle": next(
                (
                    found
                    for row in shown
                    if row["kind"] == PropertyKind.X
                    and (found := x_handle(handle=row["handle"], url=row["url"]))
                ),
                "",
            ),
        }
        cache.set(key, data, TIMEOUT)
    return data


def centre_accounts_read() -> CentreAccounts:
    """The registry's answer to the pages' seam (policy O): from the cached read above."""
    data = public_properties()
    return CentreAccounts(
        network_keys=frozenset(str(kind) for kind in data.get("network_keys", ())),
        x_handle=data.get("x_handle", ""),
    )
