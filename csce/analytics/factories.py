"""What a visitor's browser sends to the analytics beacon, for any app's tests."""

from __future__ import annotations

import json

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def beacon_post(client, *, path="/fr/", referrer="", width=1280, language="fr", **headers):
    """What beacon.js sends, from a page of ours unless told otherwise."""
    headers.setdefault("HTTP_ORIGIN", "http://testserver")
    headers.setdefault("HTTP_USER_AGENT", FIREFOX)
    headers.setdefault("REMOTE_ADDR", "203.0.113.54")
    body = json.dumps({"p": path, "r": referrer, "w": width, "l": language})
    return client.post("/beacon", data=body, content_type="text/plain;charset=UTF-8", **headers)
