"""A database that cannot write (read-only, full disk, unreachable) answers a clean,
bilingual 503 "try again" page, never a server error (policy M).

Public forms handle it themselves and keep what the visitor typed (csce/submissions);
this catches the rest, staff sign-in included.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import InterfaceError, InternalError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

# What a database raises when it cannot write or be reached (SQLite "readonly database",
# "disk is full", "database is locked"; PostgreSQL read-only transaction, disk full,
# connection lost). Integrity and data errors are bugs: they stay server errors.
UNAVAILABLE = (OperationalError, InternalError, InterfaceError)
RETRY_AFTER_SECONDS = 300


def database_unavailable_notice() -> str:
    """What a public form says above the visitor's answers when it could not save them."""
    logger.error("A form could not be saved: the database refused the write.")
    return gettext(
        "Your answers could not be saved just now, because of a problem on our side. "
        "They are still below: please send them again in a few minutes."
    )


def database_unavailable_response() -> HttpResponse:
    # Rendered without context processors or database, like the 500 page.
    content = render_to_string("503.html", {"LANGUAGE_CODE": settings.LANGUAGE_CODE})
    response = HttpResponse(content, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    patch_cache_control(response, no_store=True)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, UNAVAILABLE):
            return None
        logger.error("Answered 503: the database refused a write or could not be reached.")
        return database_unavailable_response()
