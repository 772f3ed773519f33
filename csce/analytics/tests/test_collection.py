"""Counting page views (policy P4, P5): what is kept, what never is, what is not counted."""

import datetime
import ipaddress
import json

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csce.accounts.factories import staff_user
from csce.analytics import salts as daily_salts
from csce.analytics.collection import (
    clean_path,
    client_from_user_agent,
    truncated_address,
)
from csce.analytics.models import DailySalt, Device, PageView, Screen
from csce.analytics.salts import salt_rotate
from csce.common.testing import database_text_dump
from csce.pages.factories import page_of_type
from csce.pages.models import NewsIndexPage, ServiceIndexPage

from .conftest import FIREFOX, IPHONE, beacon_post

pytestmark = pytest.mark.django_db

ADDRESSES = [
    "203.0.113.54",
    "198.51.100.7",
    "192.0.2.201",
    "2001:db8:85a3:8d3:1319:8a2e:370:7348",
    "2001:db8:85a3:1:abcd:ef01:2345:6789",
    "::ffff:198.51.100.99",
]


def _address_forms(address: str) -> set[str]:
    """The ways an address could be written in a table: as sent, compressed, exploded."""
    ip = ipaddress.ip_address(address)
    forms = {address, str(ip)}
    if ip.version == 6:
        forms.add(ip.exploded)
        if ip.ipv4_mapped:
            forms.add(str(ip.ipv4_mapped))
    return forms


@pytest.fixture
def services(db):
    """/fr/services/ and /en/services/: live pages, whose views are counted."""
    return page_of_type(ServiceIndexPage)


@pytest.fixture
def news(db):
    """/fr/nouvelles/ and /en/news/: live pages, whose views are counted."""
    return page_of_type(NewsIndexPage)


def test_a_page_view_keeps_the_page_referrer_software_and_a_visitor_hash(client, services):
    response = beacon_post(
        client,
        path="/fr/services/?utm_source=infolettre&q=diabete+jean&page=2#haut",
        referrer="https://www.example.org/liens?x=1",
        width=390,
        HTTP_USER_AGENT=IPHONE,
    )

    assert response.status_code == 204
    assert "Set-Cookie" not in response
    view = PageView.objects.get()
    # The search words and the fragment are dropped; allow-listed parameters kept, sorted.
    assert view.path == "/fr/services/?page=2&utm_source=infolettre"
    assert view.referrer_host == "example.org"
    assert view.entry is True
    assert (view.browser, view.browser_version, view.os) == ("Mobile Safari", "17", "iOS")
    assert view.device == Device.MOBILE
    assert view.screen == Screen.SMALL
    assert view.language == "fr"
    assert isinstance(view.visitor, int)


def test_a_page_reached_from_one_of_ours_is_not_an_entry_and_has_no_referrer(client, news):
    beacon_post(client, path="/en/news/", referrer="http://testserver/en/", language="en")

    view = PageView.objects.get()
    assert (view.referrer_host, view.entry, view.language) == ("", False, "en")


def test_no_full_ip_address_is_in_any_table_after_visits_from_several_addresses(client):
    for address in ADDRESSES:
        assert beacon_post(client, REMOTE_ADDR=address).status_code == 204
    assert PageView.objects.count() == len(ADDRESSES)
    # Different networks are different visitors; the address itself is nowhere.
    # Two IPv6 addresses share a /48, and the IPv4-mapped one shares 198.51.100.0/24.
    assert PageView.objects.values("visitor").distinct().count() == 4

    dump = database_text_dump()
    for address in ADDRESSES:
        for form in _address_forms(address):
            assert form not in dump, form


def test_one_network_and_browser_is_one_visitor_within_a_day(client, services):
    beacon_post(client, REMOTE_ADDR="203.0.113.54")
    beacon_post(client, REMOTE_ADDR="203.0.113.99", path="/fr/services/")
    beacon_post(client, REMOTE_ADDR="203.0.113.54", HTTP_USER_AGENT=IPHONE)

    visitors = list(PageView.objects.order_by("pk").values_list("visitor", flat=True))
    assert visitors[0] == visitors[1] != visitors[2]


def _holds(value, salt: bytes) -> bool:
    if isinstance(value, memoryview | bytes | bytearray):
        return salt in bytes(value)
    return salt.hex() in str(value)


def _salt_anywhere_in_database(salt: bytes) -> bool:
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (names from the schema)
            if any(_holds(value, salt) for row in cursor.fetchall() for value in row):
                return True
    return False


def test_after_rotation_one_visitor_has_two_hashes_and_the_old_salt_is_gone(client):
    with time_machine.travel(datetime.datetime(2026, 3, 9, 23, 50, tzinfo=datetime.UTC)):
        beacon_post(client)
    old_salt = bytes(DailySalt.objects.get().salt)
    assert len(old_salt) == 32
    assert _salt_anywhere_in_database(old_salt)  # the check can see a salt where it is

    # The nightly job, then the same person, same network and browser, the next day.
    with time_machine.travel(datetime.datetime(2026, 3, 10, 5, 1, tzinfo=datetime.UTC)):
        salt_rotate()
        beacon_post(client)

    first, second = PageView.objects.order_by("pk")
    assert first.day != second.day
    assert first.visitor != second.visitor
    assert list(DailySalt.objects.values_list("day", flat=True)) == [second.day]
    assert not _salt_anywhere_in_database(old_salt)
    assert old_salt not in daily_salts._salts.values()  # nor in this process's memory
    assert cache.get(old_salt.hex()) is None


def test_the_first_beacon_of_a_day_destroys_the_old_salt_even_without_the_job(client):
    with time_machine.travel(datetime.datetime(2026, 3, 9, 15, 0, tzinfo=datetime.UTC)):
        beacon_post(client)
    with time_machine.travel(datetime.datetime(2026, 3, 10, 15, 0, tzinfo=datetime.UTC)):
        beacon_post(client)

    assert DailySalt.objects.count() == 1
    assert DailySalt.objects.get().day == datetime.date(2026, 3, 10)


def test_salts_are_random_not_derived_from_the_date(client):
    salts = []
    for day in (9, 10):
        with time_machine.travel(datetime.datetime(2026, 3, day, 15, 0, tzinfo=datetime.UTC)):
            salt_rotate()
            salts.append(bytes(DailySalt.objects.get().salt))
    DailySalt.objects.all().delete()
    daily_salts._salts.clear()
    with time_machine.travel(datetime.datetime(2026, 3, 10, 15, 0, tzinfo=datetime.UTC)):
        salt_rotate()
        assert bytes(DailySalt.objects.get().salt) != salts[1]  # same day, a new random salt


@pytest.mark.parametrize(
    "headers",
    [{"HTTP_SEC_GPC": "1"}, {"HTTP_DNT": "1"}],
    ids=["global-privacy-control", "do-not-track"],
)
def test_privacy_signals_are_honoured(client, headers):
    assert beacon_post(client, **headers).status_code == 204
    assert not PageView.objects.exists()
    assert not DailySalt.objects.exists()  # nothing at all was computed for them


@pytest.mark.parametrize(
    "user_agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, "
        "like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "UptimeRobot/2.0",
        "",
    ],
)
def test_robots_are_not_counted(client, user_agent):
    assert beacon_post(client, HTTP_USER_AGENT=user_agent).status_code == 204
    assert not PageView.objects.exists()


@pytest.mark.parametrize(
    ("user_agent", "device"),
    [
        (FIREFOX, Device.DESKTOP),
        (IPHONE, Device.MOBILE),
        (
            "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            Device.TABLET,
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Mobile Safari/537.36",
            Device.MOBILE,
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; SM-X200) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0 Safari/537.36",
            Device.TABLET,
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) Version/17.5 Safari/605.1.15",
            Device.DESKTOP,
        ),
    ],
)
def test_people_browsers_are_counted_with_their_device_class(user_agent, device):
    client = client_from_user_agent(user_agent)
    assert client.bot is False
    assert client.device == device
    assert client.browser
    assert client.os


def test_staff_signed_in_are_not_counted(client, db):
    staff = staff_user(username="comms", verified=False)
    client.force_login(staff)

    assert beacon_post(client).status_code == 204
    assert not PageView.objects.exists()


def test_a_stale_session_cookie_does_not_stop_a_visitor_being_counted(client, settings):
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"

    assert beacon_post(client).status_code == 204
    assert PageView.objects.count() == 1


def test_a_beacon_from_another_site_is_refused(client):
    assert beacon_post(client, HTTP_ORIGIN="https://evil.example").status_code == 403
    assert beacon_post(client, HTTP_ORIGIN="null").status_code == 403
    assert not PageView.objects.exists()


def test_with_analytics_off_there_is_no_beacon_and_nothing_is_counted(client, settings):
    settings.ANALYTICS_ENABLED = False
    assert beacon_post(client).status_code == 204
    assert not PageView.objects.exists()


def test_only_post_is_answered(client):
    assert client.get("/beacon").status_code == 405
    assert not PageView.objects.exists()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/fr/", "/fr/"),
        ("/fr/recherche/?q=mon+nom", "/fr/recherche/"),
        ("/en/news/?page=3&email=a@b.example", "/en/news/?page=3"),
        ("//evil.example/fr/", None),
        ("https://evil.example/", None),
        ("/admin/pages/", None),
        ("/beacon", None),
        ("/fr/\x00", None),
        ("/fr/privacy/export/AbCdEf0123456789secret/", "/fr/privacy/export/-/"),
        ("/fr/" + "x" * 3000, None),
        (42, None),
    ],
)
def test_page_addresses_keep_no_query_data_and_no_secret(raw, expected):
    assert clean_path(raw) == expected


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.54", "203.0.113.0"),
        ("2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::"),
        ("::ffff:198.51.100.99", "198.51.100.0"),
        ("not an address", ""),
    ],
)
def test_addresses_are_truncated_to_their_network(address, network):
    assert truncated_address(address) == network


def test_limits_sizes_and_broken_bodies_are_refused_without_an_error(client):
    cases = [
        b"",
        b"not json",
        b"[1, 2]",
        b"\xff\xfe",
        json.dumps({"p": "/fr/", "pad": "x" * 5000}).encode(),
        json.dumps({"p": None}).encode(),
    ]
    for body in cases:
        response = client.post(
            "/beacon", data=body, content_type="text/plain", HTTP_ORIGIN="http://testserver"
        )
        assert response.status_code == 400, body[:40]
    assert not PageView.objects.exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.one_of(st.text(max_size=300), st.text(max_size=200).map(lambda s: "/fr/" + s)),
    referrer=st.one_of(st.none(), st.text(max_size=300), st.integers()),
    width=st.one_of(st.integers(), st.text(max_size=10), st.floats(), st.none()),
    language=st.one_of(st.text(max_size=20), st.none(), st.booleans()),
    user_agent=st.text(max_size=300).filter(lambda s: "\n" not in s and "\r" not in s),
)
def test_any_beacon_is_answered_without_a_server_error(path, referrer, width, language, user_agent):
    client = Client(raise_request_exception=False)
    body = json.dumps({"p": path, "r": referrer, "w": width, "l": language})
    response = client.post(
        "/beacon",
        data=body.encode("utf-8", "surrogatepass"),
        content_type="text/plain",
        HTTP_ORIGIN="http://testserver",
        HTTP_USER_AGENT=user_agent,
    )
    assert response.status_code in (204, 400)
    for view in PageView.objects.all():
        assert view.path.startswith("/")
        assert len(view.path) <= 500
        assert "\x00" not in view.path + view.referrer_host


def test_every_public_page_loads_the_small_beacon_from_our_origin(client, site_home):
    from django.contrib.staticfiles import finders

    html = client.get("/fr/").content.decode()
    assert '<script src="/static/analytics/beacon.js" data-endpoint="/beacon" defer>' in html
    with open(finders.find("analytics/beacon.js"), "rb") as script:
        assert len(script.read()) < 1024
