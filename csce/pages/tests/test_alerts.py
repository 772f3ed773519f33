"""Site alerts: staff publish a dated notice in both languages; every public page shows it
between its dates, in the page's language, within the page's query budget, and no cache
ever serves a banner that is no longer (or not yet) the truth."""

from __future__ import annotations

import datetime
import random
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry, Page
from wagtail.users.models import UserProfile

from csce.common.roles import AED, COMMUNICATIONS, CONTENT, TECHNICAL_ADMIN
from csce.common.testing import kept_for_module
from csce.pages.factories import page_add, site_home
from csce.pages.models import (
    PAGE_TYPES,
    ContactPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    PrivacyNoticePage,
    ServiceIndexPage,
    ServicePage,
    SiteAlert,
    StandardPage,
)

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 8  # the same budget as every page type's (test_views.py)
FRENCH = "Le centre est fermé aujourd’hui en raison de la tempête."
ENGLISH = "The centre is closed today because of the storm."
START = datetime.datetime(2026, 12, 24, 8, 0, tzinfo=datetime.UTC)


def _translated(title: str, slug: str) -> dict:
    return {"en": {"title": title, "slug": slug}}


@pytest.fixture(scope="module")
def _site_built(django_db_setup, django_db_blocker):
    with kept_for_module(django_db_blocker):
        yield _site_build()


@pytest.fixture
def site(_site_built, db):
    """One published page of every public type, in French and in English, built once for
    the module."""
    return _site_built


def _site_build():
    home = site_home()
    services = page_add(
        ServiceIndexPage, parent=home, title="Services", translations=_translated("Services", "s")
    )
    page_add(
        ServicePage,
        parent=services,
        title="Soins primaires",
        translations=_translated("Primary care", "primary-care"),
    )
    news = page_add(
        NewsIndexPage, parent=home, title="Nouvelles", translations=_translated("News", "news")
    )
    page_add(
        NewsPage,
        parent=news,
        title="Heures des fêtes",
        translations=_translated("Holiday hours", "holiday-hours"),
    )
    page_add(
        StandardPage,
        parent=home,
        title="Accessibilité",
        translations=_translated("Accessibility", "accessibility"),
    )
    page_add(
        PrivacyNoticePage,
        parent=home,
        title="Avis de confidentialité",
        translations=_translated("Privacy notice", "privacy-notice"),
    )
    page_add(
        ContactPage, parent=home, title="Nous joindre", translations=_translated("Contact", "c")
    )
    return home


def _page(model, language: str) -> Page:
    return model.objects.live().filter(locale__language_code=language).order_by("path").first()


def _alert(**fields) -> SiteAlert:
    now = timezone.now()
    fields.setdefault("kind", SiteAlert.Kind.CLOSURE)
    fields.setdefault("text_fr", FRENCH)
    fields.setdefault("text_en", ENGLISH)
    fields.setdefault("starts_at", now - datetime.timedelta(hours=1))
    fields.setdefault("ends_at", now + datetime.timedelta(hours=8))
    alert = SiteAlert(**fields)
    alert.full_clean()
    alert.save()
    return alert


def _banner(html: str) -> str:
    """The alerts region of a page, or "" when it has none."""
    found = re.search(r'<section class="site-alerts".*?</section>', html, re.S)
    return found.group(0) if found else ""


# --- On every public page, in its language --------------------------------------------


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
@pytest.mark.parametrize(
    ("language", "text", "other", "name", "kind"),
    [
        ("fr", FRENCH, ENGLISH, "Avis importants", "Fermeture\u00a0:"),
        ("en", ENGLISH, FRENCH, "Important notices", "Closure:"),
    ],
)
def test_a_live_alert_shows_on_every_page_type_in_the_pages_language(
    site, client, model, language, text, other, name, kind
):
    _alert()
    html = client.get(_page(model, language).get_url()).content.decode()
    banner = _banner(html)
    assert text in banner
    assert other not in html
    assert f'aria-label="{name}"' in banner
    assert kind in banner, "the kind is said in words, not only in colour"
    assert "aria-live" not in banner
    assert 'role="alert"' not in banner
    # After the skip link, before the main content.
    assert html.index('href="#main"') < html.index(text) < html.index('<main id="main"')


@pytest.mark.parametrize(
    "path", ["/fr/recherche/?q=soins", "/fr/page-qui-n-existe-pas/", "/en/search/?q=care"]
)
def test_pages_outside_the_page_tree_show_the_alert_too(site, client, path):
    _alert()
    html = client.get(path).content.decode()
    assert (FRENCH if path.startswith("/fr/") else ENGLISH) in _banner(html)


def test_a_scheduled_or_expired_alert_is_not_shown(site, client):
    now = timezone.now()
    _alert(
        text_fr="Prévue",
        starts_at=now + datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=2),
    )
    _alert(
        text_fr="Passée",
        starts_at=now - datetime.timedelta(days=2),
        ends_at=now - datetime.timedelta(seconds=1),
    )
    html = client.get("/fr/").content.decode()
    assert _banner(html) == ""
    assert "Prévue" not in html
    assert "Passée" not in html


def test_the_most_pressing_alert_comes_first(site, client):
    _alert(kind=SiteAlert.Kind.INFORMATION, text_fr="Nouvel horaire du samedi.")
    _alert(kind=SiteAlert.Kind.URGENT, text_fr="Avis d’ébullition de l’eau.")
    banner = _banner(client.get("/fr/").content.decode())
    assert banner.index("Avis d’ébullition") < banner.index("Nouvel horaire")
    assert "site-alert--urgent" in banner
    assert "site-alert--information" in banner


def test_the_link_leads_to_the_page_in_the_visitors_language(site, client):
    french = _page(NewsPage, "fr")
    _alert(link_page=french)
    french_banner = _banner(client.get("/fr/").content.decode())
    english_banner = _banner(client.get("/en/").content.decode())
    english = _page(NewsPage, "en")
    assert f'href="{french.get_url()}">Heures des fêtes</a>' in french_banner
    assert f'href="{english.get_url()}">Holiday hours</a>' in english_banner


def test_a_link_to_a_page_since_unpublished_is_dropped(site, client):
    english = _page(NewsPage, "en")
    _alert(link_page=english)
    assert "Holiday hours" in _banner(client.get("/en/").content.decode())
    english.unpublish()
    banner = _banner(client.get("/en/").content.decode())
    assert ENGLISH in banner
    assert "Holiday hours" not in banner
    # French visitors get the French page, which is still live.
    assert "Heures des fêtes" in _banner(client.get("/fr/").content.decode())


def test_the_text_is_shown_as_text_never_as_markup(site, client):
    _alert(text_fr='Fermé <script>alert("x")</script> <b>demain</b>')
    html = client.get("/fr/").content.decode()
    assert "&lt;script&gt;" in _banner(html)
    assert '<script>alert("x")' not in html


def test_a_visitor_gets_no_cookie_and_no_script_from_the_banner(site, client):
    _alert()
    response = client.get("/fr/")
    assert not response.cookies
    assert "<script" not in _banner(response.content.decode())


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_type_with_alerts_stays_within_its_query_budget(site, client, model, language):
    _alert(link_page=_page(NewsPage, "fr"))
    _alert(kind=SiteAlert.Kind.INFORMATION, text_fr="Horaire", text_en="Hours")
    path = _page(model, language).get_url()
    client.get(path)  # the first visit fills the caches every later visitor uses
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    assert (FRENCH if language == "fr" else ENGLISH) in _banner(response.content.decode())
    assert len(queries) <= QUERY_BUDGET, "\n".join(q["sql"][:200] for q in queries)


# --- Without a deploy: dates, saves, the page cache, a cache that forgets --------------


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.ALLOWED_HOSTS = ["testserver"]


def _shows(client, path: str, text: str = FRENCH) -> bool:
    response = client.get(path)
    assert response.status_code == 200
    return text in _banner(response.content.decode())


@pytest.mark.usefixtures("page_cache_on")
def test_publishing_an_alert_shows_it_to_the_next_visitor_of_a_cached_page(site, client):
    path = _page(ServicePage, "fr").get_url()
    assert not _shows(client, path)
    with CaptureQueriesContext(connection) as queries:
        assert not _shows(client, path)
    assert len(queries) == 1, "the page itself comes from the cache"
    alert = _alert()
    assert _shows(client, path)
    alert.text_fr = "Le centre rouvre à 13 h."
    alert.save()
    assert _shows(client, path, "Le centre rouvre à 13 h.")
    alert.delete()
    assert not _shows(client, path, "Le centre rouvre à 13 h.")


@pytest.mark.usefixtures("page_cache_on")
def test_an_alert_appears_at_its_start_and_goes_at_its_end_with_no_write(
    site, client, time_machine
):
    time_machine.move_to(START - datetime.timedelta(hours=2), tick=False)
    _alert(starts_at=START, ends_at=START + datetime.timedelta(hours=10))
    path = _page(StandardPage, "fr").get_url()
    assert not _shows(client, path)  # cached without the banner
    time_machine.move_to(START - datetime.timedelta(seconds=1), tick=False)
    assert not _shows(client, path)
    time_machine.move_to(START, tick=False)
    assert _shows(client, path)
    time_machine.move_to(START + datetime.timedelta(hours=5), tick=False)
    assert _shows(client, path)
    time_machine.move_to(START + datetime.timedelta(hours=10), tick=False)
    assert not _shows(client, path)


@pytest.mark.usefixtures("page_cache_on")
def test_a_cache_that_forgets_any_key_at_any_time_still_shows_the_truth(site, client, time_machine):
    """Between visits the cache loses a random part of its entries (a cull, a restart):
    each page still shows exactly the alerts live at that moment, and never fails."""
    rng = random.Random(20261224)
    time_machine.move_to(START - datetime.timedelta(hours=1), tick=False)
    _alert(starts_at=START, ends_at=START + datetime.timedelta(hours=2))
    paths = [_page(model, "fr").get_url() for model in (HomePage, ServicePage, ContactPage)]
    for minutes in range(-90, 200, 10):
        moment = START + datetime.timedelta(minutes=minutes)
        time_machine.move_to(moment, tick=False)
        # The local-memory cache of the test settings: its keys, without the ":1:" prefix.
        keys = [key.split(":", 2)[2] for key in list(cache._cache)]
        for key in rng.sample(keys, k=rng.randint(0, len(keys))):
            cache.delete(key)
        expected = START <= moment < START + datetime.timedelta(hours=2)
        for path in paths:
            assert _shows(client, path) is expected, (minutes, path)


# --- Staff write alerts: validation, language, permissions, log --------------------------


def _form(**fields) -> dict:
    data = {
        "kind": "closure",
        "text_fr": FRENCH,
        "text_en": ENGLISH,
        "starts_at": "2026-12-24 08:00",
        "ends_at": "2026-12-24 18:00",
        "link_page": "",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    ("language", "message"),
    [("fr", "La fin doit venir après le début"), ("en", "The end must come after the start")],
)
def test_an_end_before_the_start_is_refused_in_the_staff_members_language(language, message):
    alert = SiteAlert(
        text_fr=FRENCH, text_en=ENGLISH, starts_at=START, ends_at=START - datetime.timedelta(1)
    )
    with translation.override(language):
        with pytest.raises(ValidationError) as refused:
            alert.full_clean()
        assert message in str(refused.value.message_dict["ends_at"])


def test_both_texts_are_required_and_short(db):
    alert = SiteAlert(
        text_fr="x" * (SiteAlert.TEXT_MAX_LENGTH + 1),
        text_en="  ",
        starts_at=START,
        ends_at=START + datetime.timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as refused:
        alert.full_clean()
    assert set(refused.value.message_dict) == {"text_fr", "text_en"}


@pytest.fixture
def staff_in_french(client, staff_login):
    def sign_in(role: str):
        user = staff_login(role=role)
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "fr"
        profile.save()
        return user

    return sign_in


def test_communications_publish_an_alert_and_the_log_names_them(site, client, staff_in_french):
    user = staff_in_french(COMMUNICATIONS)
    response = client.post(reverse("wagtailsnippets_pages_sitealert:add"), _form())
    assert response.status_code == 302, response.content.decode()[:3000]
    alert = SiteAlert.objects.get()
    assert (alert.text_fr, alert.text_en, alert.kind) == (FRENCH, ENGLISH, "closure")
    entry = ModelLogEntry.objects.get(object_id=str(alert.pk), action="wagtail.create")
    assert entry.user_id == user.pk


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"ends_at": "2026-12-24 07:00"}, "ends_at", "La fin doit venir après le début"),
        ({"text_en": "  "}, "text_en", "Champ requis."),
        ({"text_en": "x" * 301}, "text_en", "au plus 300 caractères"),
    ],
)
def test_bad_input_is_explained_in_french_and_what_was_typed_is_kept(
    site, client, staff_in_french, fields, field, message
):
    staff_in_french(AED)
    response = client.post(reverse("wagtailsnippets_pages_sitealert:add"), _form(**fields))
    assert response.status_code == 200
    html = response.content.decode()
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert message in html
    assert FRENCH in html, "the French text typed is still there"
    assert not SiteAlert.objects.exists()


@pytest.mark.parametrize(
    ("role", "may_write"),
    [(AED, True), (COMMUNICATIONS, True), (CONTENT, False), (TECHNICAL_ADMIN, False)],
)
def test_only_the_roles_that_publish_write_alerts(site, client, staff_login, role, may_write):
    staff_login(role=role)
    client.post(reverse("wagtailsnippets_pages_sitealert:add"), _form())
    assert SiteAlert.objects.exists() is may_write


def test_staff_see_which_alerts_are_live_scheduled_or_expired(site, client, staff_in_french):
    now = timezone.now()
    _alert(text_fr="En cours")
    _alert(
        text_fr="À venir",
        starts_at=now + datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=2),
    )
    _alert(
        text_fr="Terminée",
        starts_at=now - datetime.timedelta(days=3),
        ends_at=now - datetime.timedelta(days=2),
    )
    staff_in_french(CONTENT)  # content creators read the list
    url = reverse("wagtailsnippets_pages_sitealert:list")
    html = client.get(url).content.decode()
    rows = {
        text: re.search(rf"{text}.*?</tr>", html, re.S).group(0)
        for text in ("En cours", "À venir", "Terminée")
    }
    assert "En ligne" in rows["En cours"]
    assert "Planifié" in rows["À venir"]
    assert "Expiré" in rows["Terminée"]
    live_only = client.get(url, {"status": "live"}).content.decode()
    assert "En cours" in live_only
    assert "À venir" not in live_only
    assert "Terminée" not in live_only


def test_the_alert_form_has_a_heading_in_the_readers_typography(site, client, staff_in_french):
    """WCAG 2.4.6, policy P2: the new-alert and edit screens have their h1 (Wagtail's
    snippet templates drop it), with the French no-break space before the colon."""
    staff_in_french(COMMUNICATIONS)
    alert = _alert(text_fr="Fermé demain")
    for url, heading in (
        (reverse("wagtailsnippets_pages_sitealert:add"), "Nouveau\u00a0: Avis important"),
        (
            reverse("wagtailsnippets_pages_sitealert:edit", args=[alert.pk]),
            "Modification\u00a0: Fermé demain",
        ),
    ):
        body = client.get(url).content.decode()
        found = re.search(r"<h1[^>]*>\s*(.*?)\s*</h1>", body, re.S)
        assert found, url
        assert found.group(1) == heading
