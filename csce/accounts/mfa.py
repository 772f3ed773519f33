"""Second factors for staff accounts (policy M, ASVS level 2): the services.

The cryptography is django-otp's (TOTP), django-otp-webauthn's (passkeys and security
keys) and Django's (the keyed hashes of recovery codes, ``mfa_models``); this module
decides who may
do what, records every change in the access log, and ties a session to the set of
factors it was verified with, so that changing a factor ends the user's other sessions
whatever the session store (docs/decisions/0007-mfa.md).
"""

from __future__ import annotations

import hashlib
import time
from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth import logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record

from .lockout import trusted_device_mark
from .mfa_models import RecoveryCodeDevice, recovery_code_new

RECOVERY_CODE_COUNT = 10
# Removing a factor or regenerating recovery codes needs the password and a second
# factor given this recently (seconds).
REAUTHENTICATION_SECONDS = 5 * 60

SESSION_FACTORS = "csce_mfa_factors"
SESSION_REAUTHENTICATED_AT = "csce_mfa_reauthenticated_at"
SESSION_PASSKEY_USED_AT = "csce_mfa_passkey_used_at"
SESSION_NEW_RECOVERY_CODES = "csce_mfa_new_recovery_codes"

TOTP = "totp"
PASSKEY = "passkey"
RECOVERY_CODES = "recovery_codes"


def mfa_device_type(device: Device) -> str:
    """The kind of a factor, the only thing about it the access log records."""
    if isinstance(device, TOTPDevice):
        return TOTP
    if isinstance(device, WebAuthnCredential):
        return PASSKEY
    if isinstance(device, RecoveryCodeDevice):
        return RECOVERY_CODES
    return type(device).__name__.lower()


def mfa_devices(*, user: AbstractBaseUser) -> list[Device]:
    """Every confirmed factor of the user, recovery codes included."""
    return list(devices_for_user(user, confirmed=True))


def mfa_primary_devices(*, user: AbstractBaseUser) -> list[Device]:
    """The factors a user signs in with day to day: authenticator apps and passkeys."""
    return [d for d in mfa_devices(user=user) if mfa_device_type(d) in (TOTP, PASSKEY)]


def mfa_is_enrolled(*, user: AbstractBaseUser) -> bool:
    return bool(mfa_primary_devices(user=user))


def mfa_factors_fingerprint(*, user: AbstractBaseUser) -> str:
    """A digest of the user's set of factors: it changes when one is added or removed."""
    ids = sorted(d.persistent_id for d in mfa_devices(user=user))
    return hashlib.sha256("|".join(ids).encode()).hexdigest()


def mfa_session_bind(*, request: HttpRequest) -> None:
    """Tie this session to the user's current factors; others see a change and end."""
    request.session[SESSION_FACTORS] = mfa_factors_fingerprint(user=request.user)


def mfa_session_is_current(*, request: HttpRequest) -> bool:
    """False when the user's factors changed since this session was verified elsewhere."""
    bound = request.session.get(SESSION_FACTORS)
    if bound is None:
        mfa_session_bind(request=request)
        return True
    return bound == mfa_factors_fingerprint(user=request.user)


def mfa_session_verify(*, request: HttpRequest, device: Device) -> None:
    """Mark the session as having passed the second factor with ``device``.

    Policy M, ASVS 3.2.1: a new session key at the privilege change, so a key read or
    planted before the second factor (fixation) does not carry the verified session.
    """
    request.session.cycle_key()
    otp_login(request, device)
    request.user.otp_device = device
    request.session[SESSION_REAUTHENTICATED_AT] = None
    mfa_session_bind(request=request)


# --- TOTP -------------------------------------------------------------------------------
def totp_device_pending(*, user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed authenticator-app device being enrolled (one per user), so the
    secret shown stays the same across reloads until a first valid code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="", confirmed=False)
    return device


def totp_secret(*, device: TOTPDevice) -> str:
    """The base32 secret for manual entry, in groups of four characters."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(*, device: TOTPDevice, title: str) -> SafeString:
    """The otpauth:// address as an inline SVG QR code, drawn here: no external service."""
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=5, border=4, dark="#000", light="#fff", title=title)
    attributes = format_html('<svg role="img" aria-label="{}" focusable="false" ', title)
    # segno escapes what it writes; the only input is the otpauth:// address it encodes.
    return mark_safe(svg.replace("<svg ", attributes, 1))  # noqa: S308


def totp_device_confirm(*, request: HttpRequest, device: TOTPDevice, token: str, name: str) -> bool:
    """Confirm the pending device with a first valid code; False when the code is wrong."""
    token = normalise_code(token)
    if not (token.isdigit() and device.verify_token(token)):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=device.user, confirmed=False).exclude(pk=device.pk).delete()
        device.name = name
        device.confirmed = True
        device.save(update_fields=["name", "confirmed"])
        mfa_device_added(request=request, device=device)
    return True


# --- Recovery codes ---------------------------------------------------------------------
def recovery_codes_generate(*, request: HttpRequest) -> list[str]:
    """Ten new single-use codes replacing any old ones; shown once, right away.

    The device itself is replaced, so that the change ends the user's other sessions.
    """
    user = request.user
    with transaction.atomic():
        old = list(RecoveryCodeDevice.objects.filter(user=user))
        device = RecoveryCodeDevice.objects.create(user=user, name="recovery codes", confirmed=True)
        codes = [recovery_code_new() for _ in range(RECOVERY_CODE_COUNT)]
        device.codes_create(codes)
        verified_by_old = request.session.get(DEVICE_ID_SESSION_KEY) in {
            d.persistent_id for d in old
        }
        for previous in old:
            _device_delete(request=request, device=previous)
        mfa_device_added(request=request, device=device)
        if verified_by_old:
            mfa_session_verify(request=request, device=device)
    return codes


def recovery_codes_exist(*, user: AbstractBaseUser) -> bool:
    return RecoveryCodeDevice.objects.filter(user=user).exists()


def recovery_codes_remaining(*, user: AbstractBaseUser) -> int:
    return sum(
        device.codes.count()
        for device in RecoveryCodeDevice.objects.filter(user=user, confirmed=True)
    )


# --- Verification -----------------------------------------------------------------------
def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def mfa_code_factor(code: str) -> str:
    """The kind of factor a typed code was meant for: six digits are an app's code."""
    code = normalise_code(code)
    return TOTP if code.isdigit() and len(code) == 6 else RECOVERY_CODES


def mfa_code_match(*, user: AbstractBaseUser, code: str) -> tuple[Device | None, bool]:
    """(device, throttled): the factor a six-digit app code or a recovery code belongs to.

    django-otp refuses a replayed TOTP code (it keeps the last time step used) and slows
    down guessing on each device; a recovery code is deleted when it is used.
    """
    code = normalise_code(code)
    if mfa_code_factor(code) == TOTP:
        devices = [d for d in mfa_devices(user=user) if isinstance(d, TOTPDevice)]
    elif code:
        devices = [d for d in mfa_devices(user=user) if isinstance(d, RecoveryCodeDevice)]
    else:
        return None, False
    throttled = False
    for device in devices:
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            throttled = True
            continue
        if device.verify_token(code):
            return device, False
    return None, throttled


def mfa_verify_code(*, request: HttpRequest, code: str) -> tuple[Device | None, bool]:
    """Verify the signed-in user's session with a code; logs a recovery code's use."""
    device, throttled = mfa_code_match(user=request.user, code=code)
    if device is not None:
        if isinstance(device, RecoveryCodeDevice):
            access_log_record(
                action=AccessAction.RECOVERY_CODE_USED,
                actor=request.user,
                object_type="otp_device",
                object_id=device.pk,
                details={"device_type": RECOVERY_CODES},
            )
        mfa_session_verify(request=request, device=device)
        mfa_failures_reset(request=request)
    return device, throttled


# --- Failed second factors: logged, and counted with failed passwords -------------------
def _axes_credentials(user: AbstractBaseUser) -> dict[str, str]:
    return {"username": user.get_username()}


def mfa_is_locked_out(*, request: HttpRequest) -> bool:
    """True while django-axes locks this username from this address (policy M)."""
    return not AxesProxyHandler.is_allowed(request, _axes_credentials(request.user))


def mfa_failure_record(*, request: HttpRequest, factor: str) -> None:
    """A wrong app code, recovery code or passkey: logged (the factor's kind, never what was
    typed) and counted by django-axes with failed passwords, 5 for the username and
    address locking both steps for 15 minutes. A lockout ends the half-done sign-in and
    django-axes' middleware answers with the lockout page."""
    user = request.user
    access_log_record(
        action=AccessAction.SIGN_IN_FAILED,
        actor=user,
        object_type=user._meta.label_lower,
        object_id=user.pk,
        details={"step": "second_factor", "factor": factor},
    )
    credentials = _axes_credentials(user)
    AxesProxyHandler.user_login_failed(__name__, credentials, request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
        request.axes_credentials = credentials


def mfa_lockout_response(*, request: HttpRequest) -> HttpResponse:
    """The lockout page for a session that reaches the second step while locked."""
    credentials = _axes_credentials(request.user)
    logout(request)
    return get_lockout_response(request, None, credentials)


def mfa_failures_reset(*, request: HttpRequest) -> None:
    """A second factor given: clear the failures counted for this username and address.

    Only here (AXES_RESET_ON_SUCCESS is off): if a right password cleared them, signing in
    again would give five new guesses at the second factor each time."""
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.reset_attempts(
        ip_address=request.axes_ip_address, username=request.user.get_username()
    )
    # Guessing from elsewhere no longer locks this browser out (decision 0014).
    trusted_device_mark(request=request, username=request.user.get_username())


# --- Re-authentication ------------------------------------------------------------------
def mfa_reauthenticated_mark(*, request: HttpRequest) -> None:
    request.session[SESSION_REAUTHENTICATED_AT] = time.time()


def mfa_is_recently_reauthenticated(*, request: HttpRequest) -> bool:
    at = request.session.get(SESSION_REAUTHENTICATED_AT)
    return bool(at) and time.time() - at < REAUTHENTICATION_SECONDS


def mfa_passkey_recently_used(*, request: HttpRequest) -> bool:
    at = request.session.get(SESSION_PASSKEY_USED_AT)
    return bool(at) and time.time() - at < REAUTHENTICATION_SECONDS


# --- Adding and removing ----------------------------------------------------------------
def mfa_device_added(*, request: HttpRequest, device: Device) -> None:
    """Log a new factor and end the user's other sessions (policy M: a stolen session does
    not outlive a new factor)."""
    access_log_record(
        action=AccessAction.MFA_ADDED,
        actor=request.user,
        object_type="otp_device",
        object_id=device.pk,
        details={"device_type": mfa_device_type(device)},
    )
    if getattr(request.user, "otp_device", None) is None:
        mfa_session_verify(request=request, device=device)
    else:
        mfa_session_bind(request=request)


class LastFactorError(Exception):
    """A user must keep at least one authenticator app or passkey."""


def mfa_device_remove(*, request: HttpRequest, device: Device) -> None:
    """Remove one of the signed-in user's factors (re-authentication checked by the view)."""
    user = request.user
    if device.user_id != user.pk:
        raise PermissionError("not the user's own factor")
    with transaction.atomic():
        primary = mfa_primary_devices(user=user)
        if mfa_device_type(device) in (TOTP, PASSKEY) and len(primary) <= 1:
            raise LastFactorError
        _device_delete(request=request, device=device)
        current = request.session.get(DEVICE_ID_SESSION_KEY)
        if current == device.persistent_id:
            # The user has just re-authenticated: this session stays verified.
            mfa_session_verify(request=request, device=next(d for d in primary if d != device))
        else:
            mfa_session_bind(request=request)


def _device_delete(*, request: HttpRequest, device: Device) -> None:
    device_type, device_id = mfa_device_type(device), device.pk
    device.delete()
    access_log_record(
        action=AccessAction.MFA_REMOVED,
        actor=request.user,
        object_type="otp_device",
        object_id=device_id,
        details={"device_type": device_type},
    )
