"""Makes the signed-in staff member the actor of the access log entries of their request."""

from __future__ import annotations

from .context import serving


class AccessLogActorMiddleware:
    """Keeps the request at hand; ``request.user`` is read only when an entry is written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with serving(request):
            return self.get_response(request)
