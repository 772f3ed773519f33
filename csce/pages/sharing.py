"""How the centre's pages look when shared, and how long a social post draft is.

Policy C and O: a page shared on the centre's networks shows its own title, summary and
image, in its language (P2), with every address on the centre's own host; nothing here
calls another host. Policy C: each news article carries a draft post per language, and
the editor sees, per network, whether it fits.

The per-network limits live in ``SOCIAL_NETWORKS`` and nowhere else: the editor's script
receives them (and the link pattern) from ``post_rules()``, so the counts the browser
shows and the counts computed here follow the same table.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.images.exceptions import InvalidFilterSpecError
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page, Site

from csce.common.links import public_url

from . import cache as page_cache

# --- Social post drafts -----------------------------------------------------------------

WEIGHTED = "weighted"  # X: most scripts count 1, others and each emoji 2
GRAPHEMES = "graphemes"  # what a reader sees as one character (Bluesky)
CHARACTERS = "characters"  # Unicode code points


@dataclass(frozen=True)
class Network:
    key: str  # the network's key, as the online-property registry names it
    name: str  # a brand name: the same in French and English
    limit: int
    unit: str = CHARACTERS
    link_length: int | None = None  # a link counts as this many, whatever its length


SOCIAL_NETWORKS: tuple[Network, ...] = (
    Network("x", "X", 280, WEIGHTED, link_length=23),
    Network("bluesky", "Bluesky", 300, GRAPHEMES),
    Network("mastodon", "Mastodon", 500, CHARACTERS, link_length=23),
    Network("threads", "Threads", 500),
    Network("instagram", "Instagram", 2200),
    Network("linkedin", "LinkedIn", 3000),
    Network("facebook", "Facebook", 63206),
)


def networks_shown() -> tuple[Network, ...]:
    """The networks the editor counts for. Policy O: once the online-property registry
    lists the centre's accounts, keep those only, e.g.
    ``return tuple(n for n in SOCIAL_NETWORKS if n.key in registered_network_keys())``."""
    return SOCIAL_NETWORKS


# A link as the networks shorten it: from its scheme or "www." to its last character that
# is not closing punctuation. Written so that Python and JavaScript read it the same way.
LINK_PATTERN = r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]'’»]"
_LINK = re.compile(LINK_PATTERN, re.IGNORECASE)
# X's weighting (twitter-text 3): code points in these ranges count 1, others 2.
WEIGHT_ONE_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x10FF),
    (0x2000, 0x200D),
    (0x2010, 0x201F),
    (0x2032, 0x2037),
)
ZWJ = 0x200D
SKIN_TONES = (0x1F3FB, 0x1F3FF)
TAGS = (0xE0020, 0xE007F)
REGIONAL_INDICATORS = (0x1F1E6, 0x1F1FF)
# Where emoji live outside the ranges that count 1 anyway.
EMOJI_FROM = 0x1F000


def _in(code: int, bounds: tuple[int, int]) -> bool:
    return bounds[0] <= code <= bounds[1]


def _extends(code: int) -> bool:
    """Whether this code point belongs to the character before it: a combining mark or
    variation selector, a skin tone, a joiner, an emoji tag."""
    return (
        unicodedata.category(chr(code)).startswith("M")
        or _in(code, SKIN_TONES)
        or code == ZWJ
        or _in(code, TAGS)
    )


def clusters(text: str) -> list[str]:
    """``text`` cut into what a reader sees as single characters: a letter with its
    accents, an emoji with its skin tone or its joined emoji, a flag's two letters."""
    found: list[str] = []
    joined = False
    for char in text:
        code = ord(char)
        last = found[-1] if found else ""
        flag_half = (
            len(last) == 1
            and _in(ord(last), REGIONAL_INDICATORS)
            and _in(code, REGIONAL_INDICATORS)
        )
        if found and (joined or _extends(code) or flag_half):
            found[-1] += char
        else:
            found.append(char)
        joined = code == ZWJ
    return found


def _is_emoji(cluster: str) -> bool:
    codes = [ord(c) for c in cluster]
    return (
        codes[0] >= EMOJI_FROM
        or 0xFE0F in codes
        or 0x20E3 in codes
        or ZWJ in codes
        or any(_in(c, SKIN_TONES) for c in codes)
    )


def _weighted(text: str) -> int:
    total = 0
    for cluster in clusters(text):
        if _is_emoji(cluster):
            total += 2
            continue
        for char in cluster:
            code = ord(char)
            total += 1 if any(_in(code, bounds) for bounds in WEIGHT_ONE_RANGES) else 2
    return total


def _measure(text: str, unit: str) -> int:
    if unit == WEIGHTED:
        return _weighted(text)
    if unit == GRAPHEMES:
        return len(clusters(text))
    return len(text)


def post_length(*, text: str, network: Network) -> int:
    """The length ``network`` counts for ``text`` (normalised as the networks do, NFC)."""
    text = unicodedata.normalize("NFC", text or "")
    if network.link_length is None:
        return _measure(text, network.unit)
    links = _LINK.findall(text)
    rest = _LINK.sub("", text)
    return _measure(rest, network.unit) + network.link_length * len(links)


@dataclass(frozen=True)
class PostCount:
    network: Network
    length: int

    @property
    def remaining(self) -> int:
        return self.network.limit - self.length

    @property
    def over(self) -> bool:
        return self.remaining < 0

    @property
    def status(self) -> str:
        """The count in words, as the editor shows it."""
        if self.over:
            return ngettext(
                "%(count)s character over the limit",
                "%(count)s characters over the limit",
                -self.remaining,
            ) % {"count": -self.remaining}
        return ngettext("%(count)s character left", "%(count)s characters left", self.remaining) % {
            "count": self.remaining
        }


def post_counts(*, text: str) -> list[PostCount]:
    """The draft's length on each network shown, against that network's limit."""
    return [PostCount(n, post_length(text=text, network=n)) for n in networks_shown()]


def post_rules() -> dict[str, Any]:
    """The counting rules for the editor's script: the same table and pattern as here."""
    return {
        "networks": [
            {
                "key": n.key,
                "name": n.name,
                "limit": n.limit,
                "unit": n.unit,
                "link_length": n.link_length,
            }
            for n in networks_shown()
        ],
        "link_pattern": LINK_PATTERN,
        "weight_one_ranges": [list(bounds) for bounds in WEIGHT_ONE_RANGES],
        "emoji_from": EMOJI_FROM,
        "messages": {
            "left": [
                ngettext("%(count)s character left", "%(count)s characters left", 1),
                ngettext("%(count)s character left", "%(count)s characters left", 2),
            ],
            "over": [
                ngettext(
                    "%(count)s character over the limit", "%(count)s characters over the limit", 1
                ),
                ngettext(
                    "%(count)s character over the limit", "%(count)s characters over the limit", 2
                ),
            ],
            "all_fit": _("The post fits on every network."),
            "too_long": _("Too long for: %(networks)s."),
            "copied": _("Post copied."),
            "copy_failed": _("Copying failed: select the text and copy it yourself."),
        },
    }


# --- Open Graph and Twitter-card metadata -----------------------------------------------

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
        from .models import CentreSettings  # the models' editor widget imports this module

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
    }
    if data["type"] == "article":
        data["published_time"] = own.get("published_time", "")
        data["modified_time"] = own.get("modified_time", "")
    return data
