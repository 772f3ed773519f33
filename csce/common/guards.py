"""Values that guard access or abuse, kept where a cache cull or restart cannot forget them.

The shared cache only speeds things up: a generation that keys cached pages, a form's
rate-limit counter and a used anti-spam challenge live in the database (policy M), so a
cache that loses them neither brings back a page cached before a change, nor resets a
limit, nor lets a challenge be used twice (docs/decisions/0004-anonymous-page-cache.md).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import hmac
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import Generation, RateCounter, UsedChallenge

# The generations read in this request: one query per request, however many readers.
_request_generations: ContextVar[dict[str, int] | None] = ContextVar(
    "csce_request_generations", default=None
)
_LOADED = ""  # no generation has this name: marks the request's memo as read


@contextlib.contextmanager
def generations_per_request() -> Iterator[None]:
    """Within this block every generation is read from the database at most once."""
    if _request_generations.get() is not None:  # an outer block already reads once
        yield
        return
    token = _request_generations.set({})
    try:
        yield
    finally:
        _request_generations.reset(token)


def generation_read(*, name: str) -> int:
    """The current generation ``name``; 1 until it is first advanced."""
    memo = _request_generations.get()
    if memo is not None:
        if _LOADED not in memo:
            memo.update(Generation.objects.values_list("name", "value"))
            memo[_LOADED] = 0
        return memo.get(name, 1)
    value = Generation.objects.filter(name=name).values_list("value", flat=True).first()
    return value or 1


def generation_bump(*, name: str) -> None:
    """Advance ``name`` by one, atomically; it never goes back."""
    memo = _request_generations.get()
    if memo is not None:
        memo.clear()  # read again after a change made within the request
    if Generation.objects.filter(name=name).update(value=F("value") + 1):
        return
    try:
        with transaction.atomic():
            Generation.objects.create(name=name, value=2)
    except IntegrityError:  # created meanwhile by another process
        Generation.objects.filter(name=name).update(value=F("value") + 1)


def guard_key(*parts: str) -> str:
    """A keyed hash of ``parts``: the address or challenge itself is never stored (P5)."""
    message = "\x1f".join(parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def rate_counter_hit(*, key: str, window_seconds: int) -> int:
    """Count one event under ``key`` in its window; the count so far, this one included."""
    now = timezone.now()
    if RateCounter.objects.filter(key=key, expires_at__gt=now).update(count=F("count") + 1):
        return RateCounter.objects.filter(key=key).values_list("count", flat=True).first() or 1
    expires_at = now + datetime.timedelta(seconds=window_seconds)
    # A new window: rows of windows that ended go at the same time, so the table stays
    # as small as the number of addresses seen in one window.
    RateCounter.objects.filter(expires_at__lte=now).delete()
    try:
        with transaction.atomic():
            RateCounter.objects.create(key=key, count=1, expires_at=expires_at)
    except IntegrityError:  # another process opened the window first
        RateCounter.objects.filter(key=key).update(count=F("count") + 1)
        return RateCounter.objects.filter(key=key).values_list("count", flat=True).first() or 1
    return 1


def used_challenge_exists(*, key: str) -> bool:
    """Whether a challenge was used already (and is still remembered, until it expires)."""
    return UsedChallenge.objects.filter(key=key, expires_at__gt=timezone.now()).exists()


def used_challenge_record(*, key: str, expires_at: datetime.datetime) -> bool:
    """Record a challenge as used; False when it had already been used."""
    now = timezone.now()
    UsedChallenge.objects.filter(expires_at__lte=now).delete()
    try:
        with transaction.atomic():
            UsedChallenge.objects.create(key=key, expires_at=max(expires_at, now))
    except IntegrityError:
        return False
    return True


def guards_purge_expired(*, now: datetime.datetime, batch_size: int = 1000) -> int:
    """The retention job's purge: counters and used challenges past their window."""
    deleted = 0
    for model in (RateCounter, UsedChallenge):
        while True:
            keys = list(
                model.objects.filter(expires_at__lte=now).values_list("key", flat=True)[:batch_size]
            )
            if not keys:
                break
            deleted += model.objects.filter(key__in=keys).delete()[0]
    return deleted
