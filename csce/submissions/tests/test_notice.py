"""The forms' lines of the privacy notice come from the live forms (policy P3): each live
form of the reader's language, what it asks by class of data, why, which inboxes read
it and for how long; a form's change shows at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from csce.accounts.roles import COMMUNICATIONS, PRIVACY_OFFICER, PROGRAM_STAFF
from csce.common.registry import NoticeEntry, personal_data_registry
from csce.submissions.models import InquiryPage, ProgramPage, SurveyPage

from .conftest import in_english, inquiry_page_create
from .surveys import survey_page_create
from .test_registration import program_page_create

pytestmark = pytest.mark.django_db


def notice(language: str) -> list[NoticeEntry]:
    with translation.override(language):
        return personal_data_registry.get("submissions").notice()


def by_title(entries) -> dict[str, NoticeEntry]:
    return {str(entry.title): entry for entry in entries}


@pytest.fixture
def forms(site_home, services) -> dict:
    """The site's forms: a contact form whose topics go to three inboxes, a survey and a
    program in French; a contact form and a program in English."""
    topics = [
        ("Question générale", COMMUNICATIONS),
        ("Programmes et ateliers", PROGRAM_STAFF),
        ("Vos renseignements personnels", PRIVACY_OFFICER),
    ]
    return {
        "contact": inquiry_page_create(parent=site_home, topics=topics),
        "survey": survey_page_create(home=site_home),
        "program": program_page_create(parent=services["fr"]),
        "contact_en": inquiry_page_create(parent=in_english(site_home), slug="write-to-us"),
        "program_en": program_page_create(parent=services["en"], slug="workshop"),
    }


def test_every_live_french_form_has_its_line_with_its_retention_and_inboxes(forms):
    entries = notice("fr")
    live = [
        page
        for model in (InquiryPage, SurveyPage, ProgramPage)
        for page in model.objects.live().filter(locale__language_code="fr")
    ]
    assert len(live) >= 3  # the contact form, survey and program
    assert sorted(e.title for e in entries) == sorted(p.title for p in live)
    assert [e.url for e in entries] == [
        p.url for p in sorted(live, key=lambda page: page.path)
    ]  # tree order
    for page in live:
        entry = by_title(entries)[page.title]
        assert entry.purpose == page.purpose
        assert entry.retention_days == page.retention_days
        assert entry.retention == f"{page.retention_days} jours"

    contact = by_title(entries)["Écrivez-nous"]
    # Its own inbox, then each topic's, each once, by their French names.
    assert contact.recipients == (
        "Communications, Personnel des programmes, Responsable de la protection de la vie privée"
    )
    assert "Nom, Courriel" in contact.collected
    assert "(renseignements personnels)" in contact.collected
    assert "(renseignements de santé, avec votre consentement)" in contact.collected

    program = next(
        e for e in entries if e.url == ProgramPage.objects.get(locale__language_code="fr").url
    )
    assert program.recipients == "Personnel des programmes"


def test_an_anonymous_survey_says_it_keeps_no_address(site_home):
    page = survey_page_create(home=site_home, slug="sondage-avis")
    entry = by_title(notice("fr"))[page.title]
    assert entry.collected.endswith("aucune adresse courriel, aucune adresse IP")
    assert (
        "Satisfaction, Services utilisés, Recommanderiez-vous (aucun renseignement personnel)"
        in (entry.collected)
    )


def test_the_line_follows_the_forms_retention_and_drafts_are_left_out(site_home):
    page = inquiry_page_create(parent=site_home, slug="ecrivez-nous-avis", retention_days=30)
    [entry] = [e for e in notice("fr") if e.url == page.url]
    assert entry.retention == "30 jours"

    page.retention_days = 1
    page.save_revision().publish()
    [entry] = [e for e in notice("fr") if e.url == page.url]
    assert (entry.retention, entry.retention_days) == ("1 jour", 1)

    page.unpublish()
    assert not [e for e in notice("fr") if e.url == page.url]


def test_the_english_notice_lists_the_english_forms_in_english(forms):
    entries = notice("en")
    english = [
        page
        for model in (InquiryPage, SurveyPage, ProgramPage)
        for page in model.objects.live().filter(locale__language_code="en")
    ]
    assert sorted(e.title for e in entries) == sorted(p.title for p in english)
    program = next(
        e for e in entries if e.url == ProgramPage.objects.get(locale__language_code="en").url
    )
    assert program.recipients == "Program staff"
    assert program.retention == "30 days"
    assert "(personal information)" in program.collected


def test_the_notice_takes_the_same_few_queries_however_many_forms(forms, site_home, services):
    notice("fr")  # the site's root paths, cached after the first reading
    with CaptureQueriesContext(connection) as before:
        notice("fr")
    for n in range(3):
        inquiry_page_create(parent=site_home, slug=f"ecrivez-nous-{n}")
        survey_page_create(home=site_home, slug=f"sondage-{n}")
        program_page_create(parent=services["fr"], slug=f"atelier-{n}")
    notice("fr")
    with CaptureQueriesContext(connection) as after:
        entries = notice("fr")
    assert len(entries) >= 12
    assert len(after) == len(before) <= 10
