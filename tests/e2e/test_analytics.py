"""Page counting in a real browser against the real server: first-party, cookie-less (policy P5).

A visit is counted through a beacon to our own origin, and leaves no cookie and nothing
in the browser's storage; a browser that sends Global Privacy Control, or a headless
robot, is not counted. Each visit carries its own campaign parameter (allow-listed), so
the test counts exactly its own page views in the server's database.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from contextlib import closing
from urllib.parse import urlsplit

import pytest

from .helpers import csp_violations_listen

pytestmark = pytest.mark.browser

PERSON = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
PAGES = {"fr": "/fr/services/", "en": "/en/news/"}


def _counted(site_server, path: str) -> int:
    """Page views of ``path`` in the server's database, read with SQL (no Django start)."""
    url = site_server["env"]["DATABASE_URL"]
    query = "SELECT COUNT(*) FROM analytics_pageview WHERE path = "
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as conn:
            return conn.execute(query + "?", (path,)).fetchone()[0]
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(query + "%s", (path,)).fetchone()[0]


def _counted_after_flush(site_server, path: str, *, expected: int) -> int:
    """The server writes page views in batches (at most a second apart)."""
    deadline = time.monotonic() + 15
    while (count := _counted(site_server, path)) < expected and time.monotonic() < deadline:
        time.sleep(0.5)
    return count


def _visit(browser, site_server, *, language: str, campaign: str, **context_options):
    context = browser.new_context(
        base_url=site_server["url"], locale=f"{language}-CA", **context_options
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    violations: list[str] = []
    csp_violations_listen(page, violations)
    path = f"{PAGES[language]}?utm_campaign={campaign}"
    return context, page, hosts, path, violations


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_visit_is_counted_without_cookie_storage_or_other_host(browser, site_server, language):
    campaign = f"e2e-{secrets.token_hex(4)}"
    context, page, hosts, path, violations = _visit(
        browser, site_server, language=language, campaign=campaign, user_agent=PERSON
    )
    with page.expect_response(lambda response: response.url.endswith("/beacon")) as beacon:
        page.goto(f"{path}&q=mon+nom")  # a parameter outside the allow-list is dropped
    response = beacon.value
    request = response.request

    assert request.method == "POST"
    assert response.status == 204
    assert urlsplit(request.url).netloc == urlsplit(site_server["url"]).netloc
    assert hosts == {urlsplit(site_server["url"]).netloc}  # nothing from any other host
    assert "cookie" not in {name.lower() for name in request.headers}
    assert context.cookies() == []
    storage = page.evaluate(
        """async () => [
            localStorage.length,
            sessionStorage.length,
            (await indexedDB.databases()).length,
            (await caches.keys()).length,
        ]"""
    )
    assert storage == [0, 0, 0, 0]
    assert violations == []  # the script and its beacon pass the public pages' CSP
    assert _counted_after_flush(site_server, path, expected=1) == 1
    context.close()


def test_privacy_signals_and_robots_are_not_counted(browser, site_server):
    campaign = f"e2e-{secrets.token_hex(4)}"
    visits = [
        {"user_agent": PERSON, "extra_http_headers": {"Sec-GPC": "1"}},
        {"user_agent": PERSON, "extra_http_headers": {"DNT": "1"}},
        {},  # Chromium's own headless user agent: a robot
    ]
    for options in visits:
        context, page, _hosts, path, _violations = _visit(
            browser, site_server, language="fr", campaign=campaign, **options
        )
        page.goto(path)
        page.wait_for_load_state("networkidle")
        context.close()
    # A counted visit after them: once it is written, the others would have been too.
    context, page, _hosts, path, _violations = _visit(
        browser, site_server, language="fr", campaign=campaign, user_agent=PERSON
    )
    page.goto(path)
    assert _counted_after_flush(site_server, path, expected=1) == 1
    time.sleep(1.5)  # one more batch interval: still only the person's view
    assert _counted(site_server, path) == 1
    context.close()
