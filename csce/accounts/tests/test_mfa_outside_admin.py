"""Outside the admin too, a password alone opens nothing that a login protects (policy M)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import PageViewRestriction

from csce.accounts.testing import login_with_mfa
from csce.pages.models import NewsPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return get_user_model().objects.create_user(
        username="intervenante", email="i@example.org", password="une phrase de passe solide"
    )


@pytest.fixture
def restricted_article():
    article = NewsPage.objects.live().filter(locale__language_code="fr").first()
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


def test_a_password_only_session_shows_no_staff_toolbar_on_public_pages(client, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    assert "wagtail-userbar" not in client.get("/fr/").content.decode()
    login_with_mfa(client, staff)
    assert "wagtail-userbar" in client.get("/fr/").content.decode()
