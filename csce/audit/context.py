"""Who is acting: the signed-in staff member of the request being served, if any.

Signals such as ``m2m_changed`` do not say who made a change; the middleware keeps the
request at hand so that the access log can name its user, by id, when an entry is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_UNSET: Any = object()
_actor_id: ContextVar[Any] = ContextVar("access_log_actor_id", default=_UNSET)
_request: ContextVar[Any] = ContextVar("access_log_request", default=None)


def current_actor_id() -> int | None:
    """The explicit actor if one is set, else the request's signed-in user, else None."""
    actor_id = _actor_id.get()
    if actor_id is not _UNSET:
        return actor_id
    request = _request.get()
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.pk
    return None


def current_request_user():
    """The signed-in user of the web request being served, or None (shell, jobs, tests)."""
    user = getattr(_request.get(), "user", None)
    return user if user is not None and user.is_authenticated else None


@contextmanager
def acting_as(actor) -> Iterator[None]:
    """Attribute the entries written inside the block to ``actor`` (a user, an id or None)."""
    token = _actor_id.set(getattr(actor, "pk", actor) if actor is not None else None)
    try:
        yield
    finally:
        _actor_id.reset(token)


@contextmanager
def serving(request) -> Iterator[None]:
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)
