"""No admin view without a second factor (policy M)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .mfa import mfa_is_enrolled, mfa_session_is_current

ADMIN_PREFIX = "/admin/"
# What a signed-in but unverified session may reach: signing in and out, the two
# second-factor steps, the passkey ceremony API, and the script catalogues they load.
OPEN_VIEWS = frozenset(
    {
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
        "csce_mfa:enrol",
        "csce_mfa:verify",
        "otp_webauthn:credential-registration-begin",
        "otp_webauthn:credential-registration-complete",
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
        "otp_webauthn:js-i18n-catalog",
    }
)


class MfaRequiredMiddleware:
    """After AuthenticationMiddleware and django-otp's OTPMiddleware.

    A signed-in user whose session has not passed a second factor is sent to
    enrolment (no factor yet: first sign-in, ``make admin``) or to verification, with
    the page they asked for as ``next``. A verified session whose user's factors have
    changed since (in another session) is signed out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            if request.path_info.startswith(ADMIN_PREFIX):
                response = self._enforce(request)
                if response is not None:
                    return response
            elif not (request.user.is_verified() and mfa_session_is_current(request=request)):
                # Outside the admin (login-restricted pages and documents), a session that
                # has not passed its second factor counts as no session at all.
                request.user = AnonymousUser()
        return self.get_response(request)

    def _enforce(self, request):
        user = request.user
        if user.is_verified():
            if mfa_session_is_current(request=request):
                return None
            logout(request)
            messages.warning(
                request,
                _("Your second factors were changed in another session. Sign in again."),
            )
            return redirect(reverse("wagtailadmin_login"))
        if self._view_name(request) in OPEN_VIEWS:
            return None
        target = "csce_mfa:verify" if mfa_is_enrolled(user=user) else "csce_mfa:enrol"
        next_url = request.get_full_path() if request.method == "GET" else ADMIN_PREFIX
        return redirect(f"{reverse(target)}?{urlencode({'next': next_url})}")

    @staticmethod
    def _view_name(request) -> str | None:
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return None
        return match.view_name
