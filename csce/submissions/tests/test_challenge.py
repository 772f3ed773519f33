"""The proof-of-work challenge from our own origin (policy P5: no third party): solved once, checked
on the server before anything is stored, and a form without JavaScript is still received."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from csce.common.altcha import (
    CHALLENGE_FIELD,
    challenge_carried_over,
    challenge_create,
    challenge_solve,
    challenge_verify,
)
from csce.submissions.models import Submission

from .conftest import inquiry_post_data, post_form

pytestmark = pytest.mark.django_db

VENDOR = Path(__file__).resolve().parents[2] / "common" / "static" / "common" / "vendor" / "altcha"


@pytest.fixture(autouse=True)
def challenge_on(settings):
    settings.FORM_CHALLENGE_ENABLED = True
    settings.FORM_CHALLENGE_COST = 1  # the same protocol, less work for the test machine


def shown_challenge(response) -> dict:
    match = re.search(r'<altcha-widget[^>]*\schallenge="([^"]+)"', response.content.decode())
    assert match, "the form shows no challenge"
    return json.loads(unescape(match.group(1)))


def test_a_solved_challenge_is_accepted_once():
    payload = challenge_solve(challenge_create())
    assert challenge_verify(payload=payload).verified
    second = challenge_verify(payload=payload)
    assert not second.verified
    assert second.reason == "replayed"


def test_a_used_challenge_cannot_be_replayed_after_the_cache_is_cleared():
    """A cull or restart of the cache forgets its keys; the used challenge stays used."""
    payload = challenge_solve(challenge_create())
    assert challenge_verify(payload=payload).verified
    cache.clear()
    again = challenge_verify(payload=payload)
    assert not again.verified
    assert again.reason == "replayed"


@pytest.mark.parametrize("payload", ["nonsense", "e30=", "x" * 5000, "\x00"])
def test_a_forged_payload_is_refused_without_error(payload):
    outcome = challenge_verify(payload=payload)
    assert not outcome.verified
    assert not outcome.missing


def test_a_challenge_signed_by_someone_else_is_refused(settings):
    payload = challenge_solve(challenge_create())
    settings.SECRET_KEY = "another-secret-key-of-another-site-0123456789abcdef"
    assert challenge_verify(payload=payload).reason == "invalid"


def test_an_expired_challenge_is_refused(settings):
    settings.FORM_CHALLENGE_EXPIRES_SECONDS = -10
    payload = challenge_solve(challenge_create())
    assert challenge_verify(payload=payload).reason == "expired"


def test_the_form_shows_the_widget_from_our_origin_with_its_wording(client, inquiry_page):
    response = client.get(inquiry_page.url)
    html = response.content.decode()
    challenge = shown_challenge(response)
    assert challenge["parameters"]["algorithm"] == "SHA-256"
    assert "signature" in challenge
    scripts = re.findall(r"<script[^>]*>", html)
    widget_scripts = [s for s in scripts if "challenge.js" in s]
    assert widget_scripts
    assert 'type="module"' in widget_scripts[0]
    assert "http" not in widget_scripts[0]  # our origin, no other host
    assert 'language="fr"' in html
    assert "<noscript>" in html
    assert not response.cookies


def test_a_form_with_a_solved_challenge_is_stored(client, inquiry_page):
    challenge = shown_challenge(client.get(inquiry_page.url))
    data = inquiry_post_data(inquiry_page, form_challenge=challenge_solve(challenge))
    response = post_form(client, inquiry_page, data)
    assert response.status_code == 200
    assert Submission.objects.filter(page=inquiry_page).count() == 1


def test_a_replayed_challenge_is_refused_and_the_answers_are_kept(client, inquiry_page):
    payload = challenge_solve(shown_challenge(client.get(inquiry_page.url)))
    assert (
        post_form(
            client, inquiry_page, inquiry_post_data(inquiry_page, form_challenge=payload)
        ).status_code
        == 200
    )
    response = post_form(
        client, inquiry_page, inquiry_post_data(inquiry_page, form_challenge=payload)
    )
    assert response.status_code == 400
    assert "Marie Tremblay" in response.content.decode()
    assert Submission.objects.filter(page=inquiry_page).count() == 1
    # A fresh challenge is shown for the next try.
    assert shown_challenge(response)


def _carried_payload(response) -> str | None:
    match = re.search(
        rf'<input type="hidden" name="{CHALLENGE_FIELD}" value="([^"]+)"', response.content.decode()
    )
    return unescape(match.group(1)) if match else None


def test_a_form_back_with_an_error_keeps_its_solved_check(client, inquiry_page):
    """The visitor corrects the e-mail address without solving the check a second time."""
    payload = challenge_solve(shown_challenge(client.get(inquiry_page.url)))
    response = post_form(
        client,
        inquiry_page,
        inquiry_post_data(inquiry_page, courriel="not an address", form_challenge=payload),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vérification anti-pourriel déjà faite" in html
    assert "<altcha-widget" not in html
    assert _carried_payload(response) == payload
    assert Submission.objects.filter(page=inquiry_page).count() == 0
    # Sent again as the browser would, with the carried payload: received.
    response = post_form(
        client,
        inquiry_page,
        inquiry_post_data(inquiry_page, form_challenge=_carried_payload(response)),
    )
    assert response.status_code == 200
    assert Submission.objects.filter(page=inquiry_page).count() == 1


def test_a_carried_check_stays_single_use(client, inquiry_page):
    payload = challenge_solve(challenge_create())
    assert challenge_carried_over(payload=payload)
    assert challenge_verify(payload=payload).verified
    assert not challenge_carried_over(payload=payload)
    response = post_form(
        client,
        inquiry_page,
        inquiry_post_data(inquiry_page, courriel="not an address", form_challenge=payload),
    )
    assert _carried_payload(response) is None
    assert shown_challenge(response)  # a used check is never shown as done


def test_a_check_about_to_expire_is_not_carried_over(settings, client, inquiry_page):
    settings.FORM_CHALLENGE_EXPIRES_SECONDS = 60  # less than the time left to correct
    payload = challenge_solve(challenge_create())
    assert not challenge_carried_over(payload=payload)
    response = post_form(
        client,
        inquiry_page,
        inquiry_post_data(inquiry_page, courriel="not an address", form_challenge=payload),
    )
    assert _carried_payload(response) is None
    assert shown_challenge(response)


@pytest.mark.parametrize("payload", ["nonsense", "e30=", "x" * 5000, ""])
def test_a_forged_payload_is_never_carried_over(client, inquiry_page, payload):
    assert not challenge_carried_over(payload=payload)
    response = post_form(
        client,
        inquiry_page,
        inquiry_post_data(inquiry_page, courriel="not an address", form_challenge=payload),
    )
    assert _carried_payload(response) is None


def test_without_javascript_a_form_is_received_within_a_stricter_limit(client, inquiry_page):
    limit = django_settings.FORM_CHALLENGE_FALLBACK_LIMIT
    for _ in range(limit):
        response = post_form(client, inquiry_page, inquiry_post_data(inquiry_page))
        assert response.status_code == 200
    response = post_form(client, inquiry_page, inquiry_post_data(inquiry_page))
    assert response.status_code == 429
    assert Submission.objects.filter(page=inquiry_page).count() == limit


def test_the_vendored_widget_keeps_its_licence_and_version_and_needs_no_eval_or_blob():
    assert "MIT" in (VENDOR / "LICENSE.txt").read_text()
    assert "3.2.2" in (VENDOR / "VERSION.txt").read_text()
    script = (VENDOR / "altcha.min.js").read_text()
    for forbidden in ("new Function", "eval(", "createObjectURL", 'createElement("style")'):
        assert forbidden not in script
