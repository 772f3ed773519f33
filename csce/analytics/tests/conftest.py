import json

import pytest

from csce.analytics import collection
from csce.analytics import salts as daily_salts

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.fixture(autouse=True)
def _fresh_salts():
    """Each test starts with no salt in this process's memory (the database is rolled back)."""
    daily_salts._salts.clear()
    collection.beacon_rates_forget()
    yield
    daily_salts._salts.clear()
    collection.beacon_rates_forget()


def beacon_post(client, *, path="/fr/", referrer="", width=1280, language="fr", **headers):
    """What beacon.js sends, from a page of ours unless told otherwise."""
    headers.setdefault("HTTP_ORIGIN", "http://testserver")
    headers.setdefault("HTTP_USER_AGENT", FIREFOX)
    headers.setdefault("REMOTE_ADDR", "203.0.113.54")
    body = json.dumps({"p": path, "r": referrer, "w": width, "l": language})
    return client.post("/beacon", data=body, content_type="text/plain;charset=UTF-8", **headers)
