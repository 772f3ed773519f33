"""Staff-session rules that run on every admin request."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common import policy

from . import selectors

ADMIN_PREFIX = "/admin/"
SUPERUSER_LOGGED_KEY = "accounts_superuser_use_logged"


class SuperuserUseMiddleware:
    """Policy M, S: superuser status is break-glass; every session that uses it is logged.

    One entry per session (not per request), at its first admin request; the AED sees
    them on the dashboard. Sessions of other users are not read or written here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_superuser
            and request.path_info.startswith(ADMIN_PREFIX)
            and not request.session.get(SUPERUSER_LOGGED_KEY)
        ):
            access_log_record(
                action=AccessAction.SUPERUSER_USED,
                actor=user,
                object_type="auth.user",
                object_id=user.pk,
                details={"view": _view_name(request)},
            )
            request.session[SUPERUSER_LOGGED_KEY] = True
        return self.get_response(request)


def _view_name(request: HttpRequest) -> str:
    """The name of the first admin view reached (a URL name, never a query string)."""
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


# What a staff member may reach before acknowledging the current policy: signing in and
# out, resetting a password, the second-factor pages, and the acknowledgement page.
POLICY_OPEN_VIEWS = frozenset(
    {
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
        "wagtailadmin_password_reset",
        "wagtailadmin_password_reset_done",
        "wagtailadmin_password_reset_confirm",
        "wagtailadmin_password_reset_complete",
        "accounts_policy_acknowledge",
    }
)
POLICY_OPEN_NAMESPACES = ("csce_mfa:", "otp_webauthn:")
POLICY_ACKNOWLEDGED_KEY = "accounts_policy_acknowledged"


class PolicyAcknowledgementMiddleware:
    """Policy S: no admin view before the current policy version is acknowledged.

    Runs after the second-factor middleware, so enrolment comes first. The session
    remembers the version acknowledged, so a signed-in staff member costs one small
    query per admin request (which version is current) and nothing on public pages.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(ADMIN_PREFIX) and request.user.is_authenticated:
            response = self._enforce(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _enforce(self, request: HttpRequest) -> HttpResponse | None:
        version = selectors.policy_version_current()
        if version is None or request.session.get(POLICY_ACKNOWLEDGED_KEY) == version.pk:
            return None
        if selectors.policy_acknowledged(user=request.user, version=version):
            request.session[POLICY_ACKNOWLEDGED_KEY] = version.pk
            return None
        view = _view_name(request)
        if view in POLICY_OPEN_VIEWS or view.startswith(POLICY_OPEN_NAMESPACES):
            return None
        next_url = request.get_full_path() if request.method == "GET" else ADMIN_PREFIX
        target = reverse("accounts_policy_acknowledge")
        return redirect(f"{target}?{urlencode({'next': next_url})}")


# Policy M, ASVS 3.3: a staff session ends when idle too long and after a fixed time in
# all, whatever its activity.
SESSION_IDLE_SECONDS = policy.SESSION_IDLE_MINUTES * 60
SESSION_ABSOLUTE_SECONDS = policy.SESSION_ABSOLUTE_HOURS * 60 * 60
SESSION_STARTED_KEY = "accounts_session_started"
SESSION_SEEN_KEY = "accounts_session_seen"
# The last-seen time is written at most once a minute, not at every request.
SESSION_SEEN_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """Ends signed-in sessions that are idle too long or too old.

    Only sessions of signed-in users are read or written: an anonymous visitor of the
    public site still gets no cookie at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = time.time()
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            started = session.get(SESSION_STARTED_KEY, now)
            seen = session.get(SESSION_SEEN_KEY, now)
            if now - seen > SESSION_IDLE_SECONDS or now - started > SESSION_ABSOLUTE_SECONDS:
                logout(request)
                if request.path_info.startswith(ADMIN_PREFIX):
                    messages.info(request, _("Your session has ended. Please sign in again."))
                    login = reverse("wagtailadmin_login")
                    next_url = request.get_full_path() if request.method == "GET" else ""
                    return redirect(
                        f"{login}?{urlencode({'next': next_url})}" if next_url else login
                    )
                return self.get_response(request)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            session = request.session
            session.setdefault(SESSION_STARTED_KEY, now)
            if now - session.get(SESSION_SEEN_KEY, 0) >= SESSION_SEEN_RESOLUTION:
                session[SESSION_SEEN_KEY] = now
        return response
