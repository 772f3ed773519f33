"""The privacy-rights portal over HTTP, in French and English (policy P9, P10): the form,
its errors next to each field, no cookie, the same-origin rule, the rate limit, and the
confirmation link that a GET never confirms."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from csce.privacy.models import PrivacyRequest, PrivacyRequestVerification

from .portal_support import (
    DETAILS,
    EMAIL,
    NAME,
    link_in,
    portal_page,
    portal_post,
    portal_post_data,
    token_from_link,
)

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 8


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ["Exercer vos droits", "Corriger mes renseignements", "Vos droits", "30 jours"]),
        (
            "en",
            ["Exercise your privacy rights", "Correct my information", "Your rights", "30 days"],
        ),
    ],
)
def test_the_portal_explains_each_right_and_sets_no_cookie(portal, client, language, words):
    response = client.get(portal_page(language).url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for word in words:
        assert word in html
    assert html.count('type="radio" name="kind"') == 6
    assert "checked" not in html
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_portal_renders_within_the_query_budget(portal, client, language):
    url = portal_page(language).url
    client.get(url)  # the first visit fills the caches every later visitor uses
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) <= QUERY_BUDGET, "\n".join(q["sql"][:200] for q in queries)


@pytest.mark.parametrize(
    ("language", "email_error", "details_error", "summary"),
    [
        (
            "fr",
            "Saisissez une adresse de courriel valide.",
            "Dites-nous quels renseignements sont erronés",
            "Veuillez corriger ce qui suit",
        ),
        (
            "en",
            "Enter a valid email address.",
            "Tell us which information is wrong",
            "Please correct the following",
        ),
    ],
)
def test_errors_are_next_to_their_fields_in_the_visitors_language_with_values_kept(
    portal, client, language, email_error, details_error, summary
):
    page = portal_page(language)
    data = portal_post_data(page, email="pas-une-adresse", details="", name="Jean <b>Gras</b>")
    response = portal_post(client, page, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert summary in html
    assert f'id="id_email_error">{email_error}' in html
    assert f'id="id_details_error">{details_error}' in html
    assert 'href="#id_email"' in html
    assert 'href="#id_details"' in html
    assert 'value="pas-une-adresse"' in html
    assert 'value="Jean &lt;b&gt;Gras&lt;/b&gt;"' in html
    assert (
        'value="correction" id="id_kind_1" aria-describedby="id_kind_1_helptext" required checked'
        in html
    )
    assert not response.cookies
    assert not PrivacyRequestVerification.objects.exists()
    assert not mail.outbox


def test_a_missing_choice_is_shown_on_the_radio_group(portal, client):
    page = portal_page("fr")
    response = portal_post(client, page, portal_post_data(page, kind=None))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_kind_error">Choisissez ce que vous souhaitez faire.' in html
    assert 'href="#id_kind_0"' in html


@pytest.mark.parametrize("kind", ["access", "deletion", "withdrawal"])
def test_details_are_optional_for_access_deletion_and_withdrawal(portal, client, kind):
    page = portal_page("en")
    response = portal_post(client, page, portal_post_data(page, kind=kind, details=""))
    assert response.status_code == 200
    assert PrivacyRequestVerification.objects.get().payload["kind"] == kind


@pytest.mark.parametrize(
    ("language", "thanks", "subject"),
    [
        ("fr", "7 jours", "Confirmez votre demande"),
        ("en", "7 days", "Confirm your privacy request"),
    ],
)
def test_a_valid_form_waits_for_its_address_to_be_confirmed(
    portal, client, language, thanks, subject, django_capture_on_commit_callbacks
):
    page = portal_page(language)
    with django_capture_on_commit_callbacks(execute=True):
        response = portal_post(client, page, portal_post_data(page))
    assert response.status_code == 200
    html = response.content.decode()
    assert "notice--success" in html
    assert thanks in html
    assert EMAIL not in html
    assert NAME not in html
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]
    assert not PrivacyRequest.objects.exists()
    assert PrivacyRequestVerification.objects.get().payload["language"] == language
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    assert subject in message.subject
    link = link_in(message.body)
    assert link.startswith("http")
    assert f"{page.url}?confirm=" in link
    for secret in (EMAIL, NAME, "Zyxwv"):
        assert secret not in link


def test_the_answer_is_the_same_for_a_known_address(portal, client):
    page = portal_page("fr")
    first = portal_post(client, page, portal_post_data(page)).content.decode()
    second = portal_post(client, page, portal_post_data(page)).content.decode()
    strip = lambda html: html.split("<main", 1)[1].split("</main>", 1)[0]  # noqa: E731
    assert strip(first) == strip(second)
    # One link an hour to an address: the second form is neither kept nor mailed.
    assert PrivacyRequestVerification.objects.count() == 1


def test_a_form_posted_from_another_site_or_without_origin_is_refused(portal, client):
    page = portal_page("fr")
    response = portal_post(client, page, portal_post_data(page), HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert NAME in response.content.decode()  # the answers are kept
    response = client.post(page.url, portal_post_data(page))
    assert response.status_code == 403
    assert not PrivacyRequestVerification.objects.exists()


def test_a_filled_honeypot_is_thanked_and_nothing_is_kept(portal, client):
    page = portal_page("fr")
    response = portal_post(client, page, portal_post_data(page, form_website="http://spam"))
    assert response.status_code == 200
    assert "notice--success" in response.content.decode()
    assert not PrivacyRequestVerification.objects.exists()
    assert not mail.outbox


@override_settings(FORM_RATE_LIMIT=2)
def test_an_address_that_sends_too_many_forms_waits_and_keeps_its_answers(portal, client):
    page = portal_page("en")
    for n in range(2):
        data = portal_post_data(page, email=f"p{n}@example.org")
        assert portal_post(client, page, data).status_code == 200
    response = portal_post(client, page, portal_post_data(page))
    assert response.status_code == 429
    assert NAME in response.content.decode()
    assert PrivacyRequestVerification.objects.count() == 2
    other = portal_post(client, page, portal_post_data(page), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def _sent_link(client, page, django_capture_on_commit_callbacks, **overrides) -> str:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert portal_post(client, page, portal_post_data(page, **overrides)).status_code == 200
    return link_in(mail.outbox[-1].body)


@pytest.mark.parametrize(
    ("language", "kind_label", "done"),
    [("fr", "Corriger mes renseignements", "DPR-"), ("en", "Correct my information", "DPR-")],
)
def test_the_link_shows_the_request_and_only_the_button_confirms_it(
    portal, client, language, kind_label, done, django_capture_on_commit_callbacks
):
    page = portal_page(language)
    link = _sent_link(client, page, django_capture_on_commit_callbacks)
    path = link.split("://", 1)[1].split("/", 1)[1]
    path = "/" + path
    # An e-mail scanner that opens the link confirms nothing, and sees no address.
    for _ in range(2):
        shown = client.get(path)
        assert shown.status_code == 200
        html = shown.content.decode()
        assert kind_label in html
        assert EMAIL not in html
        assert NAME not in html
        assert "Zyxwv" not in html
        assert 'name="robots" content="noindex"' in html
        assert "no-store" in shown["Cache-Control"]
        assert "private" in shown["Cache-Control"]
        assert not shown.cookies
    assert not PrivacyRequest.objects.exists()
    # A POST from another site is refused.
    forged = client.post(path, HTTP_ORIGIN="https://evil.example")
    assert forged.status_code == 403
    assert not PrivacyRequest.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(path, HTTP_ORIGIN="http://testserver")
    assert confirmed.status_code == 200
    request = PrivacyRequest.objects.get()
    html = confirmed.content.decode()
    assert request.reference in html
    assert done in html
    assert (request.language, request.details) == (language, DETAILS)
    assert "no-store" in confirmed["Cache-Control"]
    assert not confirmed.cookies
    # Used: the same link now says so, in both languages, with a way back to the form.
    again = client.get(path)
    assert again.status_code == 404
    html = again.content.decode()
    assert "ne fonctionne pas" in html
    assert "does not work" in html
    assert f'href="{page.url}"' in html
    assert client.post(path, HTTP_ORIGIN="http://testserver").status_code == 404
    assert PrivacyRequest.objects.count() == 1


@pytest.mark.parametrize("token", ["", "abc", "x" * 5000, "%00", "<script>alert(1)</script>"])
def test_a_broken_link_gets_a_clear_page_not_an_error(portal, client, token):
    page = portal_page("fr")
    response = client.get(page.url, {"confirm": token})
    assert response.status_code == 404
    html = response.content.decode()
    assert "ne fonctionne pas" in html
    assert "does not work" in html
    assert "<script>alert(1)</script>" not in html
    assert "no-store" in response["Cache-Control"]


def test_an_expired_link_says_so_in_both_languages(
    portal, client, django_capture_on_commit_callbacks
):
    page = portal_page("en")
    link = _sent_link(client, page, django_capture_on_commit_callbacks)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=7, minutes=1)
    with time_machine.travel(later, tick=False):
        shown = client.get(path)
        pressed = client.post(path, HTTP_ORIGIN="http://testserver")
    for response in (shown, pressed):
        assert response.status_code == 410
        html = response.content.decode()
        assert "expired" in html
        assert "expiré" in html
        assert f'href="{page.url}"' in html
    assert not PrivacyRequest.objects.exists()
    assert token_from_link(link)


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("fr", "Vos réponses n’ont pas pu être enregistrées"),
        ("en", "Your answers could not be saved just now"),
    ],
)
def test_an_unwritable_database_shows_the_form_again_with_what_was_typed(
    portal, client, language, notice
):
    from csce.common.testing import database_read_only

    page = portal_page(language)
    with database_read_only():
        response = portal_post(client, page, portal_post_data(page))
    assert response.status_code == 503
    html = response.content.decode()
    assert notice in html
    assert NAME in html
    assert EMAIL in html
    assert "no-store" in response["Cache-Control"]
    assert not PrivacyRequestVerification.objects.exists()
    assert not mail.outbox
