"""Where the site keeps its acceptable-use rules (policy U), linked beside the comment
form and on the report page.

The rules are an ordinary page that editors write and translate: the one whose slug is in
``ACCEPTABLE_USE_SLUGS`` (the demo's « Utilisation acceptable », ``utilisation-acceptable``
in French and ``acceptable-use`` in English). Found in the visitor's language first, then
in any language; kept in the page cache under the content generation, so a renamed or
unpublished page is seen at once and a warm page pays no query for it. No page found:
the forms name the rules without a link.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils.translation import get_language
from wagtail.models import Page

from csce.pages.cache import TIMEOUT, cache_key, live_public, site_for_request

ACCEPTABLE_USE_SLUGS = ("utilisation-acceptable", "acceptable-use")


def acceptable_use_url(request) -> str:
    """The URL of the acceptable-use page in the visitor's language, or ""."""
    site = site_for_request(request) if request is not None else None
    if site is None:
        return ""
    language = get_language() or "fr"
    key = cache_key("acceptable_use", site.pk, language)
    url = cache.get(key)
    if url is None:
        pages = list(
            live_public(Page.objects.filter(slug__in=ACCEPTABLE_USE_SLUGS))
            .select_related("locale")
            .order_by("path")
        )
        chosen = next((p for p in pages if p.locale.language_code == language), None)
        chosen = chosen or (pages[0] if pages else None)
        url = (chosen.get_url(request=request) or "") if chosen is not None else ""
        cache.set(key, url, TIMEOUT)
    return url
