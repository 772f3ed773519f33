"""A visitor finds every page of the demo site from its home page in three clicks or fewer,
through the menus and the pages' own links (policy C: the site's content is there to be
found; policy P1-P4: every form and program serves a purpose the visitor must reach)."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from wagtail.models import Page

from csce.pages.cache import live_public
from csce.pages.models import ContactPage, PrivacyNoticePage

CLICKS = 3

pytestmark = pytest.mark.django_db


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _same_site_paths(html: str) -> set[str]:
    parser = _Links()
    parser.feed(html)
    paths = set()
    for href in parser.hrefs:
        parts = urlsplit(urldefrag(href).url)
        if parts.scheme not in ("", "http", "https") or not parts.path.startswith("/"):
            continue
        if parts.netloc and parts.hostname not in ("testserver", "localhost", "127.0.0.1"):
            continue
        paths.add(parts.path)
    return paths


def _crawl(client, start: str, *, not_followed: set[str]) -> dict[str, int]:
    """Breadth-first from ``start``: every path reached, with the clicks it took."""
    reached = {start: 0}
    frontier = [start]
    for clicks in range(1, CLICKS + 1):
        following = []
        for path in frontier:
            if path in not_followed:
                continue
            response = client.get(path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for target in _same_site_paths(response.content.decode()):
                if target not in reached:
                    reached[target] = clicks
                    following.append(target)
        frontier = following
    return reached


def _public_pages(language: str) -> dict[str, str]:
    pages = live_public(Page.objects.filter(locale__language_code=language, depth__gt=2))
    return {page.get_url(): page.title for page in pages.specific()}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_live_page_is_within_three_clicks_of_the_home_page(demo_site, client, language):
    # The privacy notice names every form because the law asks it to (policy P3): that is
    # no way to find one, so its links are not followed.
    notices = {page.get_url() for page in PrivacyNoticePage.objects.live()}
    reached = _crawl(client, f"/{language}/", not_followed=notices)
    missing = {url: title for url, title in _public_pages(language).items() if url not in reached}
    assert not missing, f"not reachable in {CLICKS} clicks from /{language}/: {missing}"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_contact_page_links_to_its_forms(demo_site, client, language):
    contact = ContactPage.objects.live().get(locale__language_code=language)
    forms = live_public(contact.get_children())
    assert forms.exists()
    links = _same_site_paths(client.get(contact.get_url()).content.decode())
    assert {page.get_url() for page in forms} <= links
