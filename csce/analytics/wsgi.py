"""Beacons answered before Django's middleware (issue 6 speed target; decision 0013).

A page-view beacon needs none of the middleware: no session (visitors have none), no
page routing, no template. ``BeaconFastPath`` wraps the WSGI application and answers a
cookie-less POST to ``/beacon`` itself, through the same ``beacon_receive`` as the view,
with a Django request object (so host validation and the origin check are Django's).
Anything else, and any beacon carrying our session cookie, goes to Django as usual.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import close_old_connections, connection

from . import collection
from .collection import BEACON_PATH, MAX_BODY_BYTES, REFUSED_INVALID, beacon_receive

_HEADERS = [
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Length", "0"),
]
_REASONS = {204: "204 No Content", 400: "400 Bad Request", 403: "403 Forbidden"}
_OUTCOMES = [
    collection.COUNTED,
    collection.REFUSED_PRIVACY,
    collection.REFUSED_BOT,
    collection.REFUSED_STAFF,
    collection.REFUSED_INVALID,
    collection.REFUSED_ORIGIN,
    collection.REFUSED_DISABLED,
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
        from .collection import client_from_user_agent
        from .views import beacon_response

        client_from_user_agent("Mozilla/5.0")  # loads ua-parser's rules before the first visit
        # The view's answer to each outcome, known once rather than built for each beacon.
        self.statuses = {outcome: beacon_response(outcome).status_code for outcome in _OUTCOMES}

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
        if not 0 < length <= MAX_BODY_BYTES:
            outcome = REFUSED_INVALID
        else:
            request = BeaconRequest(environ)
            try:
                request.get_host()
            except DisallowedHost:
                return self.application(environ, start_response)  # Django answers 400
            outcome = beacon_receive(request, environ["wsgi.input"].read(length))
            # Today's salt was read: close as Django would after a request (never inside a
            # transaction, which only a test holds around a request).
            if connection.connection is not None and not connection.in_atomic_block:
                close_old_connections()
        status = self.statuses[outcome]
        start_response(_REASONS[status], list(_HEADERS))
        return [b""]
