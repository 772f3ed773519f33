"""The social post drafts of news articles: their length on each network (policy C).

The per-network limits live in ``SOCIAL_NETWORKS`` and nowhere else: the editor's script
receives them (and the link pattern) from ``post_rules()``, so the counts the browser
shows and the counts computed here follow the same table.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .centre_accounts import centre_accounts

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


def networks_registered() -> tuple[Network, ...]:
    """The networks the online-property registry lists an account of the centre on
    (policy O), in the table's order; empty when it lists none of them."""
    keys = centre_accounts().network_keys
    return tuple(n for n in SOCIAL_NETWORKS if n.key in keys)


def networks_shown() -> tuple[Network, ...]:
    """The networks the editor counts for: the centre's own (policy O), or every network
    when the registry lists none of them (the widget says which it is)."""
    return networks_registered() or SOCIAL_NETWORKS


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
