"""Blocking an abusive sender (policy U) by keyed hashes, never the values themselves.

A sender is known by two keys: their network (the first 24 bits of an IPv4 address, the
first 48 of an IPv6 one, so that a new address from the same provider's pool is still
caught) and, when they gave one, their e-mail address (its blind index). A block holds
one of them until a date within policy M's cap; expired blocks are deleted by the
retention job.
"""

from __future__ import annotations

import datetime
import ipaddress

from django.utils import timezone

from csce.common.client import client_address
from csce.common.crypto import blind_index

from .models import BlockKind, SenderBlock


def network_key(request) -> str:
    """The keyed hash of the sender's network (policy P5: the address is never kept)."""
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 48
    network = ipaddress.ip_network(f"{address}/{prefix}", strict=False)
    return blind_index(str(network), kind="network")


def sender_blocked(*, network: str = "", email_index: str = "", now=None) -> bool:
    """Whether a live block holds this network or address."""
    now = now or timezone.now()
    keys = [(BlockKind.NETWORK, network), (BlockKind.EMAIL, email_index)]
    wanted = [(kind, key) for kind, key in keys if key]
    if not wanted:
        return False
    live = SenderBlock.objects.filter(until__gt=now)
    return any(live.filter(kind=kind, key=key).exists() for kind, key in wanted)


def sender_block_create(
    *, network: str, email_index: str, days: int, actor, reason: str, now=None
) -> list[SenderBlock]:
    """A block on each key the sender left, for ``days`` days."""
    now = now or timezone.now()
    until = now + datetime.timedelta(days=days)
    return [
        SenderBlock.objects.create(kind=kind, key=key, until=until, created_by=actor, reason=reason)
        for kind, key in ((BlockKind.NETWORK, network), (BlockKind.EMAIL, email_index))
        if key
    ]
