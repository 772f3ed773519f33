"""The client's address, the one every abuse guard and count keys on (policy M).

``REMOTE_ADDR`` is the peer that opened the connection: behind nginx or a load balancer,
the proxy. ``X-Forwarded-For`` names the client, but anyone can send it: it is believed
only when the peer is one of ``TRUSTED_PROXIES``, and then read from the right, each
proxy's entry vouching for the one before it, down to the first address that is not a
trusted proxy. A forged entry on the left is never reached; a malformed one stops the walk
at the last address vouched for. With ``TRUSTED_PROXIES`` empty (the default) the header is
ignored. Decision 0014 and docs/operations.md say how to set it.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import logging
from collections.abc import Mapping

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

logger = logging.getLogger(__name__)
_untrusted_header_seen = False

# A header longer than this is not one our own proxies built: only its right end is read.
MAX_FORWARDED_CHARS = 1024


def trusted_networks_parse(entries: list[str] | tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """``TRUSTED_PROXIES`` as networks; ValueError names an entry that is not an address."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"TRUSTED_PROXIES: {entry!r} is not an IP address or a CIDR range"
            ) from None
    return tuple(networks)


@functools.lru_cache(maxsize=4)
def _trusted_networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    # Parsed once per distinct setting (once per process in production): the beacon's
    # hot path pays one tuple() and a dictionary look-up.
    return trusted_networks_parse(entries)


def _address(value: str) -> IPAddress | None:
    value = value.strip()
    if value.startswith("["):  # "[2001:db8::1]" or "[2001:db8::1]:443"
        value = value[1 : value.find("]")] if "]" in value else ""
    elif value.count(":") == 1:  # "192.0.2.1:443": a proxy that also passes the port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: IPAddress, networks: tuple[IPNetwork, ...]) -> bool:
    return any(address in network for network in networks)


def _untrusted_header_note() -> None:
    # Once per process, and never the address: a proxy missing from TRUSTED_PROXIES makes
    # every visitor one address (docs/operations.md, "Behind a load balancer").
    global _untrusted_header_seen
    if not _untrusted_header_seen:
        _untrusted_header_seen = True
        logger.warning(
            "X-Forwarded-For came from a peer not in TRUSTED_PROXIES and was ignored; "
            "if a proxy is in front of the app, add it to TRUSTED_PROXIES."
        )


def client_address(request_or_meta) -> str:
    """The client's IP address for a request (or its ``META``/WSGI environ), as text.

    ``REMOTE_ADDR`` unless that peer is a trusted proxy; then the right-most address of
    ``X-Forwarded-For`` that is not a trusted proxy. Never raises for any header value.
    """
    meta: Mapping[str, str] = getattr(request_or_meta, "META", request_or_meta)
    remote = meta.get("REMOTE_ADDR") or ""
    networks = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    peer = _address(remote) if networks else None
    if peer is None or not _is_trusted(peer, networks):
        if "HTTP_X_FORWARDED_FOR" in meta:
            _untrusted_header_note()
        return remote
    forwarded = meta.get("HTTP_X_FORWARDED_FOR") or ""
    hops = forwarded[-MAX_FORWARDED_CHARS:].split(",")
    if len(forwarded) > MAX_FORWARDED_CHARS:
        hops = hops[1:]  # the cut left a piece of an entry first
    vouched = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # not written by a proxy of ours: the last vouched address is the client
        if not _is_trusted(address, networks):
            return str(address)
        vouched = address
    return str(vouched)


def address_key(request, *, scope: str) -> str:
    """The key an abuse guard counts this client under: a keyed hash of its address,
    never the address itself (policy P5), separate for each ``scope``."""
    address = client_address(request)
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return f"forms:rate:{scope}:{digest.hexdigest()[:32]}"
