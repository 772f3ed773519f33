"""The seam through which the online-property registry tells the pages the centre's
accounts (policy O): what the pages do with its answer, and when it fails."""

from __future__ import annotations

import pytest
from django.db import DatabaseError

from csce.pages import sharing, social_posts
from csce.pages.centre_accounts import (
    NO_ACCOUNTS,
    CentreAccounts,
    centre_accounts,
    centre_accounts_reader_set,
)

EVERY_NETWORK = [n.key for n in social_posts.SOCIAL_NETWORKS]


@pytest.fixture
def reader():
    """Install a reader for one test; the registry's comes back after it."""
    installed = []

    def install(function):
        installed.append(centre_accounts_reader_set(function))

    yield install
    if installed:
        centre_accounts_reader_set(installed[0])


def _share() -> dict:
    return sharing.share_metadata(
        page=None, path="/fr/", title="Accueil", language="fr", languages=["fr"], site=None
    )


def test_the_registered_networks_narrow_the_counts(reader):
    reader(lambda: CentreAccounts(network_keys=frozenset({"facebook", "bluesky"})))
    assert [n.key for n in social_posts.networks_shown()] == ["bluesky", "facebook"]
    assert [c.network.key for c in social_posts.post_counts(text="a")] == ["bluesky", "facebook"]


def test_keys_the_table_does_not_know_are_ignored(reader):
    reader(lambda: CentreAccounts(network_keys=frozenset({"youtube", "website", "other"})))
    assert social_posts.networks_registered() == ()
    assert [n.key for n in social_posts.networks_shown()] == EVERY_NETWORK


def test_without_a_registry_every_network_is_counted_and_no_account_named(reader):
    reader(None)
    assert centre_accounts() == NO_ACCOUNTS
    assert [n.key for n in social_posts.networks_shown()] == EVERY_NETWORK
    assert _share()["twitter_site"] == ""


def test_the_share_tags_carry_the_readers_x_account(reader):
    reader(lambda: CentreAccounts(x_handle="@csce_sante"))
    assert _share()["twitter_site"] == "@csce_sante"


def test_a_registry_that_cannot_be_read_fails_closed(reader, caplog):
    def broken():
        raise DatabaseError("connection lost")

    reader(broken)
    assert centre_accounts() == NO_ACCOUNTS
    assert [n.key for n in social_posts.networks_shown()] == EVERY_NETWORK
    assert _share()["twitter_site"] == ""
    assert "could not be read" in caplog.text


def test_any_other_fault_is_not_hidden(reader):
    def wrong():
        raise KeyError("network_keys")

    reader(wrong)
    with pytest.raises(KeyError):
        centre_accounts()
