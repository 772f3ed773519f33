"""The public form over HTTP: consent, spam defences, bad input, no cookie (policy P5, P6)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from csce.common.testing import database_read_only
from csce.submissions.models import Submission

from .conftest import inquiry_post_data, post_form, started_token

pytestmark = pytest.mark.django_db


def test_the_form_shows_topics_consent_unticked_and_sets_no_cookie(client, inquiry_page):
    response = client.get(inquiry_page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Question générale" in html
    assert "Programmes" in html
    assert 'name="form_consent"' in html
    assert 'name="form_consent" required checked' not in html
    assert "checked" not in html
    assert "Répondre à votre question." in html  # the purpose is shown on the form
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]


def test_a_valid_inquiry_is_stored_routed_to_its_topic_inbox_with_consent(client, inquiry_page):
    programs = inquiry_page.topics.get(label="Programmes")
    response = post_form(
        client,
        inquiry_page,
        inquiry_post_data(inquiry_page, form_topic=str(programs.pk), form_purpose_newsletter="on"),
    )
    assert response.status_code == 200
    assert not response.cookies
    submission = Submission.objects.get()
    assert submission.inbox_id == programs.inbox_id
    assert submission.consent_given
    assert submission.consent_version == inquiry_page.consent_version
    assert submission.optional_consents == ["newsletter"]
    assert submission.language == "fr"
    assert submission.due_at is not None
    values = {a["name"]: a["value"] for a in submission.answers}
    assert values["courriel"] == "marie.tremblay@example.org"


def test_without_consent_a_sensitive_form_is_refused_and_the_answers_are_kept(client, inquiry_page):
    response = post_form(client, inquiry_page, inquiry_post_data(inquiry_page, form_consent=None))
    assert response.status_code == 400
    html = response.content.decode()
    assert "consentement" in html  # the French message
    assert "Marie Tremblay" in html
    assert "Quand ouvrez-vous le samedi ?" in html
    assert not Submission.objects.exists()


def test_errors_come_in_the_visitors_language(client, inquiry_page, inquiry_page_en):
    bad = {"courriel": "not-an-address"}
    english = post_form(client, inquiry_page_en, inquiry_post_data(inquiry_page_en, **bad))
    french = post_form(client, inquiry_page, inquiry_post_data(inquiry_page, **bad))
    assert english.status_code == french.status_code == 400
    assert "Enter a valid email address." in english.content.decode()
    assert "Saisissez une adresse de courriel valide." in french.content.decode()
    assert "not-an-address" in english.content.decode()


def test_a_filled_honeypot_is_thanked_and_nothing_is_kept(client, inquiry_page):
    response = post_form(
        client, inquiry_page, inquiry_post_data(inquiry_page, form_website="http://spam")
    )
    assert response.status_code == 200
    assert not Submission.objects.exists()


def test_a_form_sent_too_fast_is_shown_again_with_its_answers(client, inquiry_page):
    data = inquiry_post_data(inquiry_page, form_started=started_token(inquiry_page, seconds_ago=0))
    response = post_form(client, inquiry_page, data)
    assert response.status_code == 400
    assert "Marie Tremblay" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_minimum_fill_time_is_a_setting(client, inquiry_page, settings):
    settings.FORM_MIN_FILL_SECONDS = 0
    data = inquiry_post_data(inquiry_page, form_started=started_token(inquiry_page, seconds_ago=0))
    response = post_form(client, inquiry_page, data)
    assert response.status_code == 200
    assert Submission.objects.count() == 1


def test_a_form_posted_from_another_site_is_refused(client, inquiry_page):
    response = client.post(
        inquiry_page.url, inquiry_post_data(inquiry_page), HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    response = client.post(inquiry_page.url, inquiry_post_data(inquiry_page))
    assert response.status_code == 403
    assert not Submission.objects.exists()


@override_settings(FORM_RATE_LIMIT=2)
def test_an_address_that_sends_too_many_forms_waits_and_keeps_its_answers(client, inquiry_page):
    for _ in range(2):
        assert post_form(client, inquiry_page, inquiry_post_data(inquiry_page)).status_code == 200
    response = post_form(client, inquiry_page, inquiry_post_data(inquiry_page))
    assert response.status_code == 429
    assert "Marie Tremblay" in response.content.decode()
    assert Submission.objects.count() == 2
    other = post_form(client, inquiry_page, inquiry_post_data(inquiry_page), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


@override_settings(FORM_RATE_LIMIT=2)
def test_the_limit_still_holds_after_the_cache_is_cleared(client, inquiry_page):
    """A cache cull or restart (an anonymous flood can cause one) does not reset it."""
    for _ in range(2):
        assert post_form(client, inquiry_page, inquiry_post_data(inquiry_page)).status_code == 200
    assert post_form(client, inquiry_page, inquiry_post_data(inquiry_page)).status_code == 429
    cache.clear()
    response = post_form(client, inquiry_page, inquiry_post_data(inquiry_page))
    assert response.status_code == 429
    assert Submission.objects.count() == 2


@pytest.mark.parametrize(
    "value",
    ["<script>alert(1)</script>", "a\x00b", "é" * 6000, "\U0001f600 \u202e rtl", ""],
)
def test_limits_never_fail_the_page_and_html_is_escaped(client, inquiry_page, value):
    response = post_form(
        client, inquiry_page, inquiry_post_data(inquiry_page, nom=value, message=value)
    )
    assert response.status_code in (200, 400)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_a_sensitive_field_left_empty_needs_no_consent(client, inquiry_page):
    data = inquiry_post_data(inquiry_page, sante="", form_consent=None)
    response = post_form(client, inquiry_page, data)
    assert response.status_code == 200
    submission = Submission.objects.get()
    assert not submission.consent_given
    assert submission.consent_at is None


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        ("inquiry_page", "avec votre consentement"),
        ("inquiry_page_en", "with your consent"),
    ],
)
def test_a_filled_sensitive_field_without_consent_is_refused_next_to_the_box(
    request, client, fixture, message
):
    page = request.getfixturevalue(fixture)
    response = post_form(client, page, inquiry_post_data(page, form_consent=None))
    assert response.status_code == 400
    html = response.content.decode()
    # The message sits in the consent box's own field, in the visitor's language.
    error = html.index('id="id_form_consent_error"')
    assert message in html[error : html.index('name="form_consent"')]
    assert "Je vis avec le diabète de type 2" in html  # what they typed is kept
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("fr", "Vos réponses n’ont pas pu être enregistrées"),
        ("en", "Your answers could not be saved just now"),
    ],
)
def test_an_unwritable_database_shows_the_form_again_with_the_answers_and_a_503(
    client, inquiry_page, inquiry_page_en, language, notice
):
    page = inquiry_page if language == "fr" else inquiry_page_en
    post_form(client, page, inquiry_post_data(page, message="Déjà reçu"))
    assert Submission.objects.count() == 1
    data = inquiry_post_data(page, nom="Lucie Gagnon", message="Mon message <b>tapé</b> ici")

    with database_read_only():
        response = post_form(client, page, data)

    assert response.status_code == 503
    html = response.content.decode()
    assert notice in html
    assert "Lucie Gagnon" in html
    assert "Mon message &lt;b&gt;tapé&lt;/b&gt; ici" in html
    assert "no-store" in response["Cache-Control"]
    # What was stored before is still there; the failed one was not half-stored.
    assert Submission.objects.count() == 1
    # Sent again once the database writes, it is stored.
    response = post_form(client, page, {**data, "form_started": started_token(page)})
    assert Submission.objects.count() == 2
