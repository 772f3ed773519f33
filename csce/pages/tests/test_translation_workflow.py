"""A content creator translates a page, saves a draft and submits it to the approval
workflow; the AED approves and the translation goes live with its own slug (policy C, P2)."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from wagtail.models import Locale, Page, TaskState, WorkflowState
from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.operations import translate_object

from csce.accounts.factories import staff_sign_in, staff_user
from csce.accounts.roles import AED, CONTENT
from csce.outbox.tasks import outbox_deliver_now
from csce.pages.factories import page_add
from csce.pages.models import HomePage, StandardPage
from csce.pages.services import translation_draft_save, translation_submit

QUERY_BUDGET = 8  # every public page's (test_views.py)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_home")]


@pytest.fixture
def french_page():
    home = HomePage.objects.get(locale__language_code="fr")
    return page_add(StandardPage, parent=home, title="Ateliers", slug="ateliers")


@pytest.fixture
def creator():
    return staff_user(role=CONTENT, username="createur", language="fr")


@pytest.fixture
def aed():
    return staff_user(role=AED, username="direction", language="fr")


def _translate(client, french_page) -> Translation:
    """ "Traduire cette page" into English, as the creator does in the admin."""
    english = Locale.objects.get(language_code="en")
    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=(french_page.pk,)),
        {"locales": [english.pk]},
    )
    assert response.status_code == 302
    return Translation.objects.get(
        source__object_id=french_page.translation_key, target_locale=english
    )


def _type(client, translation: Translation, path: str, value: str) -> None:
    """The creator types a segment's English in the translation editor (its own API)."""
    segment = StringSegment.objects.get(source=translation.source, context__path=path)
    response = client.put(
        reverse("wagtail_localize:edit_string_translation", args=(translation.pk, segment.pk)),
        urlencode({"value": value}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 201), response.content[:500]


def _english(french_page) -> StandardPage:
    return StandardPage.objects.get(
        translation_key=french_page.translation_key, locale__language_code="en"
    )


def test_translate_this_page_makes_an_unpublished_draft(client, creator, french_page):
    staff_sign_in(client, creator)
    _translate(client, french_page)
    assert not _english(french_page).live


def test_the_creators_editor_offers_draft_and_submission_not_deletion(client, creator, french_page):
    staff_sign_in(client, creator)
    translation = _translate(client, french_page)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(_english(french_page).pk,)))
    html = html.content.decode()
    assert "Soumettre la traduction pour approbation" in html
    assert "Enregistrer le brouillon" in html
    assert reverse("csce_translation_submit", args=(translation.pk,)) in html
    assert "csce-translation-for-approval" in html  # the editor's own footer is hidden


def test_the_aed_keeps_the_editors_publish_button(client, aed, french_page):
    staff_sign_in(client, aed)
    _translate(client, french_page)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(_english(french_page).pk,)))
    assert "csce-translation-for-approval" not in html.content.decode()


def test_a_saved_draft_keeps_the_english_and_stays_unpublished(client, creator, french_page):
    staff_sign_in(client, creator)
    translation = _translate(client, french_page)
    _type(client, translation, "title", "Workshops")
    response = client.post(reverse("csce_translation_draft", args=(translation.pk,)))
    assert response.status_code == 302
    english = _english(french_page)
    assert not english.live
    assert english.latest_revision.as_object().title == "Workshops"
    assert english.slug == "workshops"  # translated from the title
    # Stopping the synchronisation now keeps what was typed: it is in the page's draft.
    client.post(reverse("wagtail_localize:stop_translation", args=(translation.pk,)))
    assert _english(french_page).get_latest_revision_as_object().title == "Workshops"


def test_stopping_the_synchronisation_keeps_what_was_typed_but_never_saved(
    client, creator, french_page
):
    """« Arrêter la synchronisation » saves the translation as a draft first (policy P2):
    the English typed in the editor, never saved, is in the page's draft afterwards."""
    staff_sign_in(client, creator)
    translation = _translate(client, french_page)
    _type(client, translation, "title", "Workshops")
    stop = reverse("wagtail_localize:stop_translation", args=(translation.pk,))
    assert resolve(stop).url_name == "csce_translation_stop"
    assert client.get(stop).status_code == 405
    response = client.post(stop)
    assert response.status_code == 302
    translation.refresh_from_db()
    assert not translation.enabled
    english = _english(french_page)
    assert english.get_latest_revision_as_object().title == "Workshops"
    assert not english.live  # a draft: the AED still approves it


def test_stopping_the_synchronisation_of_a_live_translation_keeps_the_live_page(
    client, aed, french_page, django_capture_on_commit_callbacks
):
    staff_sign_in(client, aed)
    translation = _translate(client, french_page)
    _type(client, translation, "title", "Workshops")
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(user=aed, publish=True)
    assert _english(french_page).live
    _type(client, translation, "title", "Our workshops")
    client.post(reverse("wagtail_localize:stop_translation", args=(translation.pk,)))
    english = _english(french_page)
    assert english.live
    assert english.title == "Workshops"
    assert english.get_latest_revision_as_object().title == "Our workshops"


def test_staff_who_may_not_edit_the_page_cannot_stop_its_synchronisation(
    client, creator, french_page
):
    from csce.accounts.roles import COMMUNICATIONS

    staff_sign_in(client, creator)
    translation = _translate(client, french_page)
    _type(client, translation, "title", "Workshops")
    client.logout()
    staff_sign_in(client, staff_user(role=COMMUNICATIONS))
    response = client.post(reverse("wagtail_localize:stop_translation", args=(translation.pk,)))
    assert response.status_code in (302, 403)
    translation.refresh_from_db()
    assert translation.enabled
    assert _english(french_page).get_latest_revision_as_object().title != "Workshops"


def test_the_translator_s_own_slug_stays(client, creator, french_page):
    staff_sign_in(client, creator)
    translation = _translate(client, french_page)
    _type(client, translation, "title", "Workshops")
    _type(client, translation, "slug", "our-workshops")
    client.post(reverse("csce_translation_draft", args=(translation.pk,)))
    assert _english(french_page).slug == "our-workshops"


def test_the_translated_slug_is_unique_among_siblings(client, creator, french_page):
    english_home = HomePage.objects.get(locale__language_code="en")
    page_add(StandardPage, parent=english_home, title="Workshops", slug="workshops")
    staff_sign_in(client, creator)
    translation = _translate(client, french_page)
    _type(client, translation, "title", "Workshops")
    client.post(reverse("csce_translation_draft", args=(translation.pk,)))
    assert _english(french_page).slug == "workshops-1"


def test_the_creator_submits_and_the_aed_approves_the_translation(
    client, creator, aed, french_page, settings
):
    staff_sign_in(client, creator)
    translation = _translate(client, french_page)
    _type(client, translation, "title", "Workshops")
    response = client.post(reverse("csce_translation_submit", args=(translation.pk,)))
    assert response.status_code == 302
    english = _english(french_page)
    assert not english.live
    state = WorkflowState.objects.get(
        base_content_type__isnull=False, object_id=str(english.pk), status="in_progress"
    )
    assert state.workflow == french_page.get_workflow()

    # The AED is told, in French, and sees the English page awaiting review.
    outbox_deliver_now()
    to_aed = [m for m in mail.outbox if aed.email in m.to]
    assert to_aed, [m.subject for m in mail.outbox]
    assert "Approbation de la direction adjointe" in to_aed[0].subject + to_aed[0].body
    assert "Moderators approval" not in to_aed[0].subject + to_aed[0].body

    client.logout()
    staff_sign_in(client, aed)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Workshops" in dashboard

    task_state = TaskState.objects.get(workflow_state=state, status="in_progress")
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=(english.pk, "approve", task_state.pk),
        ),
        {"comment": ""},
    )
    assert response.status_code in (200, 302)
    english = _english(french_page)
    assert english.live
    assert english.title == "Workshops"
    assert english.slug == "workshops"
    assert english.url.endswith("/en/workshops/") or english.url_path.endswith("/workshops/")


def test_the_aed_approves_a_new_page_and_its_translation_waiting_together(client, creator, aed):
    """A new French page and its English translation both await the AED's approval at
    once (policy C); the AED approves each, and both go live, each linking the other."""
    home = HomePage.objects.get(locale__language_code="fr")
    french = home.add_child(
        instance=StandardPage(title="Ateliers", slug="ateliers", live=False, locale=home.locale)
    )
    french.save_revision(user=creator)
    french_state = french.get_workflow().start(french, creator)
    staff_sign_in(client, creator)
    translation = _translate(client, french)
    _type(client, translation, "title", "Workshops")
    response = client.post(reverse("csce_translation_submit", args=(translation.pk,)))
    assert response.status_code == 302
    english = _english(french)
    english_state = english.current_workflow_state
    assert english_state is not None
    assert english_state.status == "in_progress"
    assert french_state.status == "in_progress"
    assert not french.live
    assert not english.live

    client.logout()
    staff_sign_in(client, aed)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Ateliers" in dashboard
    assert "Workshops" in dashboard
    for page, state in ((french, french_state), (english, english_state)):
        task_state = TaskState.objects.get(workflow_state=state, status="in_progress")
        response = client.post(
            reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)),
            {"comment": ""},
        )
        assert response.status_code in (200, 302)
    french = StandardPage.objects.get(pk=french.pk)
    english = _english(french)
    assert french.live
    assert french.title == "Ateliers"
    assert english.live
    assert english.title == "Workshops"
    assert english.slug == "workshops"
    for state in (french_state, english_state):
        state.refresh_from_db()
        assert state.status == "approved"

    client.logout()
    french_html = client.get(french.get_url()).content.decode()
    assert f'<a href="{english.get_url()}" hreflang="en" lang="en">English</a>' in french_html
    english_html = client.get(english.get_url()).content.decode()
    assert "Workshops" in english_html
    assert f'<a href="{french.get_url()}" hreflang="fr" lang="fr">Français</a>' in english_html


def test_a_live_translation_stays_as_approved_until_the_update_is(
    creator, french_page, django_capture_on_commit_callbacks
):
    english_locale = Locale.objects.get(language_code="en")
    translate_object(french_page, [english_locale], user=creator)
    translation = Translation.objects.get(
        source__object_id=french_page.translation_key, target_locale=english_locale
    )
    segment = StringSegment.objects.get(source=translation.source, context__path="title")
    StringTranslation.objects.create(
        translation_of=segment.string,
        locale=english_locale,
        context=segment.context,
        data="Workshops",
        translation_type="manual",
    )
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(user=creator, publish=True)
    english = _english(french_page)
    assert english.live
    assert english.title == "Workshops"

    StringTranslation.objects.filter(context=segment.context, locale=english_locale).update(
        data="Our workshops"
    )
    translation_submit(translation=translation, user=creator)
    english = _english(french_page)
    assert english.live
    assert english.title == "Workshops"  # the public page is still what was approved
    assert english.has_unpublished_changes
    assert english.get_latest_revision_as_object().title == "Our workshops"
    assert Page.objects.get(pk=english.pk).specific.title == "Workshops"
    # Saved again while it awaits approval: still the approved page in public.
    assert translation_draft_save(translation=translation, user=creator).title == "Workshops"
    assert _english(french_page).live_revision.as_object().title == "Workshops"


def test_a_page_without_a_live_translation_says_so_and_links_the_other_home(
    client, creator, french_page
):
    staff_sign_in(client, creator)
    translation = _translate(client, french_page)
    _type(client, translation, "title", "Workshops")
    client.post(reverse("csce_translation_submit", args=(translation.pk,)))  # awaiting approval
    client.logout()
    english_home = HomePage.objects.get(locale__language_code="en")
    html = client.get(french_page.get_url()).content.decode()
    switcher = html[html.index('class="language-switcher"') :]
    switcher = switcher[: switcher.index("</nav>")]
    assert "This page is only available in French." in switcher
    assert f'<a href="{english_home.get_url()}" hreflang="en">Go to the home page</a>' in switcher
    assert 'lang="en"' in switcher
    assert 'hreflang="en" href=' not in html  # no alternate that does not exist
    assert 'hreflang="x-default"' not in html


def test_an_english_only_page_says_so_in_french(client):
    english_home = HomePage.objects.get(locale__language_code="en")
    english = page_add(StandardPage, parent=english_home, title="Newcomers", slug="newcomers")
    french_home = HomePage.objects.get(locale__language_code="fr")
    html = client.get(english.get_url()).content.decode()
    assert "Cette page n’existe qu’en anglais." in html
    assert f'<a href="{french_home.get_url()}" hreflang="fr">Aller à la page d’accueil</a>' in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_missing_translation_notice_keeps_within_the_query_budget(client, language):
    home = HomePage.objects.get(locale__language_code=language)
    page = page_add(StandardPage, parent=home, title="Seule", slug="seule")
    client.get(page.get_url())  # the first visit fills the caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.get_url())
    assert response.status_code == 200
    assert "language-switcher__missing" in response.content.decode()
    assert len(queries) <= QUERY_BUDGET, "\n".join(q["sql"][:200] for q in queries)


def test_the_editors_publish_button_reads_as_french(client, aed):
    staff_sign_in(client, aed)
    catalogue = client.get(reverse("wagtail_localize:javascript_catalog")).content.decode()
    assert '"Publish in ": "Publier en "' in catalogue
    assert '"Uses %s version": "Utilise la version en %s"' in catalogue


ENGLISH_WORD = re.compile(r"\bEnglish\b")


def _editor_props(html: str) -> dict:
    """The translation editor's props (a JSON attribute its script reads)."""
    match = re.search(r'data-props="([^"]*)"', html)
    assert match, "no translation editor on the screen"
    return json.loads(unescape(match.group(1)))


def test_the_french_admin_names_the_languages_in_french(client, aed, french_page):
    """Policy P2: the AED's publish button reads « Publier en anglais » and the heading
    « … anglais », never the English page's language as English calls it."""
    staff_sign_in(client, aed)
    _translate(client, french_page)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(_english(french_page).pk,)))
    html = html.content.decode()
    props = _editor_props(html)
    assert props["locale"]["displayName"] == "anglais"  # "Publish in " + this, in the footer
    assert props["sourceLocale"]["displayName"] == "français"
    heading = html[html.index("<h1") : html.index("</h1>")]
    assert "anglais" in heading
    assert 'data-heading="Texte en français, traduction en anglais"' in html
    assert not ENGLISH_WORD.search(html), ENGLISH_WORD.search(html)
    # The explorer's locale labels and filter too.
    english_home = HomePage.objects.get(locale__language_code="en")
    listing = client.get(reverse("wagtailadmin_explore", args=(english_home.pk,)))
    listing = listing.content.decode()
    assert "anglais" in listing
    assert not ENGLISH_WORD.search(listing), ENGLISH_WORD.search(listing)


def test_the_english_admin_names_them_in_english(client, french_page):
    staff_sign_in(client, staff_user(role=AED, username="deputy", language="en"))
    _translate(client, french_page)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(_english(french_page).pk,)))
    props = _editor_props(html.content.decode())
    assert props["locale"]["displayName"] == "English"
    assert props["sourceLocale"]["displayName"] == "French"


def test_the_public_switcher_keeps_each_language_s_own_name(client, creator, french_page):
    """The switcher names a language as its readers do: « English » on the French site."""
    english_locale = Locale.objects.get(language_code="en")
    translate_object(french_page, [english_locale], user=creator)
    _english(french_page).save_revision(user=creator).publish()
    french_page.save_revision(user=creator).publish()
    html = client.get(french_page.get_url()).content.decode()
    assert 'hreflang="en" lang="en">English</a>' in html
    back = client.get(_english(french_page).get_url()).content.decode()
    assert 'hreflang="fr" lang="fr">Français</a>' in back


@pytest.mark.parametrize("action", ["csce_translation_draft", "csce_translation_submit"])
def test_staff_who_may_not_edit_the_page_cannot_save_or_submit_its_translation(
    client, creator, french_page, action
):
    from csce.accounts.roles import COMMUNICATIONS

    staff_sign_in(client, creator)
    translation = _translate(client, french_page)
    _type(client, translation, "title", "Workshops")
    client.logout()
    staff_sign_in(client, staff_user(role=COMMUNICATIONS))
    response = client.post(reverse(action, args=(translation.pk,)))
    assert response.status_code in (302, 403)
    english = _english(french_page)
    assert english.get_latest_revision_as_object().title != "Workshops"
    assert not WorkflowState.objects.filter(object_id=str(english.pk)).exists()
    assert client.get(reverse(action, args=(translation.pk,))).status_code in (302, 405)


def test_an_english_speaking_approver_is_told_in_english(client, creator, french_page):
    english_aed = staff_user(role=AED, username="deputy", language="en")
    staff_sign_in(client, creator)
    translation = _translate(client, french_page)
    _type(client, translation, "title", "Workshops")
    client.post(reverse("csce_translation_submit", args=(translation.pk,)))
    outbox_deliver_now()
    to_aed = [m for m in mail.outbox if english_aed.email in m.to]
    assert to_aed
    text = to_aed[0].subject + to_aed[0].body
    assert "Assistant Executive Director approval" in text
    assert "Approbation de la direction adjointe" not in text
