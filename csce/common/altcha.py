"""Proof-of-work challenge served from our own origin (policy F, P5: no third party
sees visitors).

ALTCHA: the `altcha` Python library creates and checks the challenge, the widget of the
npm package `altcha` (vendored under static/common/vendor/altcha/) solves it in
the visitor's browser. No third party is contacted, no cookie is set (policy P5).

A solved payload is accepted once: a keyed hash of its challenge salt is recorded in the
database until the challenge expires, so a cache cull cannot let it be used again. A
form sent without a payload (JavaScript off) is accepted on the other defences, under a
stricter per-address limit (docs/decisions/0011-proof-of-work-challenge.md).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import time
from dataclasses import dataclass

import altcha
from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .client import address_key
from .guards import guard_key, rate_counter_hit, used_challenge_exists, used_challenge_record

CHALLENGE_FIELD = "form_challenge"
ALGORITHM = "SHA-256"
KEY_PREFIX = "000"
MAX_PAYLOAD_LENGTH = 4000
# A form shown again after an error keeps its solved check only while the check has this
# long left to live, so that the visitor has the time to correct and send (policy P5).
CARRY_OVER_MIN_SECONDS = 15 * 60


def _hmac_secret() -> bytes:
    # A key of its own, derived from SECRET_KEY: a leaked challenge signs nothing else.
    return hmac.new(settings.SECRET_KEY.encode(), b"csce:altcha-challenge", hashlib.sha256).digest()


def challenge_create() -> dict:
    """A signed challenge, as the widget reads it (JSON)."""
    challenge = altcha.create_challenge(
        ALGORITHM,
        settings.FORM_CHALLENGE_COST,
        key_prefix=KEY_PREFIX,
        expires_at=int(time.time()) + settings.FORM_CHALLENGE_EXPIRES_SECONDS,
        hmac_secret=_hmac_secret(),
    )
    return challenge.to_dict()


@dataclass(frozen=True)
class ChallengeOutcome:
    verified: bool
    missing: bool = False
    reason: str = ""


def _payload_parameters(payload: str) -> tuple[ChallengeOutcome | None, object | None]:
    """A payload's challenge parameters when it is signed by us, solved and unexpired;
    otherwise the outcome that refuses it. Records nothing."""
    payload = (payload or "").strip()
    if not payload:
        return ChallengeOutcome(verified=False, missing=True, reason="missing"), None
    if len(payload) > MAX_PAYLOAD_LENGTH:
        return ChallengeOutcome(verified=False, reason="invalid"), None
    try:
        result = altcha.verify_solution(payload, _hmac_secret())
    except (ValueError, TypeError, KeyError, AttributeError):
        return ChallengeOutcome(verified=False, reason="invalid"), None
    if result.expired:
        return ChallengeOutcome(verified=False, reason="expired"), None
    if not result.verified:
        return ChallengeOutcome(verified=False, reason="invalid"), None
    return None, altcha.Payload.from_base64(payload).challenge.parameters


def _used_key(params) -> str:
    return guard_key("altcha", str(params.salt))


def challenge_verify(*, payload: str) -> ChallengeOutcome:
    """Check a solved payload and mark it used; a second use of it fails."""
    refusal, params = _payload_parameters(payload)
    if refusal is not None:
        return refusal
    expires_at = datetime.datetime.fromtimestamp(
        int(params.expires_at or time.time()) + 1, tz=datetime.UTC
    )
    # Single use: only the first payload with this salt is recorded (policy M).
    if not used_challenge_record(key=_used_key(params), expires_at=expires_at):
        return ChallengeOutcome(verified=False, reason="replayed")
    return ChallengeOutcome(verified=True)


def challenge_carried_over(*, payload: str) -> bool:
    """Whether a form shown again after an error may keep this solved payload: signed by
    us, not used yet and with CARRY_OVER_MIN_SECONDS left. It stays single use: only
    challenge_verify, when the form is accepted, records it."""
    refusal, params = _payload_parameters(payload)
    if refusal is not None or not params.expires_at:
        return False
    if int(params.expires_at) - time.time() < CARRY_OVER_MIN_SECONDS:
        return False
    return not used_challenge_exists(key=_used_key(params))


def challenge_fallback_limited(request: HttpRequest) -> bool:
    """A form sent without a solved challenge counts against a stricter limit."""
    count = rate_counter_hit(
        key=address_key(request, scope="no-challenge"),
        window_seconds=settings.FORM_RATE_WINDOW_SECONDS,
    )
    return count > settings.FORM_CHALLENGE_FALLBACK_LIMIT


def challenge_solve(challenge: dict) -> str:
    """The payload a browser would send for ``challenge``: for tests and checks."""
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed, timeout=60)
    if solution is None:  # pragma: no cover - the difficulty is far below the timeout
        raise RuntimeError("challenge not solved in time")
    return altcha.Payload(parsed, solution).to_base64()


def challenge_strings() -> dict[str, str]:
    """The widget's wording in the visitor's language (its own text is English only)."""
    return {
        "label": _("I am not a robot"),
        "verify": _("Verify"),
        "verifying": _("Verifying…"),
        "waitAlert": _("Verifying… please wait."),
        "verified": _("Verified"),
        "verificationRequired": _("Verification required."),
        "error": _("Verification failed. You can still send the form."),
        "expired": _("Verification expired. Try again."),
        "loading": _("Loading…"),
        "reload": _("Reload"),
        "cancel": _("Cancel"),
        "footer": "",
        "ariaLinkLabel": "",
    }


class ChallengeWidget(forms.Widget):
    """The ALTCHA web component; scripts are separate files (CSP script-src 'self')."""

    template_name = "common/widgets/challenge.html"

    class Media:
        js = ()

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if value and challenge_carried_over(payload=value):
            # Shown again after an error: the check solved before holds, no second solve.
            context["widget"]["carried_over"] = True
            return context
        language = (get_language() or "fr")[:2]
        context["widget"].update(
            {
                "challenge_json": json.dumps(challenge_create()),
                "language": language,
                "strings_json": json.dumps({language: challenge_strings()}),
                "worker_url": static("common/vendor/altcha/workers/sha.js"),
            }
        )
        return context

    def value_from_datadict(self, data, files, name):
        return data.get(name, "")


class ChallengeField(forms.CharField):
    """Carries the solved payload; checked in the view, once, before storing."""

    widget = ChallengeWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("Anti-spam check"))
        kwargs.setdefault("max_length", MAX_PAYLOAD_LENGTH)
        super().__init__(**kwargs)
