"""Brute-force protection around sign-in and password reset (policy M, ASVS 2.2).

django-axes locks a username from one address after 5 failures for 15 minutes. It never
stores an address: it is given a keyed pseudonym of it, shaped as an IPv6 address so
that axes' own field accepts it (the same address always gives the same pseudonym, so
locking by address still works, and the key is the site's secret key).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from wagtail.admin.forms.auth import PasswordResetForm

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common.guards import guard_key, rate_counter_hit

# Password reset: at most this many requests per hour from one address, for one e-mail.
RESET_LIMIT_PER_ADDRESS = 5
RESET_LIMIT_PER_EMAIL = 3
RESET_WINDOW_SECONDS = 60 * 60


def _pseudonym_bytes(value: str) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).digest()


def client_ip_pseudonym(request: HttpRequest) -> str:
    """AXES_CLIENT_IP_CALLABLE: the client's address, replaced by a keyed pseudonym."""
    address = request.META.get("REMOTE_ADDR") or ""
    return str(ipaddress.IPv6Address(_pseudonym_bytes(f"ip:{address}")[:16]))


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
    from axes.utils import reset

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
