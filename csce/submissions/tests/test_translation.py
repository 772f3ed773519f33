"""A program translated with wagtail-localize keeps one pool of places per session: the
French page and its English translation share each session's ``key`` (one pool of places),
and syncing the translation again keeps the English sessions and their registrations."""

from __future__ import annotations

import pytest
from wagtail.models import Locale
from wagtail_localize.models import TranslationSource
from wagtail_localize.operations import translate_object

from csce.submissions.models import ProgramPage, ProgramSession, RegistrationStatus
from csce.submissions.programs.registration import session_places_left

from .test_registration import program_page_create, registration_submit

pytestmark = pytest.mark.django_db


def translate(page: ProgramPage) -> ProgramPage:
    """What the admin's "Translate this page" does (wagtail_localize.views.submit_translations)."""
    english = Locale.objects.get(language_code="en")
    translate_object(page, [english])
    return page.get_translation(english).specific


def sync(page: ProgramPage) -> ProgramPage:
    """What the admin's "Sync translated pages" does (wagtail_localize update_translations)."""
    source = TranslationSource.objects.get_for_instance(page)
    source.update_from_db()
    for translation in source.translations.filter(enabled=True):
        translation.save_target(publish=True)
    return page.get_translation(Locale.objects.get(language_code="en")).specific


def keys(page: ProgramPage) -> list:
    return list(
        ProgramSession.objects.filter(page=page)
        .order_by("sort_order")
        .values_list("key", flat=True)
    )


def test_the_english_translation_shares_each_sessions_key_and_places(services):
    french = program_page_create(parent=services["fr"], capacity=1, slug="atelier-traduit")
    english = translate(french)
    assert english.locale.language_code == "en"
    assert keys(english) == keys(french)
    assert len(set(keys(french))) == 2

    french_session, english_session = (
        ProgramSession.objects.filter(page=page).order_by("sort_order").first()
        for page in (french, english)
    )
    registration_submit(page=french, session=french_session, email="marie@example.org")
    # The one place is taken, in both languages: the next English visitor waits.
    assert session_places_left(session=english_session) == 0
    waiting = registration_submit(
        page=english, session=english_session, email="john@example.org", language="en"
    )
    assert waiting.status == RegistrationStatus.WAITLISTED


def test_syncing_the_translation_again_keeps_the_english_sessions_and_their_people(services):
    french = program_page_create(parent=services["fr"], capacity=3, slug="atelier-resync")
    english = translate(french)
    english_session = ProgramSession.objects.filter(page=english).order_by("sort_order").first()
    registration = registration_submit(
        page=english, session=english_session, email="john@example.org", language="en"
    )

    # The editor changes the French page (a new capacity, a new title) and syncs.
    session = ProgramSession.objects.filter(page=french).order_by("sort_order").first()
    ProgramSession.objects.filter(pk=session.pk).update(capacity=5)
    french = ProgramPage.objects.get(pk=french.pk)
    french.title = "Atelier cuisine (nouvelle formule)"
    french.save_revision().publish()
    english = sync(ProgramPage.objects.get(pk=french.pk))

    assert keys(english) == keys(french)
    registration.refresh_from_db()
    assert registration.session_id == english_session.pk
    assert registration.session.capacity == 5
    assert session_places_left(session=registration.session) == 4
