"""Second-factor screens of the Wagtail admin (policy M): enrol, verify, manage.

The enrolment and verification screens are the only admin views an unverified session
reaches (``mfa_middleware``); the others need a verified session, and removing a factor
or regenerating recovery codes also needs a fresh re-authentication.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn import exceptions as webauthn_exceptions
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from csce.common import policy

from . import mfa
from .mfa_forms import INVALID_CODE, THROTTLED, ReauthenticateForm, TotpEnrolForm, VerifyForm


def _next_url(request: HttpRequest, default: str = "") -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return default or reverse("wagtailadmin_home")


def _with_next(view_name: str, next_url: str, **kwargs) -> str:
    return f"{reverse(view_name, kwargs=kwargs or None)}?{urlencode({'next': next_url})}"


def _passkeys_available(request: HttpRequest) -> bool:
    """Browsers offer passkeys only on the origin they were set up for (settings)."""
    return request.get_host().rsplit(":", 1)[0] == settings.OTP_WEBAUTHN_RP_ID


def _enrolment_finish(request: HttpRequest) -> None:
    """After a first factor, the recovery codes: generated once, shown once."""
    if not mfa.recovery_codes_exist(user=request.user):
        codes = mfa.recovery_codes_generate(request=request)
        request.session[mfa.SESSION_NEW_RECOVERY_CODES] = codes


def enrol(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app or a passkey: forced at first sign-in, or by choice."""
    user = request.user
    next_url = _next_url(request)
    enrolled = mfa.mfa_is_enrolled(user=user)
    if enrolled and not user.is_verified():
        return redirect(_with_next("csce_mfa:verify", next_url))
    device = mfa.totp_device_pending(user=user)
    form = TotpEnrolForm(request.POST or None, initial={"name": _("Authenticator app")})
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"] or _("Authenticator app")
        if mfa.totp_device_confirm(
            request=request, device=device, token=form.cleaned_data["code"], name=name
        ):
            _enrolment_finish(request)
            if request.session.get(mfa.SESSION_NEW_RECOVERY_CODES):
                return redirect(_with_next("csce_mfa:recovery_codes", next_url))
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(next_url if not enrolled else reverse("csce_mfa:manage"))
        form.add_error("code", INVALID_CODE)
    return render(
        request,
        "accounts/mfa/enrol.html",
        {
            "title": _("Set up two-step verification"),
            "form": form,
            "next": next_url,
            "forced": not enrolled,
            "passkeys_available": _passkeys_available(request),
            "secret": mfa.totp_secret(device=device),
            "qr_code": mfa.totp_qr_svg(
                device=device, title=_("QR code to scan with your authenticator app")
            ),
            "passkey_done_url": _with_next("csce_mfa:recovery_codes", next_url)
            if not mfa.recovery_codes_exist(user=user)
            else reverse("csce_mfa:manage"),
        },
    )


def verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: an app code, a recovery code or a passkey."""
    user = request.user
    next_url = _next_url(request)
    if not mfa.mfa_is_enrolled(user=user):
        return redirect(_with_next("csce_mfa:enrol", next_url))
    if user.is_verified():
        return redirect(next_url)
    if mfa.mfa_is_locked_out(request=request):
        return mfa.mfa_lockout_response(request=request)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        device, throttled = mfa.mfa_verify_code(request=request, code=code)
        if device is not None:
            if mfa.mfa_device_type(device) == mfa.RECOVERY_CODES:
                messages.warning(
                    request,
                    _("Recovery code accepted. Recovery codes left: %(count)s.")
                    % {"count": mfa.recovery_codes_remaining(user=user)},
                )
            return redirect(next_url)
        # Policy M: logged and counted toward the lockout (the lockout page, when reached).
        mfa.mfa_failure_record(request=request, factor=mfa.mfa_code_factor(code))
        form.add_error("code", THROTTLED if throttled else INVALID_CODE)
    has_passkey = WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    return render(
        request,
        "accounts/mfa/verify.html",
        {
            "title": _("Two-step verification"),
            "form": form,
            "next": next_url,
            "has_passkey": has_passkey,
            "passkeys_available": _passkeys_available(request),
        },
    )


def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The new recovery codes, shown this once."""
    codes = request.session.pop(mfa.SESSION_NEW_RECOVERY_CODES, None)
    next_url = _next_url(request, reverse("csce_mfa:manage"))
    if not codes:
        return redirect(next_url)
    return render(
        request,
        "accounts/mfa/recovery_codes.html",
        {"title": _("Your recovery codes"), "codes": codes, "next": next_url},
    )


def manage(request: HttpRequest) -> HttpResponse:
    """The staff member's own factors, from their account page."""
    user = request.user
    devices = mfa.mfa_devices(user=user)
    primary = [d for d in devices if mfa.mfa_device_type(d) in (mfa.TOTP, mfa.PASSKEY)]
    rows = [
        {
            "device": d,
            "type": mfa.mfa_device_type(d),
            "removable": len(primary) > 1,
            "remove_url": reverse(
                "csce_mfa:remove", kwargs={"device_type": mfa.mfa_device_type(d), "pk": d.pk}
            ),
        }
        for d in primary
    ]
    return render(
        request,
        "accounts/mfa/manage.html",
        {
            "title": _("Two-step verification"),
            "rows": rows,
            "recovery_codes_left": mfa.recovery_codes_remaining(user=user),
            "current": getattr(user, "otp_device", None),
        },
    )


def reauthenticate(request: HttpRequest) -> HttpResponse:
    """Password and a second factor again, before a factor may be removed."""
    user = request.user
    next_url = _next_url(request, reverse("csce_mfa:manage"))
    passkey_used = mfa.mfa_passkey_recently_used(request=request)
    form = ReauthenticateForm(request.POST or None, user=user, passkey_used=passkey_used)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if passkey_used and not code:
            mfa.mfa_reauthenticated_mark(request=request)
            return redirect(next_url)
        device, throttled = mfa.mfa_verify_code(request=request, code=code)
        if device is not None:
            mfa.mfa_reauthenticated_mark(request=request)
            return redirect(next_url)
        if code:
            mfa.mfa_failure_record(request=request, factor=mfa.mfa_code_factor(code))
        form.add_error("code", THROTTLED if throttled else INVALID_CODE)
    has_passkey = WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    return render(
        request,
        "accounts/mfa/reauthenticate.html",
        {
            "title": _("Confirm it is you"),
            "form": form,
            "next": next_url,
            "has_passkey": has_passkey,
            "passkey_used": passkey_used,
            "passkeys_available": _passkeys_available(request),
        },
    )


DEVICE_MODELS = {mfa.TOTP: TOTPDevice, mfa.PASSKEY: WebAuthnCredential}


def remove(request: HttpRequest, device_type: str, pk: int) -> HttpResponse:
    model = DEVICE_MODELS.get(device_type)
    if model is None:
        raise Http404
    device = model.objects.filter(user=request.user, pk=pk, confirmed=True).first()
    if device is None:
        raise Http404
    if not mfa.mfa_is_recently_reauthenticated(request=request):
        return redirect(_with_next("csce_mfa:reauthenticate", request.path))
    if request.method == "POST":
        try:
            mfa.mfa_device_remove(request=request, device=device)
        except mfa.LastFactorError:
            messages.error(request, _("Keep at least one authenticator app or passkey."))
        else:
            messages.success(request, _("The factor was removed. Your other sessions ended."))
        return redirect("csce_mfa:manage")
    return render(
        request,
        "accounts/mfa/remove.html",
        {"title": _("Remove a factor"), "device": device, "type": device_type},
    )


@require_POST
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    if not mfa.mfa_is_recently_reauthenticated(request=request):
        return redirect(_with_next("csce_mfa:reauthenticate", reverse("csce_mfa:manage")))
    request.session[mfa.SESSION_NEW_RECOVERY_CODES] = mfa.recovery_codes_generate(request=request)
    return redirect(_with_next("csce_mfa:recovery_codes", reverse("csce_mfa:manage")))


# --- Passkeys: django-otp-webauthn's API views, served from our origin -------------------
class PasskeyRegistrationBeginView(BeginCredentialRegistrationView):
    pass


class PasskeyRegistrationCompleteView(CompleteCredentialRegistrationView):
    """Registers the passkey (library), then logs it and binds the session (ours)."""

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        device = WebAuthnCredential.objects.get(
            pk=json.loads(response.content)["id"], user=self.request.user
        )
        mfa.mfa_device_added(request=self.request, device=device)
        _enrolment_finish(self.request)
        return response


class PasskeyAuthenticationBeginView(BeginCredentialAuthenticationView):
    pass


class PasskeyLockedOut(webauthn_exceptions.OTPWebAuthnApiError):
    status_code = 429
    default_detail = policy.interpolate_lazy(
        ngettext_lazy(
            "There were too many failed sign-ins for this account from your connection. "
            "Wait %(minutes)s minute, then try again.",
            "There were too many failed sign-ins for this account from your connection. "
            "Wait %(minutes)s minutes, then try again.",
            "minutes",
        ),
        {"minutes": policy.LOCKOUT_MINUTES},
    )
    default_code = "locked_out"


class PasskeyAuthenticationCompleteView(CompleteCredentialAuthenticationView):
    """A passkey as the second step after the password, never instead of it.

    A failed assertion counts toward the lockout like a wrong code (policy M).
    """

    def post(self, *args, **kwargs):
        request = self.request
        if not request.user.is_authenticated:
            raise webauthn_exceptions.PasswordlessLoginDisabled
        if mfa.mfa_is_locked_out(request=request):
            raise PasskeyLockedOut
        try:
            return super().post(*args, **kwargs)
        except webauthn_exceptions.OTPWebAuthnApiError:
            mfa.mfa_failure_record(request=request, factor=mfa.PASSKEY)
            raise

    def complete_auth(self, device):
        if device.user_id != self.request.user.pk:
            raise webauthn_exceptions.CredentialUserMismatch
        mfa.mfa_session_verify(request=self.request, device=device)
        mfa.mfa_failures_reset(request=self.request)
        self.request.session[mfa.SESSION_PASSKEY_USED_AT] = mfa.time.time()

    def get_success_url(self):
        return self.get_redirect_url() or reverse("wagtailadmin_home")


# The library's strings, with our French translations beside its own catalogue.
passkey_javascript_catalog = JavaScriptCatalog.as_view(
    packages=["django_otp_webauthn", "csce.accounts"]
)
