"""Cache backends that fail open: a dead, slow or full cache makes the site slower, never down.

Nothing that guards access or abuse is kept in the cache (csce/common/guards.py, decision
0004), so losing it may only cost speed. Django's own backends raise instead: a full disk
makes the file cache's ``set`` raise ``OSError`` and a stopped Redis makes every call raise
``ConnectionError``, and each public page would answer 500 (policy S: the site stays
available). These subclasses turn such a failure into a miss, and after one failure they
stop asking the broken cache for ``RETRY_SECONDS``, so a Redis that hangs costs one short
timeout per process, not one per request. Decision 0018 says why this is ours.
"""

from __future__ import annotations

import logging
import time
from functools import partial

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("csce.cache")

# How long a process leaves a failed cache alone before trying it again.
RETRY_SECONDS = 10.0
# A Redis that accepts connections but does not answer must not hold a request longer.
REDIS_TIMEOUT_SECONDS = 0.5


class FailOpenMixin:
    """Every cache call returns what a miss would return when the store fails."""

    # The store's own failures; a programming error (a bad key, an unpicklable value)
    # still raises, so tests see it.
    store_errors: tuple[type[BaseException], ...] = (OSError, EOFError)

    _down_until = 0.0

    def _available(self) -> bool:
        return time.monotonic() >= self._down_until

    def _failed(self, operation: str, error: BaseException) -> None:
        first = self._available()
        self._down_until = time.monotonic() + RETRY_SECONDS
        if first:
            # Never the key or the value: keys may be built from what a visitor sent.
            logger.warning(
                "cache %s failed (%s); the site answers without the cache for %d s",
                operation,
                type(error).__name__,
                RETRY_SECONDS,
            )

    def _guarded(self, operation: str, call, fallback):
        if not self._available():
            return fallback
        try:
            return call()
        except self.store_errors as error:
            self._failed(operation, error)
            return fallback

    def get(self, key, default=None, version=None):
        return self._guarded("get", partial(super().get, key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set", partial(super().set, key, value, timeout, version), None)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("add", partial(super().add, key, value, timeout, version), False)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("touch", partial(super().touch, key, timeout, version), False)

    def delete(self, key, version=None):
        return self._guarded("delete", partial(super().delete, key, version), False)

    def has_key(self, key, version=None):
        return self._guarded("has_key", partial(super().has_key, key, version), False)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", partial(super().get_many, keys, version), {})

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that were not stored.
        return self._guarded(
            "set_many", partial(super().set_many, data, timeout, version), list(data)
        )

    def delete_many(self, keys, version=None):
        return self._guarded("delete_many", partial(super().delete_many, keys, version), None)

    def clear(self):
        return self._guarded("clear", super().clear, None)


class FileCache(FailOpenMixin, FileBasedCache):
    """The single-machine cache (``var/cache``): a full or read-only disk is a miss."""

    def _createdir(self):
        # Called by the constructor too: a folder that cannot be made must not stop the
        # process from getting its cache object.
        try:
            super()._createdir()
        except OSError as error:
            self._failed("create", error)


class RedisFailOpenCache(FailOpenMixin, RedisCache):
    """Redis, with short socket timeouts; a stopped or hanging server is a miss."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        options.setdefault("socket_connect_timeout", REDIS_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", REDIS_TIMEOUT_SECONDS)
        super().__init__(server, {**params, "OPTIONS": options})
        self.store_errors = (*FailOpenMixin.store_errors, RedisError)
