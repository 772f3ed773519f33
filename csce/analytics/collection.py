"""Counting one page view from the beacon, without keeping anything that names a person
(policy P4, P5).

What a beacon becomes: the page path (query string dropped but for an allow-list; secret
tokens in the path replaced), the referring site's host only, browser family and major
version, OS family, device class, page language, screen-size class, and a visitor hash:
a keyed BLAKE2b of (the day's random salt; the IP address truncated to its /24 or /48;
the user agent; the site). The full IP address is read from the request and never kept.
The day's salt is random, stored only for its day and deleted at rotation
(``salt_rotate``), so no one, us included, can link a hash to an address afterwards.

Not counted: Global Privacy Control or Do Not Track, known robots, and staff signed in.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
import math
import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone, translation
from django.utils.translation import get_language

from csce.common.client import client_address
from csce.common.spam import same_origin

from .models import Device, PageView, Screen
from .recorder import recorder
from .salts import local_day, salt_for

BEACON_PATH = "/beacon"
MAX_BODY_BYTES = 2048
MAX_PATH_LENGTH = PageView._meta.get_field("path").max_length
# Paths never counted: the admin has no beacon, and these are not pages.
EXCLUDED_PREFIXES = ("/admin/", "/documents/", "/static/", "/media/", BEACON_PATH)

# Outcomes of one beacon, for the response and the tests.
COUNTED = "counted"
REFUSED_PRIVACY = "privacy signal"  # Global Privacy Control or Do Not Track
REFUSED_BOT = "robot"
REFUSED_STAFF = "staff"
REFUSED_INVALID = "invalid"
REFUSED_ORIGIN = "other origin"
REFUSED_DISABLED = "analytics off"  # ANALYTICS_ENABLED is false
REFUSED_RATE = "too many"  # this address sent more than ANALYTICS_BEACONS_PER_MINUTE
UNAVAILABLE = "database unavailable"  # today's salt could not be read or created

# Routes a beacon may name (policy M: only our public pages are counted). Wagtail pages
# are checked against the live, unrestricted pages when written (recorder).
PAGE_ROUTE = "wagtail_serve"
COUNTED_ROUTES = frozenset({PAGE_ROUTE, "search", "privacy_export_download"})


# --- The visitor's software --------------------------------------------------------------

BOT_FAMILIES = frozenset(
    {
        "HeadlessChrome",
        "PhantomJS",
        "curl",
        "Wget",
        "Python Requests",
        "Python-urllib",
        "Go-http-client",
        "Java",
        "Apache-HttpClient",
        "okhttp",
        "libwww-perl",
        "Scrapy",
        "aiohttp",
        "httpx",
        "node-fetch",
        "axios",
    }
)
# Words that name automated clients which ua-parser does not list as spiders.
BOT_WORDS = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|scrap|fetch|monitor|lighthouse|headless|preview|"
    r"scan|check|uptime|http-client|wget|curl|python|java/|go-http|okhttp|axios|node-fetch",
    re.IGNORECASE,
)
DESKTOP_OS = frozenset(
    {"Windows", "Mac OS X", "Linux", "Ubuntu", "Fedora", "Debian", "Chrome OS", "FreeBSD"}
)


@dataclass(frozen=True)
class Client:
    browser: str
    browser_version: str
    os: str
    device: str
    bot: bool


@lru_cache(maxsize=4096)
def client_from_user_agent(user_agent: str) -> Client:
    """Browser family, major version, OS family and device class; bot when automated."""
    # Imported on first use: ua-parser takes a third of a second to import, and most
    # processes (the admin, the workers) never read a user agent.
    from ua_parser import parse

    if not user_agent.strip():
        return Client("", "", "", Device.OTHER, bot=True)
    result = parse(user_agent[:512])
    agent, os_, device = result.user_agent, result.os, result.device
    browser = (agent.family if agent else "Other")[:50]
    major = agent.major if agent and agent.major and agent.major.isdigit() else ""
    os_family = (os_.family if os_ else "Other")[:50]
    bot = bool(
        (device is not None and device.family == "Spider")
        or browser in BOT_FAMILIES
        or BOT_WORDS.search(user_agent)
        or (browser == "Other" and os_family == "Other")
    )
    return Client(browser, major[:10], os_family, _device_class(user_agent, os_family, device), bot)


def _device_class(user_agent: str, os_family: str, device) -> str:
    model = (device.family if device else "") or ""
    brand = (device.brand if device else "") or ""
    if model == "iPad" or "Tablet" in brand or "Tablet" in user_agent:
        return Device.TABLET
    if os_family == "iOS":
        return Device.MOBILE
    if os_family == "Android":
        return Device.MOBILE if "Mobile" in user_agent else Device.TABLET
    if "Mobi" in user_agent:
        return Device.MOBILE
    if os_family in DESKTOP_OS or os_family.startswith("Windows"):
        return Device.DESKTOP
    return Device.OTHER


def screen_class(width: object) -> str:
    try:
        pixels = int(width)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return Screen.UNKNOWN
    if not 0 < pixels < 100_000:
        return Screen.UNKNOWN
    if pixels < 576:
        return Screen.SMALL
    if pixels < 992:
        return Screen.MEDIUM
    if pixels < 1440:
        return Screen.LARGE
    return Screen.WIDE


# --- The address, the page, the referrer ------------------------------------------------


def truncated_address(address: str) -> str:
    """The network, not the machine: IPv4 to its /24, IPv6 to its /48. Never stored."""
    network = _ipv4_network(address.strip())
    if network is not None:
        return network
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def _ipv4_network(address: str) -> str | None:
    """The /24 of a dotted IPv4 address, as ``ipaddress`` writes it, without parsing it
    into objects (a beacon's most common case, a tenth of the time); None for anything
    else, which ``ipaddress`` then reads: IPv6, or an IPv4 that it would refuse (leading
    zeros, octets over 255)."""
    octets = address.split(".")
    if len(octets) != 4:
        return None
    for octet in octets:
        if not (octet.isascii() and octet.isdigit()) or len(octet) > 3:
            return None
        if (octet[0] == "0" and len(octet) > 1) or int(octet) > 255:
            return None
    return f"{int(octets[0])}.{int(octets[1])}.{int(octets[2])}.0"


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_path(raw: object) -> str | None:
    """The page's path with only allow-listed query parameters; None when not a page."""
    if not isinstance(raw, str) or not raw.startswith("/") or raw.startswith("//"):
        return None
    if _CONTROL.search(raw) or len(raw) > 2000 or not _encodable(raw):
        return None
    parts = urlsplit(raw)
    path = parts.path
    if any(path == p.rstrip("/") or path.startswith(p) for p in EXCLUDED_PREFIXES):
        return None
    path = _without_tokens(path)
    if path is None:
        return None
    allowed = set(settings.ANALYTICS_QUERY_ALLOWLIST)
    kept = sorted((k, v) for k, v in parse_qsl(parts.query) if k in allowed and v)
    if kept:
        path = f"{path}?{urlencode(kept)}"
    return path[:MAX_PATH_LENGTH]


def _encodable(text: str) -> bool:
    """False for a lone surrogate (``"\\ud800"`` in JSON), which no database accepts."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# Paths known to hold no token, per (path, active language, URLconf): resolving a path
# is a beacon's largest cost, and a site has few pages. Paths that held a token are never
# kept, so no secret stays in memory; the set is emptied when full (any path may come).
_TOKENLESS_PATHS: set[tuple[str, str | None, str]] = set()
_TOKENLESS_PATHS_MAX = 4096


def _without_tokens(path: str) -> str | None:
    """Secret links (a privacy export's download, for instance) carry a token in the path:
    the route keeps its shape, the token is replaced. None when the path is not one of
    our public routes (``/wp-login.php``, ``/../etc/passwd``, markup, the admin)."""
    # The route depends on the language (i18n_patterns, translated paths): the path's own.
    prefix = path.split("/")[1] if path.count("/") > 1 else ""
    language = prefix if prefix in dict(settings.LANGUAGES) else get_language()
    key = (path, language, get_urlconf() or settings.ROOT_URLCONF)
    if key in _TOKENLESS_PATHS:
        return path
    try:
        with translation.override(language):
            match = resolve(path)
    except (Resolver404, ValueError):
        return None
    if match.url_name not in COUNTED_ROUTES:
        return None
    replaced = path
    for name, value in match.kwargs.items():
        if "token" in name and isinstance(value, str) and value:
            replaced = replaced.replace(value, "-")
    if replaced == path:
        if len(_TOKENLESS_PATHS) >= _TOKENLESS_PATHS_MAX:
            _TOKENLESS_PATHS.clear()
        _TOKENLESS_PATHS.add(key)
    return replaced


@receiver(setting_changed)
def _urls_changed(*, setting, **kwargs) -> None:  # the tests' override_settings
    if setting == "ROOT_URLCONF":
        _TOKENLESS_PATHS.clear()


# A host name as DNS writes it (letters, digits, hyphens; underscores occur in the wild).
_HOST_NAME = re.compile(
    r"(?=.{1,253}\Z)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*"
    r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\Z"
)
MALFORMED = object()  # a referrer that no browser sends: the beacon is refused


def referrer_host(raw: object, *, own_host: str) -> str | object | None:
    """The referring site's host (IDN in its ASCII form); "" when none; None when it is
    one of our pages; ``MALFORMED`` when it is not an address with a well-formed host."""
    if raw is None or raw == "":
        return ""
    if not isinstance(raw, str) or len(raw) > 2000 or not _encodable(raw):
        return MALFORMED
    try:
        host = (urlsplit(raw).hostname or "").lower()
    except ValueError:
        return MALFORMED
    host = _well_formed_host(host)
    if host is None:
        return MALFORMED
    if host == own_host.split(":")[0].lower().strip("[]"):
        return None
    return host.removeprefix("www.")


def _well_formed_host(host: str) -> str | None:
    if not host:
        return None
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii").rstrip(".")
    except UnicodeError:
        return None
    return ascii_host if _HOST_NAME.match(ascii_host) else None


def page_language(raw: object, path: str) -> str:
    codes = [code for code, _name in settings.LANGUAGES]
    if isinstance(raw, str) and raw.split("-")[0].lower() in codes:
        return raw.split("-")[0].lower()
    prefix = path.split("/")[1] if path.count("/") > 1 else ""
    return prefix if prefix in codes else ""


def visitor_hash(*, salt: bytes, address: str, user_agent: str, site: str) -> int:
    """A signed 64-bit keyed hash: equal for one visitor within one day, unlinkable after."""
    message = "\x00".join((site, truncated_address(address), user_agent)).encode()
    digest = hashlib.blake2b(message, key=salt, digest_size=8, person=b"csce-visitor").digest()
    return int.from_bytes(digest, "big", signed=True)


# --- One beacon --------------------------------------------------------------------------


def privacy_signal(meta) -> bool:
    return meta.get("HTTP_SEC_GPC", "").strip() == "1" or meta.get("HTTP_DNT", "").strip() == "1"


def staff_session(request: HttpRequest) -> bool:
    """A signed-in staff member's browser (visitors never get a session cookie)."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    return bool(store.get(SESSION_KEY))


# What beacon.js sends: one flat object of short strings and a screen width. A number
# beyond what a browser can hold exactly is not a screen width.
_MAX_NUMBER = 2**53


def _refuse_constant(name: str):
    raise ValueError(name)  # NaN, Infinity: not JSON, not from a browser


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400
        raise ValueError(text)
    return value


def _scalar(value: object) -> bool:
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, int | float):
        return abs(value) < _MAX_NUMBER
    return isinstance(value, str) and _encodable(value)


def beacon_read(body: bytes) -> dict | None:
    """The beacon's fields, or None when the body is not what beacon.js sends: not JSON,
    not one object, nested values, non-finite or huge numbers, lone surrogates."""
    if not body or len(body) > MAX_BODY_BYTES:
        return None
    try:
        data = json.loads(
            body.decode("utf-8"), parse_constant=_refuse_constant, parse_float=_finite_float
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict):
        return None
    if not all(_encodable(key) and _scalar(value) for key, value in data.items()):
        return None
    return data


# --- Beacons per address -----------------------------------------------------------------

# One token bucket per address, in this process's memory: a bounded map that forgets the
# least recently seen address first. Losing it (a restart, many addresses) lets a few
# more beacons through, never any access. Keys are keyed hashes, never addresses (P5).
_RATE_ADDRESSES_MAX = 10_000
_rate_lock = threading.Lock()
_rate_buckets: OrderedDict[bytes, list[float]] = OrderedDict()
_rate_key = secrets.token_bytes(16)


def beacon_client_address(request: HttpRequest) -> str:
    """The address the beacon came from: the client behind the trusted proxies, if any."""
    return client_address(request)


def beacon_rate_key(address: str) -> bytes:
    """An IPv6 address counts as its /64 (one household's network); IPv4 as itself."""
    if ":" in address:
        with contextlib.suppress(ValueError):
            address = str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return hashlib.blake2b(address.encode(), key=_rate_key, digest_size=8).digest()


def beacon_rate_allow(address: str, *, now: float | None = None) -> bool:
    """One more beacon from ``address`` within ANALYTICS_BEACONS_PER_MINUTE (a bucket that
    holds a minute's worth and refills continuously)."""
    capacity = float(settings.ANALYTICS_BEACONS_PER_MINUTE)
    if capacity <= 0:
        return True
    now = time.monotonic() if now is None else now
    key = beacon_rate_key(address)
    with _rate_lock:
        bucket = _rate_buckets.get(key)
        if bucket is None:
            bucket = _rate_buckets[key] = [capacity, now]
            if len(_rate_buckets) > _RATE_ADDRESSES_MAX:
                _rate_buckets.popitem(last=False)
        else:
            _rate_buckets.move_to_end(key)
            tokens = min(capacity, bucket[0] + (now - bucket[1]) * capacity / 60)
            bucket[0], bucket[1] = tokens, now
        if bucket[0] < 1:
            return False
        bucket[0] -= 1
        return True


def beacon_rates_forget() -> None:
    with _rate_lock:
        _rate_buckets.clear()


def page_view_build(request: HttpRequest, data: dict, *, now=None) -> PageView | str:
    """The PageView to record for this beacon, or the reason it is not counted."""
    path = clean_path(data.get("p"))
    if path is None:
        return REFUSED_INVALID
    host = request.get_host()
    referrer = referrer_host(data.get("r"), own_host=host)
    if referrer is MALFORMED:
        return REFUSED_INVALID
    user_agent = request.META.get("HTTP_USER_AGENT", "")
    client = client_from_user_agent(user_agent)
    if client.bot:
        return REFUSED_BOT
    now = now or timezone.now()
    day = local_day(now)
    return PageView(
        occurred_at=now,
        day=day,
        path=path,
        language=page_language(data.get("l"), path),
        referrer_host=referrer or "",
        browser=client.browser,
        browser_version=client.browser_version,
        os=client.os,
        device=client.device,
        screen=screen_class(data.get("w")),
        entry=referrer is not None,
        visitor=visitor_hash(
            salt=salt_for(day),
            address=beacon_client_address(request),
            user_agent=user_agent,
            site=host.lower(),
        ),
    )


def beacon_receive(request: HttpRequest, body: bytes, *, now=None) -> str:
    """Count the page view a beacon reports, or say why not. Never raises for bad input."""
    if not settings.ANALYTICS_ENABLED:
        return REFUSED_DISABLED
    if privacy_signal(request.META):
        return REFUSED_PRIVACY
    if not same_origin(request):
        return REFUSED_ORIGIN
    if not beacon_rate_allow(beacon_client_address(request)):
        return REFUSED_RATE
    data = beacon_read(body)
    if data is None:
        return REFUSED_INVALID
    if staff_session(request):
        return REFUSED_STAFF
    try:
        view = page_view_build(request, data, now=now)
        if isinstance(view, str):
            return view
        recorder.add(view)
    except DatabaseError:
        # The day's salt cannot be read or created: nothing to count with (logged by the
        # recorder's loop when writes fail, not once per beacon).
        return UNAVAILABLE
    return COUNTED
