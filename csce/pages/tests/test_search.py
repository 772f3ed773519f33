"""Site search over both languages, answering in the visitor's language."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Locale

from csce.pages.factories import page_add
from csce.pages.models import ServiceIndexPage, ServicePage
from csce.pages.selectors import page_search

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
