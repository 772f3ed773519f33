"""The privacy notice's generated sections, read by visitors over HTTP (policy P3).

Policy P3: each form says what it collects, why, who sees it and for how long, from the
live configuration; F: processors and "never sold"; P4–P5: automatic collection;
P9–P10: rights and the Privacy Officer. French and English.
"""

from __future__ import annotations

import html as html_lib
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Locale, Page

from csce.accounts.roles import ROLE_LABELS
from csce.privacy.factories import notice_html, notice_page
from csce.privacy.models import PrivacyNoticeVersion, Processor, ProcessorCategory
from csce.privacy.notice import notice_sections_build
from csce.submissions.models import form_page_models

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice_site(notice_site_shared):
    """Every test here reads the notice: its site is built once for the module."""
    return notice_site_shared


QUERY_BUDGET = 8  # every public page type (csce/pages/tests/test_views.py)
LANGUAGES = ["fr", "en"]


def entries(html: str) -> dict[str, str]:
    """Each form's block on the notice, by its title."""
    found = {}
    for block in re.findall(r"<section class=\"notice-entry\"(.*?)</section>", html, re.S):
        title = re.search(r"<h4>\s*(?:<a [^>]*>)?(.*?)(?:</a>)?\s*</h4>", block, re.S)
        if title:
            found[html_lib.unescape(title.group(1).strip())] = block
    return found


def live_forms(language: str):
    forms = []
    for model in form_page_models():
        forms += list(model.objects.live().filter(locale__language_code=language))
    return forms


def inbox_names(group, language: str) -> set[str]:
    with translation.override(language):
        return {group.name, str(ROLE_LABELS.get(group.name, group.name))}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_live_form_is_listed_with_its_retention_and_inbox(notice_site, client, language):
    forms = live_forms(language)
    assert len(forms) >= 3, "the site has a contact form, a survey and a program"
    listed = entries(notice_html(client, language))
    for form in forms:
        assert form.title in listed, f"{form.title} is missing from the notice"
        block = listed[form.title]
        assert f'data-notice-retention="{form.retention_days}"' in block
        recipients = re.search(r"data-notice-recipients>(.*?)</dd>", block, re.S).group(1)
        assert any(
            name in html_lib.unescape(recipients) for name in inbox_names(form.inbox, language)
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_new_retention_published_changes_the_notice_at_once(
    notice_site, client, language, django_capture_on_commit_callbacks
):
    form = next(f for f in live_forms(language) if f.retention_days != 12)
    before = entries(notice_html(client, language))[form.title]
    assert 'data-notice-retention="12"' not in before
    form.retention_days = 12
    with django_capture_on_commit_callbacks(execute=True):
        form.save_revision().publish()
    after = entries(notice_html(client, language))[form.title]
    assert 'data-notice-retention="12"' in after
    # The change is a new version of the notice, recorded without an editor.
    version = PrivacyNoticeVersion.objects.filter(language=language).order_by("-number").first()
    assert version.automatic
    forms = {"fr": "formulaires", "en": "forms"}[language]
    assert forms in version.summary
    assert 'data-notice-retention="12"' in version.html


def test_an_unpublished_form_leaves_the_notice(
    notice_site, client, django_capture_on_commit_callbacks
):
    form = live_forms("fr")[0]
    assert form.title in entries(notice_html(client, "fr"))
    with django_capture_on_commit_callbacks(execute=True):
        form.unpublish()
    assert form.title not in entries(notice_html(client, "fr"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_active_processors_appear_and_inactive_ones_do_not(notice_site, client, language):
    locale = Locale.objects.get(language_code=language)
    Processor.objects.create(
        locale=locale,
        name="Sauvegardes Zéphyr",
        category=ProcessorCategory.OTHER,
        data_received="Copies chiffrées",
        purpose="Restaurer le site",
        location="Sherbrooke, Canada",
    )
    Processor.objects.create(
        locale=locale,
        name="Ancien fournisseur Vortex",
        category=ProcessorCategory.OTHER,
        data_received="Rien",
        purpose="Plus rien",
        location="Ailleurs",
        active=False,
    )
    html = notice_html(client, language)
    assert "Sauvegardes Zéphyr" in html
    assert "Sherbrooke, Canada" in html
    assert "Vortex" not in html
    shown = Processor.objects.filter(locale=locale, active=True)
    assert html.count("data-processor") == shown.count()


def test_a_processor_not_yet_translated_is_shown_in_french_rather_than_hidden(notice_site, client):
    Processor.objects.create(
        locale=Locale.objects.get(language_code="fr"),
        name="Traduction Quasar",
        category=ProcessorCategory.OTHER,
        data_received="Textes",
        purpose="Traduire",
        location="Ottawa, Canada",
    )
    assert "Traduction Quasar" in notice_html(client, "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_notice_says_what_is_collected_automatically_and_never_stored(
    notice_site, client, language
):
    html = notice_html(client, language)
    section = html[html.index('data-section="automatic"') : html.index('data-section="cookies"')]
    section = html_lib.unescape(section)
    with translation.override(language):
        assert str(translation.gettext("Limit on sending forms")) in section
    assert "IP" in section  # the full address is never stored, said in words
    assert 'data-section="processors"' in html
    never_sold = {"fr": "Nous ne vendons jamais", "en": "We never sell"}[language]
    assert never_sold in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_rights_lead_to_the_portal_and_the_privacy_officer(notice_site, client, language, settings):
    settings.PRIVACY_OFFICER_EMAIL = "vie.privee@example.org"
    html = notice_html(client, language)
    rights = html[html.index('data-section="rights"') :]
    assert 'href="mailto:vie.privee@example.org"' in rights
    portal = (
        Page.objects.live()
        .filter(content_type__model="privacyrightspage", locale__language_code=language)
        .first()
    )
    if portal is not None:
        assert f'href="{portal.url}"' in rights


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_live_notice_never_shows_the_placeholder_address(notice_site, client, language, settings):
    # A notice published before the address went back to the placeholder (policy P10).
    settings.PRIVACY_OFFICER_EMAIL = settings.PRIVACY_OFFICER_EMAIL_PLACEHOLDER
    html = notice_html(client, language)
    assert settings.PRIVACY_OFFICER_EMAIL_PLACEHOLDER not in html
    generated = html[html.index("data-notice-generated") :]
    assert {"fr": "ce sont ces sections qui", "en": "these sections are the ones"}[
        language
    ] in generated, "the generated sections say they apply over the text above"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_notice_page_stays_within_its_query_budget(notice_site, client, language):
    url = notice_page(language).url
    client.get(url)  # the first visit fills the caches every later visitor uses
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) <= QUERY_BUDGET, "\n".join(q["sql"][:200] for q in queries)


def test_a_processor_change_reaches_visitors_through_the_page_cache(
    notice_site, client, django_capture_on_commit_callbacks
):
    with override_settings(PAGE_CACHE_SECONDS=300):
        assert "Nébuleuse" not in notice_html(client, "fr")
        notice_html(client, "fr")  # now served from the anonymous page cache
        processor = Processor.objects.filter(locale__language_code="fr").first()
        processor.name = "Nébuleuse hébergement"
        with django_capture_on_commit_callbacks(execute=True):
            processor.save()
        assert "Nébuleuse hébergement" in notice_html(client, "fr")


def test_sections_are_in_the_language_asked_for(notice_site):
    french = notice_sections_build(language="fr")
    english = notice_sections_build(language="en")
    assert french.never_sold != english.never_sold
    assert french.sections_hash != english.sections_hash
    assert notice_sections_build(language="fr").sections_hash == french.sections_hash
