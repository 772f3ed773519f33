"""The registry feeds the sharing features (policy O, C): the social post drafts are
counted for the networks the centre holds an account on (all of them when it holds
none), and the share tags name the centre's X account (``twitter:site``); both follow a
save or a deletion at once, within the public pages' query budget."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from csce.accounts.factories import staff_sign_in, staff_user
from csce.pages import social_posts
from csce.pages.centre_accounts import centre_accounts
from csce.pages.factories import page_add, page_of_type, site_home
from csce.pages.models import NewsPage, StandardPage
from csce.properties.factories import online_property_create
from csce.properties.models import PropertyKind
from csce.properties.public import x_handle

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 8  # every public page's (csce/pages/tests/test_views.py)
EVERY_NETWORK = [n.key for n in social_posts.SOCIAL_NETWORKS]


def _shown() -> list[str]:
    return [n.key for n in social_posts.networks_shown()]


def _twitter_site(html: str) -> list[str]:
    return re.findall(r'<meta name="twitter:site" content="([^"]*)">', html)


@pytest.fixture
def pages():
    home = site_home()
    page = page_add(
        StandardPage,
        parent=home,
        title="À propos",
        translations={"en": {"title": "About", "slug": "about"}},
    )
    return {"fr": page.get_url(), "en": page.get_translations().get().get_url()}


# --- The networks counted ----------------------------------------------------------


def test_an_empty_registry_counts_for_every_network():
    assert _shown() == EVERY_NETWORK
    assert social_posts.networks_registered() == ()


def test_the_registered_networks_are_counted_in_the_tables_order():
    online_property_create(kind=PropertyKind.FACEBOOK)
    online_property_create(kind=PropertyKind.X, shown_in_footer=False)
    online_property_create(kind=PropertyKind.FACEBOOK)  # a second account: one row
    assert _shown() == ["x", "facebook"]
    counts = social_posts.post_counts(text="Bonjour")
    assert [c.network.key for c in counts] == ["x", "facebook"]
    assert [n["key"] for n in social_posts.post_rules()["networks"]] == ["x", "facebook"]


def test_a_registry_without_a_posting_network_counts_for_every_network():
    # The website, YouTube and "other" have no post draft to count.
    online_property_create(kind=PropertyKind.WEBSITE)
    online_property_create(kind=PropertyKind.YOUTUBE)
    online_property_create(kind=PropertyKind.OTHER)
    assert _shown() == EVERY_NETWORK


def test_the_counts_follow_a_save_and_a_deletion_at_once():
    instagram = online_property_create(kind=PropertyKind.INSTAGRAM)
    assert _shown() == ["instagram"]  # now cached
    linkedin = online_property_create(kind=PropertyKind.LINKEDIN)
    assert _shown() == ["instagram", "linkedin"]
    instagram.kind = PropertyKind.X
    instagram.save()
    assert _shown() == ["x", "linkedin"]
    instagram.delete()
    linkedin.delete()
    assert _shown() == EVERY_NETWORK


def test_the_editor_counts_for_the_centres_networks_and_says_so(client):
    home = site_home()
    article = page_of_type(NewsPage, home=home)
    article.social_post = "Cliniques de vaccination"
    article.save_revision()
    staff_sign_in(client, staff_user(superuser=True, username="redactrice"))
    url = f"/admin/pages/{article.pk}/edit/"

    html = client.get(url).content.decode()
    assert re.findall(r'<tr data-network="([a-z]+)"', html) == EVERY_NETWORK
    assert "pour tous les réseaux" in _note(html)

    online_property_create(kind=PropertyKind.LINKEDIN)
    online_property_create(kind=PropertyKind.X, shown_in_footer=False)
    html = client.get(url).content.decode()
    assert re.findall(r'<tr data-network="([a-z]+)"', html) == ["x", "linkedin"]
    assert "où le centre a un compte" in _note(html)
    assert "pour tous les réseaux" not in html
    rules = re.search(r'data-rules="([^"]*)"', html).group(1)
    assert "bluesky" not in rules
    assert "linkedin" in rules


def _note(html: str) -> str:
    match = re.search(r"data-social-post-networks>(.*?)</p>", html, re.S)
    assert match, "no note on the networks counted"
    return " ".join(match.group(1).split())


# --- twitter:site ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("handle", "url", "expected"),
    [
        ("@csce_sante", "https://x.com/autre", "@csce_sante"),
        ("csce_sante", "", "@csce_sante"),
        (" @CSCE_Sante ", "", "@CSCE_Sante"),
        ("", "https://x.com/csce_sante", "@csce_sante"),
        ("", "https://twitter.com/csce_sante/", "@csce_sante"),
        ("", "https://x.com/csce_sante/status/1", ""),  # a post, not the account
        ("", "https://example.org/csce_sante", ""),  # not X's host
        ("csce santé", "https://x.com/csce_sante", ""),  # a handle that is wrong stays out
        ('"><script>', "", ""),
        ("un_nom_bien_trop_long", "", ""),  # X allows 15 characters
        ("", "", ""),
    ],
)
def test_the_x_handle_is_read_as_x_names_accounts(handle, url, expected):
    assert x_handle(handle=handle, url=url) == expected


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_share_tags_name_the_centres_x_account(client, pages, language):
    online_property_create(
        kind=PropertyKind.X, url="https://x.com/csce_sante", handle="@csce_sante",
        shown_in_footer=True,
    )  # fmt: skip
    assert _twitter_site(client.get(pages[language]).content.decode()) == ["@csce_sante"]


def test_only_the_first_x_account_shown_in_the_footer_is_named(client, pages):
    online_property_create(
        kind=PropertyKind.X, url="https://x.com/cachee", handle="cachee", sort_order=0
    )
    online_property_create(
        kind=PropertyKind.X, url="https://x.com/seconde", handle="seconde",
        shown_in_footer=True, sort_order=2,
    )  # fmt: skip
    online_property_create(
        kind=PropertyKind.X, url="https://x.com/premiere", handle="premiere",
        shown_in_footer=True, sort_order=1,
    )  # fmt: skip
    assert _twitter_site(client.get(pages["fr"]).content.decode()) == ["@premiere"]


def test_no_x_account_in_the_footer_writes_no_twitter_site(client, pages):
    online_property_create(kind=PropertyKind.X, url="https://x.com/cachee", handle="cachee")
    online_property_create(kind=PropertyKind.FACEBOOK, shown_in_footer=True)
    html = client.get(pages["fr"]).content.decode()
    assert _twitter_site(html) == []
    assert "cachee" not in html
    assert centre_accounts().x_handle == ""


def test_twitter_site_follows_a_save_and_a_deletion_at_once(client, pages):
    client.get(pages["fr"])  # caches an empty registry
    account = online_property_create(
        kind=PropertyKind.X, url="https://x.com/csce_sante", handle="@csce_sante",
        shown_in_footer=True,
    )  # fmt: skip
    assert _twitter_site(client.get(pages["fr"]).content.decode()) == ["@csce_sante"]
    account.handle = "@csce_nouveau"
    account.save()
    assert _twitter_site(client.get(pages["en"]).content.decode()) == ["@csce_nouveau"]
    account.delete()
    assert _twitter_site(client.get(pages["fr"]).content.decode()) == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_page_with_twitter_site_stays_within_its_query_budget(client, pages, language):
    online_property_create(
        kind=PropertyKind.X, url="https://x.com/csce_sante", handle="@csce_sante",
        shown_in_footer=True,
    )  # fmt: skip
    online_property_create(kind=PropertyKind.FACEBOOK, shown_in_footer=True)
    client.get(pages[language])  # fills the caches every later visitor uses
    with CaptureQueriesContext(connection) as queries:
        html = client.get(pages[language]).content.decode()
    assert _twitter_site(html) == ["@csce_sante"]
    assert len(queries) <= QUERY_BUDGET, "\n".join(q["sql"][:200] for q in queries)
    # The footer and the share tags share one read of the registry.
    assert not [q for q in queries if "properties_onlineproperty" in q["sql"]]
