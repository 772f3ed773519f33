"""Recovery codes kept only as keyed hashes (policy M; docs/decisions/0007-mfa.md).

django-otp's own recovery codes (``otp_static``) are stored as typed; a copy of the
database would then hold working second factors. Here each code is kept as an
HMAC-SHA256 keyed with the site's secret key: the codes are random (50 bits for new
ones), so a slow password hash would add nothing but a slow sign-in page, and without
the key a stolen table cannot be tested against guesses at all.
"""

from __future__ import annotations

import hmac
from base64 import b32encode
from os import urandom

from django.conf import settings
from django.db import models, transaction
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

RECOVERY_CODE_SALT = "csce.accounts.recovery_code"


def recovery_code_new() -> str:
    """Ten random base32 characters (50 bits), shown in two groups for reading aloud."""
    code = b32encode(urandom(10)).decode()[:10].lower()
    return f"{code[:5]}-{code[5:]}"


def recovery_code_normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def recovery_code_hash(code: str, *, secret: str | None = None) -> str:
    """The stored form of a code: HMAC-SHA256 with a key derived from the secret key."""
    return salted_hmac(
        RECOVERY_CODE_SALT,
        recovery_code_normalise(code),
        secret=secret or settings.SECRET_KEY,
        algorithm="sha256",
    ).hexdigest()


def recovery_code_hashes(code: str) -> list[str]:
    """The code's hash under the secret key and every fallback key (key rotation)."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [recovery_code_hash(code, secret=secret) for secret in secrets]


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A user's set of single-use recovery codes, as one django-otp factor."""

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self) -> int:
        # The same setting as django-otp's own recovery codes, which these replace.
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def codes_create(self, codes: list[str]) -> None:
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=self, token_hash=recovery_code_hash(code)) for code in codes
        )

    def verify_token(self, token) -> bool:
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        candidates = recovery_code_hashes(str(token))
        match = None
        # Every stored hash is compared, each in constant time.
        for pk, stored in self.codes.values_list("pk", "token_hash"):
            for candidate in candidates:
                if hmac.compare_digest(stored, candidate):
                    match = pk
        # Single use even under concurrent requests: only the request that deletes it wins.
        with transaction.atomic():
            used = match is not None and RecoveryCode.objects.filter(pk=match).delete()[0] == 1
        if used:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment()
        return used


class RecoveryCode(models.Model):
    """One unused recovery code, as its keyed hash; deleted when used."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    token_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.device_id} / {self.pk}"  # never the hash
