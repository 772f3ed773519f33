"""The compliance view and its dashboard panel over HTTP (policy R, V): who may read them
(docs/access-matrix.md), the level in words and with an icon, what does not hold first,
the moment it was read, the printable version, and an indicator that raises reading red."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from csce.common.compliance import AMBER, GREEN, RED, Indicator, Reading, indicator_registry
from csce.common.roles import (
    AED,
    COMMUNICATIONS,
    CONTENT,
    ED,
    PRIVACY_OFFICER,
    PROGRAM_STAFF,
    TECHNICAL_ADMIN,
)

pytestmark = pytest.mark.django_db

URL = "/admin/compliance/"
PANEL = 'id="compliance-heading"'


def _text(response) -> str:
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


@pytest.fixture
def extra_indicators():
    """Three indicators of a test app, one of each level, and one that raises."""

    def broken(*, now):
        raise RuntimeError("nope")

    added = [
        Indicator(
            key="test.red",
            label="Rouge d’essai",
            clauses=("P1",),
            read=lambda *, now: Reading(RED, "7 éléments en retard.", "/admin/act-red/", "Agir"),
            order=1,
        ),
        Indicator(
            key="test.amber",
            label="Ambre d’essai",
            clauses=("C",),
            read=lambda *, now: Reading(AMBER, "2 éléments à voir.", "/admin/act-amber/", "Voir"),
            order=2,
        ),
        Indicator(
            key="test.green",
            label="Vert d’essai",
            clauses=("O",),
            read=lambda *, now: Reading(GREEN, "Rien à faire.", "", ""),
            order=0,
        ),
        Indicator(key="test.broken", label="Cassé", clauses=("M",), read=broken, order=3),
    ]
    for indicator in added:
        indicator_registry.register(indicator)
    yield
    for indicator in added:
        indicator_registry.unregister(indicator.key)


def test_the_url_is_the_documented_one():
    assert reverse("compliance:index") == URL


@pytest.mark.parametrize("role", [AED, ED])
def test_the_aed_and_the_executive_director_read_it(staff_login, client, role):
    staff_login(role=role)
    response = client.get(URL)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "role", [CONTENT, COMMUNICATIONS, PRIVACY_OFFICER, PROGRAM_STAFF, TECHNICAL_ADMIN]
)
def test_every_other_role_gets_a_403_that_says_why(staff_login, client, role):
    staff_login(role=role)
    response = client.get(URL)
    assert response.status_code == 403
    assert "direction générale adjointe et la direction générale" in _text(response)
    assert client.get(f"{URL}?print=1").status_code == 403


def test_levels_in_words_with_icons_worst_first_with_clauses_summaries_and_links(
    staff_login, client, extra_indicators
):
    moment = datetime.datetime(2026, 12, 7, 14, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        staff_login(role=AED, language="fr")
        response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    text = _text(response)
    # Red (the broken one too), then amber, before anything green.
    assert html.index('data-indicator="test.red"') < html.index('data-indicator="test.amber"')
    assert html.index('data-indicator="test.broken"') < html.index('data-indicator="test.amber"')
    assert html.index('data-indicator="test.amber"') < html.index('data-indicator="test.green"')
    row = re.search(r'<tr data-indicator="test.red".*?</tr>', html, re.S).group(0)
    assert "Ne tient pas" in row
    assert "#icon-warning" in row
    assert "P1" in row
    assert "7 éléments en retard." in row
    assert 'href="/admin/act-red/"' in row
    broken = re.search(r'<tr data-indicator="test.broken".*?</tr>', html, re.S).group(0)
    assert 'data-level="red"' in broken
    assert "Cet indicateur n’a pas pu être lu" in unescape(broken)
    amber = re.search(r'<tr data-indicator="test.amber".*?</tr>', html, re.S).group(0)
    assert "À surveiller" in amber
    assert "#icon-info-circle" in amber
    green = re.search(r'<tr data-indicator="test.green".*?</tr>', html, re.S).group(0)
    assert "Tient" in green
    assert "#icon-success" in green
    # When it was read (Toronto time).
    assert "7 décembre 2026 à 9 h 30" in text


def test_the_printable_version_stands_alone_for_the_board(staff_login, client, extra_indicators):
    staff_login(role=ED, language="en")
    response = client.get(f"{URL}?print=1")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="en"' in html
    assert "wagtail-sidebar" not in html
    assert "Compliance with the online-property policy" in html
    assert html.index('data-indicator="test.red"') < html.index('data-indicator="test.green"')
    assert "Does not hold" in html
    assert "Holds" in html


def test_the_dashboard_panel_shows_what_does_not_hold_to_the_readers_only(
    staff_login, client, extra_indicators
):
    staff_login(role=AED, language="en")
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert PANEL in html
    panel = html[html.index(PANEL) :]
    assert 'data-indicator="test.red"' in panel
    assert 'data-indicator="test.green"' not in panel.split("</section>")[0]
    assert 'href="/admin/compliance/"' in panel
    client.logout()
    staff_login(role=CONTENT)
    assert PANEL not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_menu_item_shows_to_the_readers_only(staff_login, client):
    staff_login(role=ED)
    assert f'"{URL}"' in client.get(reverse("wagtailadmin_home")).content.decode()
    client.logout()
    staff_login(role=COMMUNICATIONS)
    assert f'"{URL}"' not in client.get(reverse("wagtailadmin_home")).content.decode()
