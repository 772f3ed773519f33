"""The centre's own social media accounts, as the pages need them (policy O, C).

The online-property registry (``csce.properties``) is where the AED writes down the
centre's accounts; it sits above ``pages`` in the layers, so it registers its reader
here from its ``AppConfig.ready`` and ``pages`` never imports it. Two things read it:
the social post drafts count only the networks the centre holds an account on
(``social_posts.networks_shown``), and the share tags name the centre's X account
(``twitter:site``, ``sharing.share_metadata``).

The reader must answer from the public pages' cache (warm, no query); the registry
starts a new pages generation on every save or deletion of a property.

Fault: a reader that cannot reach the database yields no accounts, which fails closed:
the editor counts for every network (a post is never said to fit a network it was not
measured for) and no ``twitter:site`` is written (never a stale or wrong account).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import DatabaseError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CentreAccounts:
    # The registry's kinds of the centre's accounts (``x``, ``facebook``...): the same
    # keys as ``social_posts.SOCIAL_NETWORKS``.
    network_keys: frozenset[str] = field(default_factory=frozenset)
    # The X account shown in the public footer, as "@name"; empty when there is none.
    x_handle: str = ""


NO_ACCOUNTS = CentreAccounts()
Reader = Callable[[], CentreAccounts]


class _Source:
    reader: Reader | None = None


def centre_accounts_reader_set(reader: Reader | None) -> Reader | None:
    """Make ``reader`` the source of the centre's accounts (the registry's, set once at
    start); returns the one it replaces."""
    previous = _Source.reader
    _Source.reader = reader
    return previous


def centre_accounts() -> CentreAccounts:
    """The centre's accounts; none when no registry is installed or it cannot be read."""
    reader = _Source.reader
    if reader is None:
        return NO_ACCOUNTS
    try:
        return reader()
    except DatabaseError:
        logger.warning("The online-property registry could not be read; no accounts used.")
        return NO_ACCOUNTS
