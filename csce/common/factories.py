"""Form helpers for any app's tests: what a browser sends to a public form."""

from __future__ import annotations

import time

from csce.common.spam import form_started_token


def started_token(page, *, seconds_ago: int = 30) -> str:
    """The signed token of a form shown ``seconds_ago`` seconds ago (the fill-time check)."""
    return form_started_token(page_id=page.pk, shown_at=time.time() - seconds_ago)


def post_form(client, page, data, **extra):
    """Post ``data`` to the page's form from the site itself, as a browser does."""
    extra.setdefault("HTTP_ORIGIN", "http://testserver")
    return client.post(page.url, data, **extra)
