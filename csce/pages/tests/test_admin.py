"""Editors work in the Wagtail admin, in French or English, and translate pages there."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail.users.models import UserProfile

from csce.accounts.factories import staff_sign_in, staff_user
from csce.pages.models import HomePage, StandardPage

# Signs in and works on a site's French home page and its English translation.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_home")]


@pytest.fixture
def editor(client):
    user = staff_user(superuser=True, username="editrice")
    staff_sign_in(client, user)  # the admin needs a second factor (policy M)
    return user


@pytest.mark.parametrize(("language", "expected"), [("fr", "Tableau de bord"), ("en", "Dashboard")])
def test_the_admin_speaks_each_staff_members_language(client, editor, language, expected):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = language
    profile.save()
    html = client.get("/admin/").content.decode()
    assert expected in html
    assert f'lang="{language}"' in html


def test_the_admin_login_page_is_french_by_default(client):
    html = client.get("/admin/login/").content.decode()
    assert 'lang="fr"' in html
    assert "Connexion" in html


def test_an_editor_writes_a_french_page_and_translates_it_into_english(client, editor):
    home = HomePage.objects.get(locale__language_code="fr")
    add_url = reverse("wagtailadmin_pages:add", args=("pages", "standardpage", home.pk))
    response = client.post(
        add_url,
        {
            "title": "Heures des fêtes",
            "slug": "heures-des-fetes",
            "body-count": "1",
            "body-0-type": "paragraph",
            "body-0-value": json.dumps(
                {
                    "blocks": [
                        {
                            "key": "a",
                            "type": "unstyled",
                            "text": "Le Centre sera fermé le 25 décembre.",
                            "depth": 0,
                            "inlineStyleRanges": [],
                            "entityRanges": [],
                        }
                    ],
                    "entityMap": {},
                }
            ),
            "body-0-deleted": "",
            "body-0-order": "0",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    french = StandardPage.objects.get(slug="heures-des-fetes")
    assert french.live
    assert french.locale.language_code == "fr"

    english_locale = Locale.objects.get(language_code="en")
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=(french.pk,)),
        {"locales": [english_locale.pk]},
    )
    assert response.status_code == 302
    english = french.get_translation(english_locale)
    assert english.translation_key == french.translation_key
    assert english.get_parent().specific == home.get_translation(english_locale)
    assert Page.objects.filter(translation_key=french.translation_key).count() == 2


def test_the_accessibility_checker_is_in_the_editors_userbar(client, editor):
    html = client.get("/fr/").content.decode()
    assert "wagtail-userbar" in html
    assert 'id="checker-axe-configuration"' in html
