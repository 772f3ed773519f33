"""Site search over both languages, answering in the visitor's language."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Locale, Page

from csce.pages.factories import page_add
from csce.pages.models import ServiceIndexPage, ServicePage
from csce.pages.selectors import page_search, search_suggestion

QUERY_BUDGET = 8  # every public page type (csce/pages/tests/test_views.py)

pytestmark = pytest.mark.django_db


@pytest.fixture
def services(site_home):
    """Two services in French, each with its English translation."""
    index = page_add(
        ServiceIndexPage,
        parent=site_home,
        title="Services",
        translations={"en": {"title": "Services", "slug": "services"}},
    )
    page_add(
        ServicePage,
        parent=index,
        title="Soins primaires",
        translations={"en": {"title": "Primary care", "slug": "primary-care"}},
    )
    page_add(
        ServicePage,
        parent=index,
        title="Santé mentale et counseling",
        translations={"en": {"title": "Mental health and counselling", "slug": "mental-health"}},
    )
    return index


def _service(language):
    return (
        ServicePage.objects.live().filter(locale__language_code=language).order_by("path").first()
    )


def test_search_urls_are_translated():
    with translation.override("fr"):
        assert reverse("search") == "/fr/recherche/"
    with translation.override("en"):
        assert reverse("search") == "/en/search/"


def test_a_french_word_finds_the_french_page_for_a_french_visitor(services):
    french = _service("fr")
    word = french.title.split()[-1]
    results = page_search(query=word, language="fr")
    assert french.pk in [r.pk for r in results]
    assert all(r.locale.language_code == "fr" for r in results)


def test_a_french_word_finds_the_english_translation_for_an_english_visitor(services):
    french = _service("fr")
    english = french.get_translation(Locale.objects.get(language_code="en"))
    results = page_search(query=french.title, language="en")
    assert english.pk in [r.pk for r in results]
    assert french.pk not in [r.pk for r in results]


def test_each_page_appears_once_even_when_both_languages_match(services):
    french = _service("fr")
    english = french.get_translation(Locale.objects.get(language_code="en"))
    results = page_search(query=f"{english.title}", language="en")
    keys = [r.translation_key for r in results]
    assert len(keys) == len(set(keys))


def test_search_page_shows_results_in_the_visitors_language(services, client):
    english = _service("en")
    response = client.get("/en/search/", {"q": english.title})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{english.get_url()}"' in html
    assert '<html lang="en">' in html


def test_search_with_no_match_says_so(services, client):
    html = client.get("/fr/recherche/", {"q": "zzzxqj"}).content.decode()
    assert "0 résultat" in html
    assert "Essayez d’autres mots" in html


@given(
    query=st.one_of(
        st.text(max_size=400),
        st.sampled_from(
            ["<script>alert(1)</script>", "\x00", "' OR 1=1 --", "é" * 500, "%", '"\\']
        ),
    )
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_search_never_fails_and_never_echoes_markup(services, client, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


# --- Search that forgives: word forms, both languages, typos (docs/search.md) -------------


@pytest.fixture
def programmes(site_home):
    """A vaccination clinic and a cooking workshop, in French with English translations;
    no title uses the forms the visitors type below."""
    index = page_add(
        ServiceIndexPage,
        parent=site_home,
        title="Programmes",
        translations={"en": {"title": "Programs", "slug": "programs"}},
    )
    page_add(
        ServicePage,
        parent=index,
        title="Vaccination contre la grippe",
        translations={"en": {"title": "Flu vaccination clinic", "slug": "flu-vaccination"}},
    )
    page_add(
        ServicePage,
        parent=index,
        title="Atelier de cuisine collective",
        translations={"en": {"title": "Community cooking workshops", "slug": "cooking"}},
    )
    page_add(
        ServicePage,
        parent=index,
        title="Journaux communautaires",
        translations={"en": {"title": "Community newsletters", "slug": "newsletters"}},
    )
    return index


def _titles(results):
    return [page.title for page in results]


@pytest.mark.parametrize(
    ("query", "language", "expected"),
    [
        ("vaccins", "fr", "Vaccination contre la grippe"),
        ("vaccin", "fr", "Vaccination contre la grippe"),
        ("ateliers", "fr", "Atelier de cuisine collective"),
        ("ateliers cuisines", "fr", "Atelier de cuisine collective"),
        ("journal", "fr", "Journaux communautaires"),
        ("grippe vaccins", "fr", "Vaccination contre la grippe"),
        ("vaccines", "en", "Flu vaccination clinic"),
        ("vaccine clinics", "en", "Flu vaccination clinic"),
        ("workshop", "en", "Community cooking workshops"),
        ("workshop cook", "en", "Community cooking workshops"),
        # A French word from an English visitor finds the page, shown in English.
        ("ateliers", "en", "Community cooking workshops"),
    ],
)
def test_plurals_and_word_forms_find_the_page(programmes, query, language, expected):
    assert expected in _titles(page_search(query=query, language=language))


def test_accents_are_optional(programmes):
    assert "Atelier de cuisine collective" in _titles(page_search(query="atéliers", language="fr"))


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        ("vacination", "vaccination"),
        ("ateleirs", "atelier"),
        ("worksops", "workshops"),
        ("vaccination cuisne", "vaccination cuisine"),
    ],
)
def test_a_misspelt_word_gets_the_nearest_word_of_the_site(programmes, query, suggestion):
    assert search_suggestion(query=query) == suggestion


def test_no_suggestion_when_every_word_is_known_or_nothing_is_near(programmes):
    assert search_suggestion(query="vaccination") is None
    assert search_suggestion(query="zzzxqj") is None
    assert search_suggestion(query="") is None


def test_words_of_unpublished_pages_are_never_suggested(programmes):
    secret = page_add(ServicePage, parent=programmes, title="Restructuration confidentielle")
    secret.unpublish()
    assert search_suggestion(query="confidentiele") is None


@pytest.mark.parametrize(
    ("path", "query", "title", "did_you_mean"),
    [
        ("/fr/recherche/", "vacination", "Vaccination contre la grippe", "Vouliez-vous dire"),
        ("/en/search/", "vacination", "Flu vaccination clinic", "Did you mean"),
        ("/en/search/", "worksops", "Community cooking workshops", "Did you mean"),
    ],
)
def test_a_typo_shows_did_you_mean_and_the_pages_it_finds(
    programmes, client, path, query, title, did_you_mean
):
    html = client.get(path, {"q": query}).content.decode()
    assert did_you_mean in html
    assert title in html
    assert "?q=" in html


def test_an_exact_match_shows_no_suggestion(programmes, client):
    html = client.get("/fr/recherche/", {"q": "vaccins"}).content.decode()
    assert "Vaccination contre la grippe" in html
    assert "Vouliez-vous dire" not in html


def test_a_typo_search_stays_within_the_public_page_query_budget(programmes, client):
    client.get("/fr/recherche/", {"q": "vacination"})  # fills the caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/fr/recherche/", {"q": "ateleirs cuisne"})
    assert response.status_code == 200
    assert "Atelier de cuisine collective" in response.content.decode()
    assert len(queries) <= QUERY_BUDGET, "\n".join(q["sql"][:200] for q in queries)


def test_a_long_query_is_cut_before_any_work(programmes, client):
    response = client.get("/fr/recherche/", {"q": "vacination " * 100})
    assert response.status_code == 200


def test_the_admins_title_search_and_autocomplete_use_the_same_stemming(programmes):
    """Wagtail's admin searches pages through the same backend, by title or as one types."""
    by_title = Page.objects.search("vaccins", fields=["title"])
    assert "Vaccination contre la grippe" in [page.title for page in by_title]
    typed = Page.objects.autocomplete("vacc")
    assert "Vaccination contre la grippe" in [page.title for page in typed]
