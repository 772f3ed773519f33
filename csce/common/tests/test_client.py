"""The client address behind a proxy (policy M): believed from X-Forwarded-For only when
the peer is a trusted proxy, so an outsider cannot choose the address that the form rate
limit, the sign-in lockout, the privacy portal and the visitor count key on."""

from __future__ import annotations

import ipaddress

import pytest
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from csce.accounts.roles import CONTENT
from csce.analytics import salts as daily_salts
from csce.analytics.factories import beacon_post
from csce.analytics.models import PageView
from csce.common.client import client_address, trusted_networks_parse
from csce.privacy.factories import portal_page, portal_page_create, portal_post, portal_post_data
from csce.submissions.factories import inquiry_page_create, inquiry_post_data, post_form

PROXY = "10.0.0.2"
CLIENT = "203.0.113.10"
OTHER = "198.51.100.20"
TRUSTED = override_settings(TRUSTED_PROXIES=[PROXY])
PASSWORD = "une phrase de passe assez longue"


def _meta(forwarded: str | None = None, remote: str = PROXY) -> dict:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return meta


def _via_proxy(address: str, *, forged: str | None = None) -> dict:
    """Request headers as nginx passes them: what the client sent, then its address."""
    return {
        "REMOTE_ADDR": PROXY,
        "HTTP_X_FORWARDED_FOR": f"{forged}, {address}" if forged else address,
    }


# --- The address itself ----------------------------------------------------------------


@override_settings(TRUSTED_PROXIES=[])
def test_without_trusted_proxies_the_header_is_ignored():
    assert client_address(_meta(CLIENT)) == PROXY
    assert client_address(RequestFactory().get("/", **_via_proxy(CLIENT))) == PROXY


@override_settings(TRUSTED_PROXIES=[])
def test_an_ignored_header_is_reported_once_without_the_address(caplog, monkeypatch):
    from csce.common import client

    monkeypatch.setattr(client, "_untrusted_header_seen", False)
    client_address(_meta(CLIENT))
    client_address(_meta(OTHER))
    warnings = [r.getMessage() for r in caplog.records if r.name == "csce.common.client"]
    assert len(warnings) == 1
    assert "TRUSTED_PROXIES" in warnings[0]
    assert CLIENT not in warnings[0]
    assert PROXY not in warnings[0]


@TRUSTED
def test_behind_a_trusted_proxy_the_client_is_the_forwarded_address():
    assert client_address(_meta(CLIENT)) == CLIENT
    assert client_address(RequestFactory().get("/", **_via_proxy(CLIENT))) == CLIENT
    assert client_address(_meta()) == PROXY  # the proxy's own request (a health check)


@TRUSTED
def test_a_peer_that_is_not_a_trusted_proxy_cannot_use_the_header():
    assert client_address(_meta(OTHER, remote=CLIENT)) == CLIENT


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8", "2001:db8:ffff::/48"])
@pytest.mark.parametrize(
    ("forwarded", "remote", "client"),
    [
        # A load balancer in front of nginx: both trusted, both skipped from the right.
        (f"{CLIENT}, 10.1.2.3", "10.0.0.2", CLIENT),
        ("2001:db8:1::7, 2001:db8:ffff::1", "10.0.0.2", "2001:db8:1::7"),
        (f"{CLIENT}:51234", "10.0.0.2", CLIENT),
        ("[2001:db8:1::7]:443", "10.0.0.2", "2001:db8:1::7"),
        (f"::ffff:{CLIENT}", "::ffff:10.0.0.2", CLIENT),
        # Every hop trusted: the client is on the internal network, the left-most one.
        ("10.9.9.9, 10.1.2.3", "10.0.0.2", "10.9.9.9"),
    ],
)
def test_trusted_ranges_are_skipped_from_the_right(forwarded, remote, client):
    assert client_address(_meta(forwarded, remote=remote)) == client


@TRUSTED
@pytest.mark.parametrize("forged", ["1.2.3.4", OTHER, "127.0.0.1", PROXY, "10.0.0.2, 8.8.8.8"])
def test_a_forged_left_entry_cannot_choose_the_address(forged):
    assert client_address(_meta(f"{forged}, {CLIENT}")) == CLIENT


@TRUSTED
@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("", PROXY),
        ("unknown", PROXY),
        ("not an address", PROXY),
        (",,,", PROXY),
        ("999.1.1.1", PROXY),
        ("[2001:db8::1", PROXY),
        ("\x00\u202e", PROXY),
        (f"garbage, {CLIENT}", CLIENT),
        ("1" * 5000 + f", {CLIENT}", CLIENT),
        (f"{CLIENT}, " * 2000 + OTHER, OTHER),
    ],
)
def test_malformed_values_are_ignored(forwarded, client):
    assert client_address(_meta(forwarded)) == client


@TRUSTED
@given(forwarded=st.text(max_size=300), remote=st.text(max_size=60))
@hypothesis_settings(max_examples=300, deadline=None)
def test_any_header_gives_an_address_without_raising(forwarded, remote):
    address = client_address(_meta(forwarded, remote=remote))
    if remote != PROXY:
        assert address == remote  # not a trusted peer: its header is never read
    else:
        ipaddress.ip_address(address)


@TRUSTED
@given(forged=st.text(max_size=300))
@hypothesis_settings(max_examples=300, deadline=None)
def test_whatever_the_client_writes_the_proxy_s_entry_decides(forged):
    assert client_address(_meta(f"{forged},{CLIENT}")) == CLIENT


def test_a_setting_that_is_not_an_address_is_refused_at_start():
    assert [str(n) for n in trusted_networks_parse(["10.0.0.1", "192.168.0.0/16"])] == [
        "10.0.0.1/32",
        "192.168.0.0/16",
    ]
    with pytest.raises(ValueError, match="nginx"):
        trusted_networks_parse(["nginx"])


# --- Every reader keys on it -----------------------------------------------------------


@pytest.fixture
def inquiry_page(site_home):
    return inquiry_page_create(parent=site_home)


@pytest.fixture
def portal(site_home):
    """The privacy-rights portal, in French and English."""
    portal_page_create(home=site_home)


def _form(client, page, address, *, forged=None):
    return post_form(client, page, inquiry_post_data(page), **_via_proxy(address, forged=forged))


@pytest.mark.django_db
@override_settings(FORM_RATE_LIMIT=1, TRUSTED_PROXIES=[])
def test_form_rate_limit_without_trusted_proxy_counts_the_peer(client, inquiry_page):
    assert _form(client, inquiry_page, CLIENT).status_code == 200
    assert _form(client, inquiry_page, OTHER).status_code == 429  # the header changed nothing


@pytest.mark.django_db
@override_settings(FORM_RATE_LIMIT=1, TRUSTED_PROXIES=["10.0.0.0/24"])
def test_form_rate_limit_behind_trusted_proxy_counts_each_client(client, inquiry_page):
    assert _form(client, inquiry_page, CLIENT).status_code == 200
    assert _form(client, inquiry_page, CLIENT).status_code == 429
    # Over its limit, the client cannot pass for another by writing the header itself.
    assert _form(client, inquiry_page, CLIENT, forged=OTHER).status_code == 429
    assert _form(client, inquiry_page, OTHER).status_code == 200


def _portal(client, page, address, *, forged=None):
    return portal_post(client, page, portal_post_data(page), **_via_proxy(address, forged=forged))


@pytest.mark.django_db
@override_settings(FORM_RATE_LIMIT=1, TRUSTED_PROXIES=[])
def test_privacy_portal_without_trusted_proxy_counts_the_peer(portal, client):
    page = portal_page("fr")
    assert _portal(client, page, CLIENT).status_code == 200
    assert _portal(client, page, OTHER).status_code == 429


@pytest.mark.django_db
@override_settings(FORM_RATE_LIMIT=1, TRUSTED_PROXIES=[PROXY])
def test_privacy_portal_behind_trusted_proxy_counts_each_client(portal, client):
    page = portal_page("fr")
    assert _portal(client, page, CLIENT).status_code == 200
    assert _portal(client, page, CLIENT, forged=OTHER).status_code == 429
    assert _portal(client, page, OTHER).status_code == 200


@pytest.fixture
def editor(db):
    from csce.accounts.factories import staff_user

    return staff_user(username="redactrice", role=CONTENT, password=PASSWORD, verified=False)


def _sign_in(address, *, username="redactrice", password=None, forged=None):
    return Client().post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password or "mauvais mot de passe"},
        **_via_proxy(address, forged=forged),
    )


@pytest.mark.django_db
@override_settings(TRUSTED_PROXIES=[])
def test_lockout_without_trusted_proxy_counts_the_peer(editor):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(CLIENT)
    # Every visitor behind the proxy is one address: the header cannot move anyone out.
    assert _sign_in(OTHER, password=PASSWORD).status_code == 429


@pytest.mark.django_db
@TRUSTED
def test_lockout_behind_trusted_proxy_counts_each_client(editor):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(CLIENT, username=f"inconnu{_attempt}")
    assert _sign_in(CLIENT, password=PASSWORD, forged=OTHER).status_code == 429
    assert _sign_in(OTHER, password=PASSWORD).status_code == 302


def _visitors(*requests: dict) -> int:
    daily_salts._salts.clear()
    PageView.objects.all().delete()
    for headers in requests:
        assert beacon_post(Client(), **headers).status_code == 204
    return PageView.objects.values("visitor").distinct().count()


@pytest.mark.django_db
def test_visitor_hash_uses_the_client_only_behind_a_trusted_proxy(settings):
    settings.ANALYTICS_ENABLED = True
    settings.TRUSTED_PROXIES = []
    assert _visitors(_via_proxy(CLIENT), _via_proxy(OTHER)) == 1
    settings.TRUSTED_PROXIES = [PROXY]
    assert _visitors(_via_proxy(CLIENT), _via_proxy(OTHER)) == 2
    assert _visitors(_via_proxy(CLIENT), _via_proxy(CLIENT, forged=OTHER)) == 1
