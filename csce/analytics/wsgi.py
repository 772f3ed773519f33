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

from .collection import BEACON_PATH, MAX_BODY_BYTES, REFUSED_INVALID, beacon_receive

_HEADERS = [
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Length", "0"),
]
_REASONS = {204: "204 No Content", 400: "400 Bad Request", 403: "403 Forbidden"}


class BeaconFastPath:
    def __init__(self, application):
        self.application = application
        from .collection import client_from_user_agent

        client_from_user_agent("Mozilla/5.0")  # loads ua-parser's rules before the first visit

    def __call__(self, environ, start_response):
        if (
            environ.get("PATH_INFO") != BEACON_PATH
            or environ.get("REQUEST_METHOD") != "POST"
            or f"{settings.SESSION_COOKIE_NAME}=" in environ.get("HTTP_COOKIE", "")
        ):
            return self.application(environ, start_response)
        from .views import beacon_response

        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= MAX_BODY_BYTES:
            outcome = REFUSED_INVALID
        else:
            request = WSGIRequest(environ)
            try:
                request.get_host()
            except DisallowedHost:
                return self.application(environ, start_response)  # Django answers 400
            outcome = beacon_receive(request, environ["wsgi.input"].read(length))
            if connection.connection is not None:  # today's salt was read: as Django would
                close_old_connections()
        status = beacon_response(outcome).status_code
        start_response(_REASONS[status], list(_HEADERS))
        return [b""]
