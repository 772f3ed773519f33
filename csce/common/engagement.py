"""How long staff take to answer the public (policy R: respond promptly, measured).

Each app that receives something a person answers (an inquiry, a comment, a report of a
concern) registers a source from its own ``apps.py``: the moments each item arrived and
was first answered. The engagement view reads every source, without importing the apps.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class ResponseSample:
    """One item: when it arrived, and when it was first answered (None: not yet)."""

    received_at: datetime.datetime
    answered_at: datetime.datetime | None


@dataclass(frozen=True)
class ResponseTimeSource:
    """- ``samples(since=..., until=...)`` → the items received in [since, until), with no
    personal value (the moments only)."""

    key: str
    label: str | Promise
    samples: Callable[..., list[ResponseSample]]
    order: int = 100


class ResponseTimeRegistry:
    def __init__(self) -> None:
        self._sources: dict[str, ResponseTimeSource] = {}

    def register(self, source: ResponseTimeSource) -> ResponseTimeSource:
        self._sources[source.key] = source
        return source

    def unregister(self, key: str) -> None:
        self._sources.pop(key, None)

    def __iter__(self) -> Iterator[ResponseTimeSource]:
        return iter(sorted(self._sources.values(), key=lambda s: (s.order, s.key)))

    def __len__(self) -> int:
        return len(self._sources)


response_time_registry = ResponseTimeRegistry()
