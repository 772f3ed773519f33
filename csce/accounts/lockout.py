"""Brute-force protection around sign-in and password reset (policy M, ASVS 2.2).

django-axes counts failed sign-ins (passwords and second factors) and, at its failure
limit within its cool-off, locks for the cool-off (decision 0014):
- one address, whatever usernames it tries (one address spraying many accounts);
- one username, from whatever addresses (many addresses guessing one account);
- one username from one address.
So that guessing cannot shut a staff member out, a browser that completed a sign-in with
its second factor keeps a signed "trusted device" cookie for that username: there only the
username-and-address count applies, never the two counts an outsider can fill.

Axes never stores an address: it is given a keyed pseudonym of the client's address
(csce/common/client.py), shaped as an IPv6 address so that axes' own field accepts it (the
same address always gives the same pseudonym, and the key is the site's secret key).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress

from axes.helpers import get_client_username
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.http import HttpRequest, HttpResponse
from wagtail.admin.forms.auth import PasswordResetForm

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common.client import client_address
from csce.common.guards import guard_key, rate_counter_hit

# Password reset: at most this many requests per hour from one address, for one e-mail.
RESET_LIMIT_PER_ADDRESS = 5
RESET_LIMIT_PER_EMAIL = 3
RESET_WINDOW_SECONDS = 60 * 60


def _pseudonym_bytes(value: str) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).digest()


def client_ip_pseudonym(request: HttpRequest) -> str:
    """AXES_CLIENT_IP_CALLABLE: the client's address, replaced by a keyed pseudonym."""
    address = client_address(request)
    return str(ipaddress.IPv6Address(_pseudonym_bytes(f"ip:{address}")[:16]))


# --- Lockout parameters and the trusted-device cookie ----------------------------------
TRUSTED_DEVICE_COOKIE = "csce_trusted_device"
TRUSTED_DEVICE_MAX_AGE = datetime.timedelta(days=30)
# A shared computer remembers the last few staff members who signed in on it.
TRUSTED_DEVICE_USERNAMES = 5
_TRUSTED_DEVICE_SALT = "csce.accounts.trusted-device"

ALL_COUNTS = [["ip_address"], ["username"], ["username", "ip_address"]]
TRUSTED_DEVICE_COUNTS = [["username", "ip_address"]]


def _username_key(username: str) -> str:
    return _pseudonym_bytes(f"user:{username}").hex()[:32]


def _trusted_usernames(request: HttpRequest) -> list[str]:
    value = getattr(request, "COOKIES", {}).get(TRUSTED_DEVICE_COOKIE, "")
    try:
        keys = signing.loads(
            value, salt=_TRUSTED_DEVICE_SALT, max_age=TRUSTED_DEVICE_MAX_AGE.total_seconds()
        )
    except signing.BadSignature:
        return []
    return [key for key in keys if isinstance(key, str)] if isinstance(keys, list) else []


def device_is_trusted(*, request: HttpRequest, username: str | None) -> bool:
    """This browser completed a sign-in, second factor included, as ``username``."""
    return bool(username) and _username_key(username) in _trusted_usernames(request)


def lockout_parameters(request_or_attempt, credentials: dict | None = None) -> list:
    """AXES_LOCKOUT_PARAMETERS: every count, less the two an outsider can fill when the
    browser is the username's trusted device (decision 0014)."""
    if not isinstance(request_or_attempt, HttpRequest):
        return ALL_COUNTS  # axes asks about a stored attempt: no browser to trust
    username = get_client_username(request_or_attempt, credentials)
    if device_is_trusted(request=request_or_attempt, username=username):
        return TRUSTED_DEVICE_COUNTS
    return ALL_COUNTS


def trusted_device_mark(*, request: HttpRequest, username: str) -> None:
    """The second factor was given: the response remembers this browser for ``username``."""
    request.csce_trusted_device = username


class TrustedDeviceMiddleware:
    """Sets the trusted-device cookie on the response of a completed sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        username = getattr(request, "csce_trusted_device", None)
        if username:
            key = _username_key(username)
            others = [k for k in _trusted_usernames(request) if k != key]
            value = signing.dumps(
                [key, *others][:TRUSTED_DEVICE_USERNAMES], salt=_TRUSTED_DEVICE_SALT
            )
            response.set_cookie(
                TRUSTED_DEVICE_COOKIE,
                value,
                max_age=int(TRUSTED_DEVICE_MAX_AGE.total_seconds()),
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def _user_id(username: str | None) -> int | None:
    if not username:
        return None
    User = get_user_model()
    return (
        User._default_manager.filter(**{User.USERNAME_FIELD: username})
        .values_list("pk", flat=True)
        .first()
    )


def lockout_record(*, username: str | None) -> None:
    """LOCKED_OUT in the access log: the account's id when it exists, never the name typed."""
    user_id = _user_id(username)
    access_log_record(
        action=AccessAction.LOCKED_OUT,
        actor=None,
        object_type="auth.user" if user_id else "",
        object_id=user_id or "",
        details={"known_account": user_id is not None},
    )


def lockout_release(*, username: str, actor) -> int:
    """Unlock a username (every address); log UNLOCKED. Returns the attempts removed."""
    removed = reset(username=username)
    user_id = _user_id(username)
    access_log_record(
        action=AccessAction.UNLOCKED,
        actor=actor,
        object_type="auth.user" if user_id else "",
        object_id=user_id or "",
        details={"attempts_removed": removed},
    )
    return removed


def _over_limit(key: str, limit: int) -> bool:
    # In the database: a cache cull (a flood of resets can cause one) cannot reset the
    # count (policy M, csce/common/guards.py).
    count = rate_counter_hit(key=guard_key(key), window_seconds=RESET_WINDOW_SECONDS)
    return count > limit


class RateLimitedPasswordResetForm(PasswordResetForm):
    """Wagtail's reset form, sending at most a few messages per address and per e-mail.

    Over the limit the visitor sees exactly the same answer ("if an account exists, a
    message was sent"), so the limit reveals nothing about accounts either.
    """

    def save(self, *args, request: HttpRequest | None = None, **kwargs):
        email = self.cleaned_data.get("email", "").strip().lower()
        email_key = _pseudonym_bytes(f"email:{email}").hex()[:32]
        address_key = client_ip_pseudonym(request) if request is not None else "none"
        over_email = _over_limit(f"pwreset:email:{email_key}", RESET_LIMIT_PER_EMAIL)
        over_address = _over_limit(f"pwreset:ip:{address_key}", RESET_LIMIT_PER_ADDRESS)
        if over_email or over_address:
            return None
        return super().save(*args, request=request, **kwargs)
