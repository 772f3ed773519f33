"""The cookies the notice lists are the cookies the site sets (policy P3).

Policy P3, F and P5 (public pages set no cookie): a visitor who browses every
public page in both languages and sends the contact form gets exactly the cookies the
notice lists for visitors (none today); a staff member's cookies are all listed.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.models import Page

from csce.accounts.factories import staff_sign_in, staff_user
from csce.accounts.roles import PRIVACY_OFFICER
from csce.common.cookies import VISITORS, CookieDeclaration, cookie_registry

from .conftest import contact_submit
from .test_notice import notice_html, notice_page

pytestmark = pytest.mark.django_db


def listed_cookies(html: str, audience: str) -> set[str]:
    """The names marked in the notice's list of ``audience`` cookies."""
    segment = html[html.index(f'data-cookie-list="{audience}"') :]
    end = re.search(r"</(ul|p)>", segment).end()
    return set(re.findall(r'data-cookie-name="([^"]+)"', segment[:end]))


@pytest.fixture
def every_page_type(notice_site):
    """Beside the notice's site (its forms, portal and notice): one published page of each
    other page type, in French and English."""
    from csce.pages.factories import page_add
    from csce.pages.models import (
        ContactPage,
        NewsIndexPage,
        NewsPage,
        ServicePage,
        StandardPage,
    )

    home = notice_site.home
    services = notice_site.forms.program.get_parent()

    def bilingual(model, parent, title, slug, english, english_slug):
        return page_add(
            model,
            parent=parent,
            title=title,
            slug=slug,
            translations={"en": {"title": english, "slug": english_slug}},
        )

    bilingual(StandardPage, home, "À propos", "a-propos", "About", "about")
    bilingual(ServicePage, services, "Santé mentale", "sante-mentale", "Mental health", "mh")
    news = bilingual(NewsIndexPage, home, "Nouvelles", "nouvelles", "News", "news")
    bilingual(NewsPage, news, "Vaccination", "vaccination", "Vaccination", "vaccination")
    bilingual(ContactPage, home, "Nous joindre", "nous-joindre", "Contact us", "contact-us")
    return notice_site


def test_a_visitor_gets_exactly_the_cookies_the_notice_lists(every_page_type, client):
    received: set[str] = set()

    def visit(url: str, **extra):
        response = client.get(url, **extra)
        assert response.status_code in (200, 301, 302), (url, response.status_code)
        received.update(response.cookies.keys())
        return response

    visit("/", headers={"accept-language": "en-CA"})
    visit("/robots.txt")
    visit("/sitemap.xml")
    pages = Page.objects.live().public().filter(depth__gt=1).specific()
    urls = [page.url for page in pages if page.url]
    languages = {url.split("/")[1] for url in urls}
    assert languages == {"fr", "en"}
    assert len(urls) >= 20  # every page type, forms and portal included
    for url in urls:
        visit(url)
    notice = notice_page("fr")
    visit(f"{notice.url}?versions")
    visit(f"{notice.url}?version=1")
    visit("/fr/recherche/?q=sant%C3%A9")
    visit("/en/search/?q=health")
    for language in ("fr", "en"):
        contact_submit(client, language=language)
    received.update(client.cookies.keys())

    for language in ("fr", "en"):
        assert received == listed_cookies(notice_html(client, language), VISITORS)


def test_every_cookie_a_signed_in_staff_member_gets_is_listed(notice_site, client):
    user = staff_user(role=PRIVACY_OFFICER, username="agente")
    staff_sign_in(client, user)
    client.get("/admin/")
    response = client.post(
        reverse("wagtailsnippets_privacy_processor:add") + "?locale=fr",
        {
            "name": "Sauvegardes Zéphyr",
            "category": "other",
            "data_received": "Copies chiffrées",
            "purpose": "Restaurer le site",
            "location": "Sherbrooke, Canada",
            "active": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    got = set(client.cookies.keys())
    assert {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME} <= got
    for language in ("fr", "en"):
        staff = listed_cookies(notice_html(client, language), "staff")
        assert got <= staff, got - staff


def test_a_cookie_an_app_declares_for_visitors_appears_in_the_notice(notice_site, client):
    html = notice_html(client, "en")
    assert listed_cookies(html, VISITORS) == set()
    assert "sets no cookie" in html
    cookie_registry.register(
        CookieDeclaration(
            name="csce_test_choice",
            purpose="Remembers a test choice.",
            lifetime="1 day",
            audience=VISITORS,
            declared_by="tests",
        )
    )
    try:
        # A new declaration is a new deployment: the cached sections are not reused.
        html = notice_html(client, "en")
    finally:
        cookie_registry.unregister("csce_test_choice")
    assert listed_cookies(html, VISITORS) == {"csce_test_choice"}
    assert "Remembers a test choice." in html


def test_a_cookie_declared_twice_differently_is_refused():
    declared = next(iter(cookie_registry))
    with pytest.raises(ValueError, match="is declared"):
        cookie_registry.register(
            CookieDeclaration(
                name=declared.name, purpose="Autre", lifetime="1 day", audience=declared.audience
            )
        )


def test_a_page_protected_by_a_password_lists_the_cookie_its_visitor_gets(notice_site, client):
    """The session cookie is set only when a visitor types a page's password; the notice
    lists it for visitors exactly while such a page exists, in both languages."""
    from wagtail.models import PageViewRestriction

    for language in ("fr", "en"):
        assert settings.SESSION_COOKIE_NAME not in listed_cookies(
            notice_html(client, language), VISITORS
        )
    page = Page.objects.live().filter(depth=3, locale__language_code="fr").first()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="jardin-des-saules"
    )
    html = client.get(page.url).content.decode()
    action = re.search(r'<form action="([^"]+)" method="post"', html).group(1)
    response = client.post(
        action,
        {"password": "jardin-des-saules", "return_url": page.url},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 302
    received = set(client.cookies.keys())
    assert received == {settings.SESSION_COOKIE_NAME}
    for language in ("fr", "en"):
        assert listed_cookies(notice_html(client, language), VISITORS) == received
    restriction.delete()
    for language in ("fr", "en"):
        assert listed_cookies(notice_html(client, language), VISITORS) == set()
