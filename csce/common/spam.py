"""Spam and abuse protection of public forms without a third party (policy F, P5).

A honeypot field, a minimum fill time carried in a signed token (no cookie), and a
per-address rate limit kept in the database under a keyed hash of the address, deleted
after the window: the address itself is never stored (policy P5), and a cache that
forgets cannot reset the limit (policy M, csce/common/guards.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .altcha import CHALLENGE_FIELD, ChallengeField, challenge_fallback_limited, challenge_verify
from .client import address_key
from .guards import rate_counter_hit

HONEYPOT_FIELD = "form_website"
STARTED_FIELD = "form_started"
_SIGNING_SALT = "csce.submissions.form-started"

# The token outlives a long, interrupted visit; older forms are simply re-displayed.
MAX_FORM_AGE_SECONDS = 24 * 3600


def form_started_token(*, page_id: int, shown_at: float | None = None) -> str:
    """The signed moment the form was shown (now, unless ``shown_at`` says otherwise)."""
    moment = time.time() if shown_at is None else shown_at
    return signing.dumps({"p": page_id, "t": int(moment)}, salt=_SIGNING_SALT)


def form_fill_seconds(*, token: str, page_id: int) -> float | None:
    """Seconds since the form was displayed, or None when the token is not ours."""
    try:
        data = signing.loads(token or "", salt=_SIGNING_SALT, max_age=MAX_FORM_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("p") != page_id:
        return None
    return time.time() - float(data.get("t", 0))


def rate_limit_hit(request: HttpRequest, *, scope: str = "forms") -> bool:
    """Count one submission from this address; True when it is over the limit."""
    count = rate_counter_hit(
        key=address_key(request, scope=scope), window_seconds=settings.FORM_RATE_WINDOW_SECONDS
    )
    return count > settings.FORM_RATE_LIMIT


def same_origin(request: HttpRequest) -> bool:
    """The POST came from a page of ours (decision 0010: no CSRF cookie for visitors)."""
    source = request.META.get("HTTP_ORIGIN") or request.META.get("HTTP_REFERER")
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    return f"{parts.scheme}://{parts.netloc}" == f"{request.scheme}://{request.get_host()}"


@dataclass(frozen=True)
class Refusal:
    """Why a public form was not accepted: the status and the notice shown above it."""

    status: int
    notice: str
    # A robot filled the honeypot: answer as if all went well and keep nothing.
    silent: bool = False


def _too_many() -> str:
    return _(
        "Many forms were sent from your connection in the last few minutes. "
        "Please wait a moment, then send again: your answers are kept below."
    )


def public_form_refusal(request: HttpRequest, *, form, token_scope: int) -> Refusal | None:
    """Every defence of a public form, in order (policy P5); None: accept it.

    ``form`` is bound and carries HONEYPOT_FIELD, STARTED_FIELD and, when the challenge
    is enabled, CHALLENGE_FIELD. ``token_scope`` is what its fill-time token was made for.
    """

    if not same_origin(request):
        return Refusal(403, _("Your answers were not sent: please send the form from this page."))
    if rate_limit_hit(request):
        return Refusal(429, _too_many())
    if not form.is_valid():
        return Refusal(400, "")
    if form.cleaned_data.get(HONEYPOT_FIELD):
        return Refusal(200, "", silent=True)
    seconds = form_fill_seconds(token=form.cleaned_data.get(STARTED_FIELD, ""), page_id=token_scope)
    if seconds is None or seconds < settings.FORM_MIN_FILL_SECONDS:
        return Refusal(
            400, _("Please take a moment to check your answers below, then send the form again.")
        )
    if settings.FORM_CHALLENGE_ENABLED:
        outcome = challenge_verify(payload=form.cleaned_data.get(CHALLENGE_FIELD, ""))
        # No payload: JavaScript is off; the other defences and a stricter limit apply.
        if outcome.missing and challenge_fallback_limited(request):
            return Refusal(429, _too_many())
        if not outcome.verified and not outcome.missing:
            return Refusal(
                400,
                _(
                    "The anti-spam check could not be confirmed. Please wait until it shows "
                    "“Verified”, then send the form again: your answers are kept below."
                ),
            )
    return None


def guard_form_fields() -> dict[str, forms.Field]:
    """The honeypot, the fill-time token and the challenge, for a public form class."""

    fields: dict[str, forms.Field] = {
        HONEYPOT_FIELD: forms.CharField(
            label=gettext_lazy("Leave this field empty"),
            required=False,
            max_length=200,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        ),
        STARTED_FIELD: forms.CharField(required=False, widget=forms.HiddenInput),
    }
    if settings.FORM_CHALLENGE_ENABLED:
        fields[CHALLENGE_FIELD] = ChallengeField()
    return fields


def guard_token_refresh(form, *, token_scope: int) -> None:
    """A fresh fill-time token each time the form is shown, so the clock starts now."""
    if form.is_bound:
        data = form.data.copy()
        data[STARTED_FIELD] = form_started_token(page_id=token_scope)
        form.data = data
    else:
        form.initial[STARTED_FIELD] = form_started_token(page_id=token_scope)
