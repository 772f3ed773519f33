"""Form helpers for any app's tests: what a browser sends to a public form."""

from __future__ import annotations

import time

from django.core import signing

from csce.common.spam import _SIGNING_SALT


def started_token(page, *, seconds_ago: int = 30) -> str:
    """The signed token of a form shown ``seconds_ago`` seconds ago (the fill-time check)."""
    return signing.dumps({"p": page.pk, "t": int(time.time()) - seconds_ago}, salt=_SIGNING_SALT)


def post_form(client, page, data, **extra):
    """Post ``data`` to the page's form from the site itself, as a browser does."""
    extra.setdefault("HTTP_ORIGIN", "http://testserver")
    return client.post(page.url, data, **extra)
