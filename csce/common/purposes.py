"""Optional purposes ticked on a form, handed to the app that fulfils them (policy P7).

A form may offer an optional purpose beside its own ("Subscribe me to the newsletter
too"). The app that stores the form keeps the consent with the submission and, once the
submission is committed, calls the handler the fulfilling app registered here for that
purpose's key, from its own ``apps.py``. The two apps never import each other.

A handler is called with keyword arguments: ``email``, ``first_name`` ("" when the form
has no first-name field), ``language``, ``ip`` (the client's address, for the handler to
truncate or drop) and ``page_url``. It must not store more than its purpose needs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

logger = logging.getLogger(__name__)

OptionalPurposeHandler = Callable[..., object]

_handlers: dict[str, OptionalPurposeHandler] = {}


def optional_purpose_handler_register(*, key: str, handler: OptionalPurposeHandler) -> None:
    _handlers[key] = handler


def optional_purpose_handler_unregister(*, key: str) -> None:
    _handlers.pop(key, None)


def optional_purpose_handler(key: str) -> OptionalPurposeHandler | None:
    return _handlers.get(key)


def optional_purposes_fulfil(
    *,
    keys: Iterable[str],
    email: str,
    first_name: str,
    language: str,
    ip: str,
    page_url: str,
) -> list[str]:
    """Call the handler of each purpose ticked; returns the keys handled.

    Runs after the submission is committed: a handler that fails is logged (its class
    name only, never a value) and does not undo the submission or stop the others.
    """
    handled = []
    if not email:
        return handled
    for key in keys:
        handler = _handlers.get(key)
        if handler is None:
            continue
        try:
            handler(email=email, first_name=first_name, language=language, ip=ip, page_url=page_url)
        except Exception as exc:  # the visitor's submission is stored either way
            logger.error("optional purpose %s not fulfilled: %s", key, type(exc).__name__)
            continue
        handled.append(key)
    return handled
