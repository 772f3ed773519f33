"""The public site over HTTP, in both languages; each test builds the pages it visits."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page

from csce.pages.cache import live_public
from csce.pages.factories import (
    centre_hours_add,
    footer_link_add,
    page_of_type,
    site_home,
    translation_add,
)
from csce.pages.models import (
    PAGE_TYPES,
    ContactPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    PrivacyNoticePage,
    ServiceIndexPage,
    ServicePage,
)
from csce.submissions.factories import inquiry_page_create

QUERY_BUDGET = 8

pytestmark = pytest.mark.django_db


def _page(model, language):
    return model.objects.live().filter(locale__language_code=language).order_by("path").first()


def _path(page) -> str:
    return page.get_url()


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("en-CA,en;q=0.9", "/en/"),
        ("en-US", "/en/"),
        ("fr-CA,fr;q=0.9,en;q=0.8", "/fr/"),
        ("de-DE,de;q=0.9", "/fr/"),
        ("", "/fr/"),
    ],
)
def test_root_redirects_by_accept_language_french_when_unsure(client, accept_language, expected):
    response = client.get("/", headers={"accept-language": accept_language})
    assert response.status_code == 302
    assert response["Location"] == expected
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_type_renders_in_both_languages(client, model, language):
    page_of_type(model)
    page = _page(model, language)
    assert page is not None, f"no {model.__name__} in {language}"
    response = client.get(_path(page))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<title>{page.seo_title or page.title}" in html
    assert 'href="#main"' in html
    assert '<main id="main"' in html


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_type_stays_within_its_query_budget(client, model, language):
    # As full as a demo page of its type: a body with every kind of block, a button, and
    # the pages it lists (page_of_type).
    page_of_type(model)
    path = _path(_page(model, language))
    client.get(path)  # the first visit fills the caches every later visitor uses
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    assert len(queries) <= QUERY_BUDGET, "\n".join(q["sql"][:200] for q in queries)


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
def test_language_switcher_and_hreflang_lead_to_the_translation(client, model):
    page_of_type(model)
    french = _page(model, "fr")
    english = french.get_translation(Locale.objects.get(language_code="en"))
    html = client.get(_path(french)).content.decode()
    assert f'<a href="{english.get_url()}" hreflang="en" lang="en">English</a>' in html
    assert f'hreflang="en" href="http://testserver{english.get_url()}"' in html
    assert f'hreflang="fr" href="http://testserver{french.get_url()}"' in html
    assert f'hreflang="x-default" href="http://testserver{french.get_url()}"' in html
    back = client.get(english.get_url()).content.decode()
    assert f'<a href="{french.get_url()}" hreflang="fr" lang="fr">Français</a>' in back


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_contact_page_links_to_its_forms(client, language):
    """A visitor who looks for how to reach the centre finds the forms published under the
    contact page there (policy C)."""
    inquiry = inquiry_page_create(parent=page_of_type(ContactPage), slug="formulaire")
    translation_add(inquiry, language="en", title="Write to us", slug="form")
    contact = ContactPage.objects.live().get(locale__language_code=language)
    forms = live_public(contact.get_children())
    assert forms.exists()
    html = client.get(contact.get_url()).content.decode()
    links = {urlsplit(href).path for href in re.findall(r'<a [^>]*href="([^"]+)"', html)}
    assert {page.get_url() for page in forms} <= links


def test_breadcrumbs_show_the_way_home(client):
    service = page_of_type(ServicePage)
    index = service.get_parent()
    html = client.get(_path(service)).content.decode()
    crumbs = html[html.index('aria-label="Fil d’Ariane"') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    assert 'href="/fr/">Accueil</a>' in crumbs
    assert f'href="{index.get_url()}">{index.title}</a>' in crumbs
    assert f'<span aria-current="page">{service.title}</span>' in crumbs


def test_menu_marks_the_current_section(client):
    page_of_type(ServicePage)
    service = _page(ServicePage, "en")
    index = service.get_parent()
    html = client.get(_path(index)).content.decode()
    assert f'<a href="{index.get_url()}" aria-current="page">{index.title}</a>' in html
    html = client.get(_path(service)).content.decode()
    assert f'<a href="{index.get_url()}" class="is-ancestor">{index.title}</a>' in html


def test_footer_shows_contacts_hours_and_legal_links_in_the_visitors_language(client):
    footer_link_add(page_of_type(PrivacyNoticePage))
    centre_hours_add()
    html = client.get("/en/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    privacy_en = _page(PrivacyNoticePage, "en")
    assert f'href="{privacy_en.get_url()}"' in footer
    assert "Monday" in footer
    assert "Opening hours" in footer
    html_fr = client.get("/fr/").content.decode()
    footer_fr = html_fr[html_fr.index('<footer class="site-footer">') :]
    assert "Lundi" in footer_fr
    # French times are written « 8 h 30 », with no-break spaces, never « 8:30 ».
    assert re.search(r"\d+\xa0h(\xa0\d\d)?", footer_fr), "French times are written « 8 h 30 »"
    assert not re.search(r"\d:\d\d", footer_fr)
    assert f'href="{_page(PrivacyNoticePage, "fr").get_url()}"' in footer_fr


def test_publishing_a_new_title_updates_the_cached_menu(client):
    page = page_of_type(ServiceIndexPage)
    client.get("/fr/")
    page.title = "Nos services de santé"
    page.save_revision().publish()
    assert "Nos services de santé</a>" in client.get("/fr/").content.decode()


def test_news_index_lists_newest_first_and_survives_bad_page_numbers(client):
    home = site_home()
    for _article in range(3):  # each newer than the one before, later in the tree
        page_of_type(NewsPage, home=home)
    index = _page(NewsIndexPage, "fr")
    articles = list(NewsPage.objects.live().child_of(index).order_by("-date"))
    html = client.get(_path(index)).content.decode()
    positions = [html.index(a.title) for a in articles]
    assert positions == sorted(positions)
    for bad in ("abc", "999", "-1", "1%00"):
        assert client.get(_path(index), {"page": bad}).status_code == 200


def test_sitemap_lists_both_languages_with_alternates(client):
    page_of_type(ServicePage)
    page_of_type(ContactPage, home=HomePage.objects.get(locale__language_code="fr"))
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locations = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    live = Page.objects.live().public().filter(depth__gt=1)
    assert sorted(locations) == sorted(f"http://testserver{p.get_url()}" for p in live)
    assert any("/fr/" in loc for loc in locations)
    assert any("/en/" in loc for loc in locations)
    about = root.findall("s:url", ns)[0]
    langs = {link.get("hreflang") for link in about.findall("x:link", ns)}
    assert langs == {"fr", "en", "x-default"}


def test_robots_txt_points_at_the_sitemap_and_keeps_robots_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


@pytest.mark.parametrize(
    ("language", "title"), [("fr", "Page introuvable"), ("en", "Page not found")]
)
def test_404_is_bilingual_and_in_the_visitors_language_first(site_home, client, language, title):
    response = client.get(f"/{language}/no-such-page/<script>alert(1)</script>/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{title}</h1>" in html
    other = "en" if language == "fr" else "fr"
    assert f'lang="{other}"' in html
    assert "<script>alert(1)</script>" not in html
    assert "Traceback" not in html
    assert "wagtail" not in html.lower()


def test_500_is_bilingual_and_leaks_nothing(client, settings):
    from csce.pages.views import server_error

    response = server_error(client.get("/fr/").wsgi_request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Un problème est survenu" in html
    assert "Something went wrong" in html
    assert "Traceback" not in html
    assert settings.SECRET_KEY not in html


def test_a_view_that_crashes_returns_the_bilingual_500_page(client, settings):
    from django.urls import path

    def crash(request):
        raise RuntimeError("secret internal detail")

    import csce.urls

    settings.ROOT_URLCONF = type(
        "Urls",
        (),
        {
            "urlpatterns": [path("crash/", crash), *csce.urls.urlpatterns],
            "handler500": csce.urls.handler500,
        },
    )
    client.raise_request_exception = False
    response = client.get("/crash/")
    assert response.status_code == 500
    assert "secret internal detail" not in response.content.decode()
    assert "Something went wrong" in response.content.decode()


def test_anonymous_visitors_get_no_cookie(client):
    page_of_type(ContactPage)
    for path in ["/", "/fr/", "/en/", _path(_page(ContactPage, "fr")), "/fr/recherche/?q=santé"]:
        response = client.get(path, follow=True)
        assert response.cookies == {} or not any(m.value for m in response.cookies.values()), (
            f"{path} set {list(response.cookies)}"
        )
    assert client.cookies == {} or not any(m.value for m in client.cookies.values())


def test_theme_css_carries_the_centres_colours(site_home, client):
    from csce.pages.models import CentreSettings

    settings_ = CentreSettings.for_site(site_home.get_site())
    settings_.primary_colour = "#123456"
    settings_.save()
    response = client.get("/theme.css")
    assert response["Content-Type"].startswith("text/css")
    assert b"--colour-primary:#123456" in response.content


def test_unpublished_pages_are_not_served_even_after_a_cached_visit(client):
    page = page_of_type(NewsPage)
    path = _path(page)
    assert client.get(path).status_code == 200
    page.unpublish()
    assert client.get(path).status_code == 404


def test_a_renamed_slug_is_served_at_its_new_address(client):
    page_of_type(NewsPage)
    page = _page(NewsPage, "en").specific
    old = _path(page)
    assert client.get(old).status_code == 200
    page.slug = "renamed-article"
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.get_url().endswith("/renamed-article/")
    assert client.get(page.get_url()).status_code == 200


def test_restricted_pages_stay_private_once_caches_are_warm(client):
    from wagtail.models import PageViewRestriction

    article = page_of_type(NewsPage)
    index = article.get_parent()
    path = _path(article)
    assert client.get(path).status_code == 200
    assert article.title in client.get(_path(index)).content.decode()
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(path)
    assert response.status_code == 302
    assert "login" in response["Location"]
    assert article.title not in client.get(_path(index)).content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver{article.get_url()}" not in sitemap


# --- 400 and CSRF failure: the site's own pages, in the visitor's language ---------------
FRAME = '<a class="skip-link" href="#main">'


def _assert_security_headers(response) -> None:
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Permissions-Policy" in response


@pytest.mark.parametrize(
    ("path", "accept", "language", "title", "other"),
    [
        ("/fr/", "", "fr", "Demande incomprise", "Request not understood"),
        ("/en/", "fr", "en", "Request not understood", "Demande incomprise"),
        ("/robots.txt", "en-CA,en;q=0.9", "en", "Request not understood", "Demande incomprise"),
        ("/robots.txt", "", "fr", "Demande incomprise", "Request not understood"),
    ],
)
def test_an_unknown_host_gets_the_sites_own_bilingual_400(
    site_home, client, settings, path, accept, language, title, other
):
    settings.ALLOWED_HOSTS = ["testserver"]
    headers = {"HTTP_HOST": "evil.example", "HTTP_ACCEPT_LANGUAGE": accept}
    response = client.get(path, **headers)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{title}</h1>" in html
    assert other in html
    assert FRAME in html, "the site's own frame, not Django's bare page"
    assert "evil.example" not in html
    _assert_security_headers(response)


def test_a_suspicious_request_gets_the_400_page_in_the_urls_language(site_home, client, settings):
    # More fields than Django accepts: SuspiciousOperation (TooManyFieldsSent) in the view.
    query = "&".join(["q=a"] * (settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.get(f"/en/search/?{query}", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Request not understood</h1>" in html
    assert "Traceback" not in html
    _assert_security_headers(response)


@pytest.mark.parametrize(
    ("accept", "language", "title", "other"),
    [
        ("", "fr", "Formulaire expiré", "Form expired"),
        ("en-CA,en;q=0.9", "en", "Form expired", "Formulaire expiré"),
    ],
)
def test_a_staff_form_without_its_csrf_token_gets_the_sites_own_bilingual_403(
    site_home, accept, language, title, other
):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/admin/login/",
        {"username": "someone", "password": "pw-7f3a"},
        HTTP_ACCEPT_LANGUAGE=accept,
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{title}</h1>" in html
    assert other in html
    assert FRAME in html
    # Django's reason names the defence; it goes to the log, not to the visitor.
    assert "CSRF" not in html
    assert "pw-7f3a" not in html
    _assert_security_headers(response)


PASSWORD = "jardin-des-saules"


def _password_protect(model, language: str, password: str = PASSWORD):
    from wagtail.models import PageViewRestriction

    page_of_type(model)
    page = _page(model, language)
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=password
    )
    return page


def _unlock_action(html: str) -> str:
    match = re.search(r'<form action="([^"]+)" method="post"', html)
    assert match, "the page shows no unlock form"
    return match.group(1)


def _unlock(client, page, password: str):
    html = client.get(_path(page)).content.decode()
    return client.post(
        _unlock_action(html),
        {"password": password, "return_url": _path(page)},
        HTTP_ORIGIN="http://testserver",
    )


def test_a_password_restricted_page_opens_with_its_password(client):
    page = _password_protect(ServicePage, "fr")
    locked = client.get(_path(page))
    assert locked.status_code == 200
    assert 'name="password"' in locked.content.decode()
    assert not locked.cookies, "no cookie before the visitor sends the password (P5)"
    response = _unlock(client, page, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == _path(page)
    opened = client.get(_path(page)).content.decode()
    assert 'name="password"' not in opened
    assert '<main id="main"' in opened


@pytest.mark.parametrize(
    ("language", "error"),
    [
        ("fr", "Ce mot de passe n’est pas le bon. Vérifiez-le et essayez de nouveau."),
        ("en", "This password is not the right one. Check it and try again."),
    ],
)
def test_a_wrong_password_shows_the_form_again_in_the_visitors_language(client, language, error):
    page = _password_protect(ServicePage, language)
    response = _unlock(client, page, "pas-le-bon")
    assert response.status_code == 400
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert error in html
    assert 'name="password"' in html
    assert 'name="password"' in client.get(_path(page)).content.decode()


def test_an_unlocked_page_is_never_served_from_the_cache_to_others(client, settings):
    from django.test import Client

    settings.PAGE_CACHE_SECONDS = 300
    settings.ALLOWED_HOSTS = ["testserver"]
    page = _password_protect(ServicePage, "en")
    _unlock(client, page, PASSWORD)
    assert 'name="password"' not in client.get(_path(page)).content.decode()
    assert 'name="password"' in Client().get(_path(page)).content.decode()
