"""Wagtail hooks of the second-factor screens: their URLs and the account page link."""

from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from . import mfa_views

passkey_urlpatterns = [
    path(
        "registration/begin/",
        mfa_views.PasskeyRegistrationBeginView.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        mfa_views.PasskeyRegistrationCompleteView.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        mfa_views.PasskeyAuthenticationBeginView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        mfa_views.PasskeyAuthenticationCompleteView.as_view(),
        name="credential-authentication-complete",
    ),
    path("jsi18n/", mfa_views.passkey_javascript_catalog, name="js-i18n-catalog"),
]

mfa_urlpatterns = [
    path("", mfa_views.manage, name="manage"),
    path("enrol/", mfa_views.enrol, name="enrol"),
    path("verify/", mfa_views.verify, name="verify"),
    path("recovery-codes/", mfa_views.recovery_codes, name="recovery_codes"),
    path(
        "recovery-codes/regenerate/",
        mfa_views.recovery_codes_regenerate,
        name="recovery_codes_regenerate",
    ),
    path("reauthenticate/", mfa_views.reauthenticate, name="reauthenticate"),
    path("remove/<str:device_type>/<int:pk>/", mfa_views.remove, name="remove"),
]


@hooks.register("register_admin_urls")
def mfa_admin_urls():
    # Under /admin/: Wagtail requires a signed-in staff member; MfaRequiredMiddleware
    # then lets an unverified session reach only enrolment and verification.
    return [
        path("mfa/", include((mfa_urlpatterns, "csce_mfa"))),
        path("mfa/passkeys/", include((passkey_urlpatterns, "otp_webauthn"))),
    ]


@hooks.register("register_account_menu_item")
def mfa_account_menu_item(request):
    return {
        "url": reverse("csce_mfa:manage"),
        "label": _("Two-step verification"),
        "help_text": _("Your authenticator apps, passkeys and recovery codes."),
    }
