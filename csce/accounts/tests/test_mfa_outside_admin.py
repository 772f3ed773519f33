"""Outside the admin too, a password alone opens nothing that a login protects (policy M):
neither login-restricted pages nor documents in login-restricted collections."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from csce.accounts.factories import staff_user
from csce.accounts.testing import login_with_mfa
from csce.pages.factories import page_add
from csce.pages.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    # Policy M: a password-only session is the point, so no second factor yet.
    return staff_user(
        username="intervenante",
        email="i@example.org",
        password="une phrase de passe solide",
        verified=False,
    )


@pytest.fixture
def restricted_article(site_home):
    news = page_add(NewsIndexPage, parent=site_home, title="Nouvelles", slug="nouvelles")
    article = page_add(NewsPage, parent=news, title="Une nouvelle réservée au personnel")
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    return article


def test_a_password_only_session_is_sent_to_the_admin_sign_in(client, staff, restricted_article):
    client.force_login(staff)  # password step done, second factor not
    response = client.get(restricted_article.get_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


def test_a_verified_session_reads_the_restricted_page(client, staff, restricted_article):
    login_with_mfa(client, staff)
    response = client.get(restricted_article.get_url())
    assert response.status_code == 200
    assert restricted_article.title in response.content.decode()


def test_a_password_only_session_shows_no_staff_toolbar_on_public_pages(site_home, client, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    assert "wagtail-userbar" not in client.get("/fr/").content.decode()
    login_with_mfa(client, staff)
    assert "wagtail-userbar" in client.get("/fr/").content.decode()


@pytest.fixture
def restricted_document():
    """A document in a collection that only signed-in people may open."""
    collection = Collection.get_first_root_node().add_child(name="Réservé au personnel")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return get_document_model().objects.create(
        title="Procédure interne",
        file=ContentFile(b"contenu interne", name="procedure.txt"),
        collection=collection,
    )


def test_a_password_only_session_cannot_download_a_restricted_document(
    client, staff, restricted_document
):
    client.force_login(staff)  # password step done, second factor not
    response = client.get(restricted_document.url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")
    assert b"contenu interne" not in b"".join(getattr(response, "streaming_content", []))


def test_a_verified_session_downloads_the_restricted_document(client, staff, restricted_document):
    login_with_mfa(client, staff)
    response = client.get(restricted_document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"contenu interne"
