"""How the centre's pages look when shared: their Open Graph and Twitter-card values.

Policy C and O: a page shared on the centre's networks shows its own title, summary and
image, in its language (P2), with every address on the centre's own host; nothing here
calls another host. The news articles' post drafts: ``social_posts.py``.
"""

from __future__ import annotations

import html

from django.core.cache import cache
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.images.exceptions import InvalidFilterSpecError
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page, Site

from csce.common.links import public_url

from . import cache as page_cache
from .centre_accounts import centre_accounts
from .models import CentreSettings

# Open Graph names a language with its country: the centre is in Ontario.
OG_LOCALES = {"fr": "fr_CA", "en": "en_CA"}
# The size every network shows large (1.91:1); a smaller original keeps its own size.
SHARE_IMAGE_FILTER = "fill-1200x630"
DESCRIPTION_LENGTH = 300


def _plain(markup: str) -> str:
    return " ".join(html.unescape(strip_tags(markup or "")).split())


def image_share_data(*, image, alt: str) -> dict | None:
    """The share size of ``image`` on the centre's own host, or None when it cannot be
    made (a missing or unreadable file) or would be served from another host: then the
    page falls back to the centre's image rather than failing or pointing elsewhere."""
    try:
        rendition = image.get_rendition(SHARE_IMAGE_FILTER)
    except (SourceImageIOError, InvalidFilterSpecError, OSError, ValueError):
        return None
    url = own_host_url(rendition.url)
    if url is None:
        return None
    return {"url": url, "width": rendition.width, "height": rendition.height, "alt": alt}


def own_host_url(url: str) -> str | None:
    """``url`` made absolute on the site's public address; None for another host's."""
    if url.startswith("//") or "://" in url:
        root = public_url("/")
        return url if url.startswith(root) else None
    return public_url(url)


def _page_description(page: Page) -> str:
    """The page's summary, else its introduction (the home page's welcome text)."""
    for text in (
        page.search_description,
        _plain(str(getattr(page, "intro", "") or "")),
        getattr(page, "hero_text", ""),
    ):
        text = " ".join((text or "").split())
        if text:
            return Truncator(text).chars(DESCRIPTION_LENGTH)
    return ""


def _page_image(page: Page) -> dict | None:
    """The first image of the page's content that has alternative text (a decorative
    image tells a reader of the share nothing)."""
    body = getattr(page, "body", None)
    if body is None:
        return None
    for block in body:
        if block.block_type != "image" or block.value is None:
            continue
        image = block.value
        alt = (getattr(image, "contextual_alt_text", "") or "").strip()
        if getattr(image, "decorative", False) or not alt:
            continue
        found = image_share_data(image=image, alt=alt)
        if found is not None:
            return found
    return None


def page_share_data(*, page: Page) -> dict:
    """What a share of ``page`` shows of its own, cached for the content generation
    (publishing, or changing an image, starts a new one)."""
    key = page_cache.cache_key("share", page.pk)
    data = cache.get(key)
    if data is None:
        data = {"description": _page_description(page), "image": _page_image(page)}
        if getattr(page, "share_type", "website") == "article":
            data["type"] = "article"
            published = getattr(page, "date", None) or page.first_published_at
            data["published_time"] = published.isoformat() if published else ""
            data["modified_time"] = (
                page.last_published_at.isoformat() if page.last_published_at else ""
            )
        cache.set(key, data, page_cache.TIMEOUT)
    return data


def site_share_data(*, site: Site, language: str) -> dict:
    """The centre's own description and share image, in ``language``: what a page
    without its own shows."""
    key = page_cache.cache_key("share-site", site.pk, language)
    data = cache.get(key)
    if data is None:
        centre = CentreSettings.for_site(site)
        english = language.startswith("en")
        description = (english and centre.description_en) or centre.description
        alt = (english and centre.share_image_alt_en) or centre.share_image_alt
        image = None
        if centre.share_image_id and alt:
            image = image_share_data(image=centre.share_image, alt=alt)
        data = {
            "name": (english and centre.name_en) or centre.name,
            "description": " ".join(description.split()),
            "image": image,
        }
        cache.set(key, data, page_cache.TIMEOUT)
    return data


def share_metadata(
    *, page: Page | None, path: str, title: str, language: str, languages: list[str], site
) -> dict:
    """Every Open Graph and Twitter-card value of one response.

    ``path`` is the request's path (never its host: policy M, a forged Host header
    cannot put another address in a cached page); ``languages`` the codes of this
    page's live translations, the current one included."""
    own = page_share_data(page=page) if isinstance(page, Page) and page.pk else {}
    centre = site_share_data(site=site, language=language) if site is not None else {}
    image = own.get("image") or centre.get("image")
    data = {
        "title": title,
        "description": own.get("description") or centre.get("description", ""),
        "type": own.get("type", "website"),
        "url": public_url(path),
        "site_name": centre.get("name", ""),
        "locale": OG_LOCALES.get(language, OG_LOCALES["fr"]),
        "locale_alternates": [
            OG_LOCALES[code] for code in languages if code != language and code in OG_LOCALES
        ],
        "image": image,
        "card": "summary_large_image" if image else "summary",
        # Policy O: the centre's own X account, from the registry (cached with the pages).
        "twitter_site": centre_accounts().x_handle,
    }
    if data["type"] == "article":
        data["published_time"] = own.get("published_time", "")
        data["modified_time"] = own.get("modified_time", "")
    return data
