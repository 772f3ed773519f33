"""Anonymous visitors get cached pages; nobody gets stale or someone else's page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from csce.accounts.factories import staff_sign_in, staff_user
from csce.pages.factories import page_of_type
from csce.pages.models import NewsIndexPage, ServicePage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    # Only hosts the site answers to are cached: the test settings allow any host.
    settings.ALLOWED_HOSTS = ["testserver"]


@pytest.fixture
def services(db):
    """A service in French and English, under its index on a fresh site."""
    return page_of_type(ServicePage)


def _service(language="fr"):
    return ServicePage.objects.live().filter(locale__language_code=language).first()


def test_a_repeat_anonymous_visit_is_served_from_the_cache(services, client):
    path = _service().get_url()
    first = client.get(path)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(path)
    assert second.status_code == 200
    # The content generation, read from the database once (it never goes back).
    assert len(queries) == 1
    assert second.content == first.content
    assert "Content-Security-Policy" in second
    assert "max-age" not in second.get("Cache-Control", ""), "browsers must not keep stale pages"


def test_publishing_shows_the_change_to_the_next_visitor(services, client):
    service = _service().specific
    path = service.get_url()
    client.get(path)
    service.title = "Soins primaires et prévention"
    service.save_revision().publish()
    assert "Soins primaires et prévention" in client.get(path).content.decode()


def test_changing_the_centres_settings_shows_at_once(site_home, client):
    from csce.pages.models import CentreSettings

    client.get("/fr/")
    centre = CentreSettings.for_site(site_home.get_site())
    centre.phone = "613-555-0199"
    centre.save()
    assert "613-555-0199" in client.get("/fr/").content.decode()


def test_staff_never_receive_or_leave_a_cached_page(services, client):
    path = _service().get_url()
    anonymous = client.get(path).content.decode()
    assert "wagtail-userbar" not in anonymous
    user = staff_user(superuser=True, username="redactrice")
    staff_sign_in(client, user)  # staff sessions count only once MFA is passed
    assert "wagtail-userbar" in client.get(path).content.decode()
    client.logout()
    assert "wagtail-userbar" not in client.get(path).content.decode()


def test_pages_with_a_query_string_are_not_cached(client):
    page_of_type(NewsIndexPage)
    index = NewsIndexPage.objects.live().filter(locale__language_code="en").first()
    client.get(index.get_url(), {"page": "1"})
    with CaptureQueriesContext(connection) as queries:
        client.get(index.get_url(), {"page": "1"})
    assert len(queries) > 0


def test_each_language_has_its_own_cached_page(site_home, client):
    french = client.get("/fr/").content.decode()
    english = client.get("/en/").content.decode()
    assert '<html lang="fr">' in french
    assert '<html lang="en">' in english
    assert '<html lang="en">' in client.get("/en/").content.decode()


def test_anonymous_requests_cannot_grow_the_cache(services, client, settings, monkeypatch):
    """Cookies, languages, hosts and paths a visitor invents add no cache entries."""
    from django.core.cache import cache

    settings.ALLOWED_HOSTS = ["*"]
    written: set[str] = set()
    set_entry = cache.set

    def recording_set(key, *args, **kwargs):
        written.add(key)
        return set_entry(key, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    path = _service().get_url()
    client.get(path)
    client.get("/fr/", HTTP_HOST="h.example.org")
    client.get("/fr/inconnue/")
    baseline = set(written)
    for n in range(40):
        client.get(
            path,
            headers={"cookie": f"sessionid=s{n}; autre=v{n}", "accept-language": f"x{n},en"},
        )
        client.get("/fr/", HTTP_HOST=f"h{n}.example.org")
        client.get(f"/fr/inconnue-{n}/")
    assert written == baseline, sorted(written - baseline)
