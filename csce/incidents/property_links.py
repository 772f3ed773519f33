"""Which entry of the online-property registry an incident's free-text property means
(policy O, R): incidents recorded before the registry named their property in their own
words. Plain functions of the entries' fields, so the migration that links the earlier
incidents and ``incidents_link_to_registry`` share them without importing the registry.

A text matches a property when, compared without case or accents, it is the property's
name, its handle (with or without its @), or its address (scheme and « www. » aside); a
website also matches by its host alone. A text that matches several properties, or none,
stays unlinked."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

WEBSITE = "website"


def text_normalize(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def _address(text: str) -> tuple[str, str]:
    """(host, host and path) of a URL or of « facebook.com/csce »; empty when not one."""
    value = text_normalize(text)
    if " " in value or "." not in value:
        return "", ""
    parts = urlsplit(value if "//" in value else f"//{value}")
    host = (parts.hostname or "").removeprefix("www.")
    if not host or "." not in host:
        return "", ""
    return host, f"{host}{parts.path}".rstrip("/")


def property_keys(*, kind: str, name: str, handle: str, url: str) -> set[str]:
    keys = {text_normalize(name)}
    handle_key = text_normalize(handle)
    if handle_key:
        keys |= {handle_key, handle_key.lstrip("@")}
    host, full = _address(url)
    if full:
        keys.add(full)
    if host and kind == WEBSITE:
        keys.add(host)
    return {key for key in keys if key}


def text_keys(text: str) -> set[str]:
    value = text_normalize(text)
    host, full = _address(text)
    return {key for key in (value, value.lstrip("@"), host, full) if key}


def property_match(text: str, properties: Iterable) -> int | None:
    """The pk of the one property ``text`` names, else None (``properties``: objects with
    pk, kind, name, handle and url, real or historical models)."""
    wanted = text_keys(text)
    if not wanted:
        return None
    found = {
        prop.pk
        for prop in properties
        if wanted & property_keys(kind=prop.kind, name=prop.name, handle=prop.handle, url=prop.url)
    }
    return found.pop() if len(found) == 1 else None
