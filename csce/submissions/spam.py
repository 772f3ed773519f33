"""Spam and abuse protection without a third party (issue 4, item 9).

A honeypot field, a minimum fill time carried in a signed token (no cookie), and a
per-address rate limit kept in the cache under a keyed hash of the address, which
expires with the window: the address itself is never stored (policy P5).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

HONEYPOT_FIELD = "form_website"
STARTED_FIELD = "form_started"
_SIGNING_SALT = "csce.submissions.form-started"

# People need more than a few seconds to fill a form; scripts don't wait.
MIN_FILL_SECONDS = 3
# The token outlives a long, interrupted visit; older forms are simply re-displayed.
MAX_FORM_AGE_SECONDS = 24 * 3600


def form_started_token(*, page_id: int) -> str:
    return signing.dumps({"p": page_id, "t": int(time.time())}, salt=_SIGNING_SALT)


def form_fill_seconds(*, token: str, page_id: int) -> float | None:
    """Seconds since the form was displayed, or None when the token is not ours."""
    try:
        data = signing.loads(token or "", salt=_SIGNING_SALT, max_age=MAX_FORM_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("p") != page_id:
        return None
    return time.time() - float(data.get("t", 0))


def _address_key(request: HttpRequest, *, scope: str) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return f"submissions:rate:{scope}:{digest.hexdigest()[:32]}"


def rate_limit_hit(request: HttpRequest, *, scope: str = "forms") -> bool:
    """Count one submission from this address; True when it is over the limit."""
    limit = settings.FORM_RATE_LIMIT
    window = settings.FORM_RATE_WINDOW_SECONDS
    key = _address_key(request, scope=scope)
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return False
    return count > limit
