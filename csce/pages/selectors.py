"""Reads of public pages: site search across both languages."""

from __future__ import annotations

import re

from wagtail.models import Locale, Page

from .cache import live_public

WORDS = re.compile(r"\w+")


def page_search(*, query: str, language: str, limit: int = 20) -> list[Page]:
    """Live public pages matching ``query`` in either language, shown in ``language``.

    A page found through its French text is shown as its English translation to an
    English visitor (and the other way round); pages with no translation in the
    visitor's language are shown as they are. Each page appears once.
    """
    # Words only: quotes and operators mean syntax to the full-text engines, not to visitors.
    query = " ".join(WORDS.findall(query))
    if not query:
        return []
    hits = list(
        live_public(Page.objects.filter(depth__gt=1)).search(query, operator="and")[: limit * 2]
    )
    try:
        locale = Locale.objects.get(language_code=language)
    except Locale.DoesNotExist:
        return hits[:limit]
    keys = [hit.translation_key for hit in hits if hit.locale_id != locale.pk]
    translated = {
        page.translation_key: page
        for page in live_public(Page.objects.filter(translation_key__in=keys, locale=locale))
    }
    results: list[Page] = []
    seen: set = set()
    for hit in hits:
        page = hit if hit.locale_id == locale.pk else translated.get(hit.translation_key, hit)
        if page.translation_key in seen:
            continue
        seen.add(page.translation_key)
        results.append(page)
        if len(results) == limit:
            break
    return results
