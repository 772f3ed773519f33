"""The registry on the public pages (policy P1, O): the footer's social links and the
Organization JSON-LD's ``sameAs`` come from it, in the page's language, within the
page's query budget; a save or a deletion shows at once; a lost cache re-reads."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from csce.pages.factories import page_add, site_home
from csce.pages.models import StandardPage
from csce.properties.factories import online_property_create
from csce.properties.models import PropertyKind

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 8  # every public page's (csce/pages/tests/test_views.py)
FACEBOOK = "https://www.facebook.com/csce.test"
YOUTUBE = "https://www.youtube.com/@csce-test"
WEBSITE = "https://csce.example.org/"


@pytest.fixture
def pages():
    home = site_home()
    page = page_add(
        StandardPage,
        parent=home,
        title="À propos",
        translations={"en": {"title": "About", "slug": "about"}},
    )
    english = page.get_translations().get()
    return {"fr": page.get_url(), "en": english.get_url()}


@pytest.fixture
def registry():
    return {
        "website": online_property_create(
            kind=PropertyKind.WEBSITE, name="Site", url=WEBSITE, shown_in_footer=True
        ),
        "facebook": online_property_create(
            kind=PropertyKind.FACEBOOK, url=FACEBOOK, shown_in_footer=True, sort_order=2
        ),
        "youtube": online_property_create(
            kind=PropertyKind.YOUTUBE, url=YOUTUBE, shown_in_footer=True, sort_order=1
        ),
        "hidden": online_property_create(
            kind=PropertyKind.X, url="https://x.com/csce_hidden", shown_in_footer=False
        ),
    }


def _footer_links(html: str) -> list[tuple[str, str, str]]:
    footer = html[html.index('id="footer-social"') :]
    footer = footer[: footer.index("</nav>")]
    found = re.findall(
        r'<a href="([^"]+)" aria-label="([^"]+)" rel="me noopener">([^<]+)</a>', footer
    )
    return [tuple(unescape(part) for part in link) for link in found]


def _organization(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def test_the_footer_links_the_shown_accounts_in_order_in_the_page_language(client, pages, registry):
    html = client.get(pages["fr"]).content.decode()
    assert _footer_links(html) == [
        (YOUTUBE, "YouTube\u00a0: le compte du centre", "YouTube"),
        (FACEBOOK, "Facebook\u00a0: le compte du centre", "Facebook"),
    ]
    english = client.get(pages["en"]).content.decode()
    assert [label for _u, label, _t in _footer_links(english)] == [
        "YouTube: the centre's account",
        "Facebook: the centre's account",
    ]
    # Neither the website nor an account kept out of the footer is linked.
    assert WEBSITE not in _footer_links(html)
    assert "csce_hidden" not in html


def test_the_organization_same_as_comes_from_the_registry(client, pages, registry):
    data = _organization(client.get(pages["en"]).content.decode())
    assert data["@type"] == "Organization"
    assert data["url"] == WEBSITE
    assert data["sameAs"] == [YOUTUBE, FACEBOOK]


def test_an_empty_registry_shows_no_links_and_the_site_address(client, pages):
    html = client.get(pages["fr"]).content.decode()
    assert 'id="footer-social"' not in html
    data = _organization(html)
    assert "sameAs" not in data
    assert data["url"] == "http://testserver/"


def test_a_name_cannot_close_the_script(client, pages):
    online_property_create(
        kind=PropertyKind.WEBSITE,
        url="https://csce.example.org/?a=</script><b>",
        shown_in_footer=True,
    )
    html = client.get(pages["fr"]).content.decode()
    assert "</script><b>" not in html
    assert _organization(html)["url"].endswith("</script><b>")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_page_stays_within_its_query_budget(client, pages, registry, language):
    client.get(pages[language])  # fills the caches every later visitor uses
    with CaptureQueriesContext(connection) as queries:
        response = client.get(pages[language])
    assert response.status_code == 200
    assert FACEBOOK in response.content.decode()
    assert len(queries) <= QUERY_BUDGET, "\n".join(q["sql"][:200] for q in queries)


def test_a_saved_or_deleted_property_shows_at_once(client, pages, registry):
    client.get(pages["fr"])
    registry["hidden"].shown_in_footer = True
    registry["hidden"].save()
    assert "https://x.com/csce_hidden" in client.get(pages["fr"]).content.decode()
    registry["facebook"].delete()
    html = client.get(pages["fr"]).content.decode()
    assert FACEBOOK not in html
    assert FACEBOOK not in _organization(html).get("sameAs", [])


def test_a_cache_that_loses_its_keys_reads_the_registry_again(client, pages, registry):
    client.get(pages["fr"])
    cache.clear()
    assert FACEBOOK in client.get(pages["fr"]).content.decode()
