"""Security headers that django-csp does not decide on its own."""

from __future__ import annotations

from csp.constants import NONE, SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict policy everywhere; the Wagtail admin gets a documented, narrow update.

    Public pages never get ``unsafe-inline`` anywhere. The admin keeps scripts on nonces
    and only relaxes inline *style attributes*, which Wagtail's own widgets set, and
    lets the editor preview a page in a same-origin frame.
    """

    admin_prefix = "/admin/"

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(self.admin_prefix):
            directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
            replace = dict(parts.replace or {})
            for directive, sources in settings.ADMIN_CSP_UPDATE.items():
                kept = [s for s in directives.get(directive, []) if s != NONE]
                replace[directive] = [*kept, *sources]
            parts.replace = replace
        elif not report_only and getattr(request, "is_dummy", False):
            # Wagtail renders previews through a stand-in request for the public URL and
            # shows them in the admin's own frame: only our own origin may frame them.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts
