"""Beacons answered before Django's middleware (policy M: a visit
costs the site almost nothing; decision 0013).

A page-view beacon needs none of the middleware: no session (visitors have none), no
page routing, no template. ``BeaconFastPath`` wraps the WSGI application and answers a
cookie-less POST to ``/beacon`` itself, through the same ``beacon_receive`` as the view,
with a Django request object (so host validation and the origin check are Django's).
Anything else, and any beacon carrying our session cookie, goes to Django as usual.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections, connection
from django.utils.module_loading import import_string

from . import collection
from .collection import (
    BEACON_PATH,
    MAX_BODY_BYTES,
    REFUSED_INVALID,
    beacon_receive,
    client_from_user_agent,
)
from .views import beacon_response

_REASONS = {
    204: "204 No Content",
    400: "400 Bad Request",
    403: "403 Forbidden",
    429: "429 Too Many Requests",
    503: "503 Service Unavailable",
}
# The middleware that add headers to every answer (policy M): the fast path answers with
# what they add to the view's answer, so a refusal carries the same headers either way.
_HEADER_MIDDLEWARE = frozenset(
    {
        "django.middleware.security.SecurityMiddleware",
        "csce.common.middleware.ContentSecurityPolicyMiddleware",
        "django_permissions_policy.PermissionsPolicyMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    }
)
_OUTCOMES = [
    collection.COUNTED,
    collection.REFUSED_PRIVACY,
    collection.REFUSED_BOT,
    collection.REFUSED_STAFF,
    collection.REFUSED_INVALID,
    collection.REFUSED_ORIGIN,
    collection.REFUSED_DISABLED,
    collection.REFUSED_RATE,
    collection.UNAVAILABLE,
]


class BeaconRequest(WSGIRequest):
    """Django's request, less two costs a beacon does not need: its body is read as bytes
    here (never as a form, so the Content-Type's parameters are not parsed), and its host,
    validated once against ALLOWED_HOSTS, is not validated again by each check."""

    _host: str | None = None

    def _set_content_type_params(self, meta):
        self.content_type, self.content_params = "", {}

    def get_host(self):
        if self._host is None:
            self._host = super().get_host()
        return self._host


class BeaconFastPath:
    def __init__(self, application):
        self.application = application
        client_from_user_agent("Mozilla/5.0")  # loads ua-parser's rules before the first visit
        # The view's answer to each outcome, known once rather than built for each beacon.
        self.statuses = {outcome: beacon_response(outcome).status_code for outcome in _OUTCOMES}
        self._beacon_response = beacon_response
        self._headers: dict[tuple[str, bool], list[tuple[str, str]]] = {}
        self._headers_lock = threading.Lock()

    def headers(self, outcome: str, request: WSGIRequest) -> list[tuple[str, str]]:
        """The view's answer's headers, security headers included, worked out once per
        outcome and scheme (HSTS is sent over HTTPS only) by the middleware themselves."""
        key = (outcome, request.is_secure())
        headers = self._headers.get(key)
        if headers is None:
            handler = lambda _request: self._beacon_response(outcome)  # noqa: E731
            for path in reversed(settings.MIDDLEWARE):
                if path in _HEADER_MIDDLEWARE:
                    handler = import_string(path)(handler)
            response = handler(request)
            headers = [(k, v) for k, v in response.items() if k != "Content-Length"]
            headers.append(("Content-Length", "0"))
            with self._headers_lock:
                self._headers[key] = headers
        return list(headers)

    def __call__(self, environ, start_response):
        if (
            environ.get("PATH_INFO") != BEACON_PATH
            or environ.get("REQUEST_METHOD") != "POST"
            or f"{settings.SESSION_COOKIE_NAME}=" in environ.get("HTTP_COOKIE", "")
        ):
            return self.application(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        request = BeaconRequest(environ)
        try:
            request.get_host()
        except DisallowedHost:
            return self.application(environ, start_response)  # Django answers 400
        if not 0 < length <= MAX_BODY_BYTES:
            outcome = REFUSED_INVALID
        else:
            outcome = beacon_receive(request, environ["wsgi.input"].read(length))
            # Today's salt was read: close as Django would after a request (never inside a
            # transaction, which only a test holds around a request).
            if connection.connection is not None and not connection.in_atomic_block:
                close_old_connections()
        status = self.statuses[outcome]
        start_response(_REASONS[status], self.headers(outcome, request))
        return [b""]
