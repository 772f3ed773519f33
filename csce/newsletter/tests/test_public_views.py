"""The public newsletter pages through HTTP (policy P3, P5, P7, F, M; CASL s.10, s.11;
RFC 8058; decision 0010): what a visitor, a mail scanner and a mail provider get."""

from __future__ import annotations

import datetime
import json
import re
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from csce.common import policy
from csce.common.altcha import CHALLENGE_FIELD, challenge_solve
from csce.common.crypto import blind_index
from csce.common.spam import MAX_FORM_AGE_SECONDS, form_started_token
from csce.newsletter import links
from csce.newsletter.factories import subscriber_create, topics_create
from csce.newsletter.models import Subscriber, SubscriberStatus, Suppression, Topic
from csce.newsletter.services import (
    CONFIRMATION_KIND,
    address_suppressed,
    subscription_unsubscribe,
)
from csce.newsletter.views import TOKEN_SCOPE
from csce.outbox.models import OutboxMessage
from csce.pages.factories import body_blocks, page_add
from csce.pages.models import StandardPage

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"
ADDRESS = "Benoit.Xavier-Laframboise@example.org"
QUERY_BUDGET = 8
_TOKEN_VALUE = re.compile(r'(name="form_started"[^>]*value=")[^"]*(")')
_ADDRESS_COUNTER = iter(range(1, 250))


def _subscribe_url(language="fr") -> str:
    with translation.override(language):
        return reverse("newsletter_subscribe")


def _data(**overrides) -> dict:
    data = {
        "email": ADDRESS,
        "first_name": "Benoît",
        "language": "fr",
        "consent": "on",
        "form_website": "",
        "form_started": form_started_token(page_id=TOKEN_SCOPE, shown_at=_now() - 30),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _now() -> float:
    return timezone.now().timestamp()


def _post(client, url, data, **extra):
    extra.setdefault("HTTP_ORIGIN", ORIGIN)
    # A different visitor each time, so that the per-address limit is not what is tested.
    extra.setdefault("REMOTE_ADDR", f"198.51.100.{next(_ADDRESS_COUNTER)}")
    return client.post(url, data, **extra)


def _subscriber(email=ADDRESS) -> Subscriber | None:
    return Subscriber.objects.filter(email_index=blind_index(email)).first()


def _no_cookie_and_not_stored(response) -> None:
    assert not response.cookies
    assert "no-store" in response["Cache-Control"]


# --- subscribing ---


@pytest.mark.parametrize(
    ("language", "path", "heading"),
    [
        ("fr", "/fr/infolettre/", "S'abonner à l'infolettre"),
        ("en", "/en/newsletter/", "Subscribe to the newsletter"),
    ],
)
def test_the_subscribe_page_is_a_page_of_the_site_in_each_language(
    client, centre, language, path, heading
):
    topics_create()
    assert _subscribe_url(language) == path
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'href="#main"' in html
    assert 'class="breadcrumbs' in html
    assert f"<h1>{heading}" in html
    assert 'type="email"' in html
    assert 'name="consent"' in html
    assert "checked" not in html.split('name="consent"')[1][:80]  # policy P7: unticked
    assert ("Programmes et ateliers" if language == "fr" else "Programs and workshops") in html
    assert escape(centre.name_en if language == "en" else centre.name) in html
    _no_cookie_and_not_stored(response)


def test_a_valid_request_shows_check_your_inbox_and_queues_one_confirmation(client, centre):
    response = _post(client, "/fr/infolettre/", _data(HTTP_REFERER=None))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Consultez votre boîte de réception" in html
    assert ADDRESS not in html
    subscriber = _subscriber()
    assert subscriber.status == SubscriberStatus.PENDING
    assert OutboxMessage.objects.filter(kind=CONFIRMATION_KIND).count() == 1
    _no_cookie_and_not_stored(response)


def _normalised(response) -> bytes:
    return _TOKEN_VALUE.sub(r"\1\2", response.content.decode()).encode()


def test_the_answer_is_the_same_whatever_the_address_state(client, centre):
    """Policy P5: the page tells no one who is on the list."""
    new, pending, confirmed, suppressed = (
        f"{name}@example.org" for name in ("nouvelle", "attente", "abonnee", "retiree")
    )
    subscriber_create(email=pending, confirmed=False)
    subscriber_create(email=confirmed)
    subscription_unsubscribe(subscriber=subscriber_create(email=suppressed))
    answers = [
        _post(client, "/en/newsletter/", _data(email=e))
        for e in (new, pending, confirmed, suppressed)
    ]
    assert {a.status_code for a in answers} == {200}
    bodies = {_normalised(a) for a in answers}
    assert len(bodies) == 1
    assert {tuple(sorted(a.headers.items())) for a in answers} == {
        tuple(sorted(answers[0].headers.items()))
    }


def test_repeated_requests_send_one_confirmation_an_hour(client, centre):
    for _ in range(3):
        assert _post(client, "/fr/infolettre/", _data()).status_code == 200
    assert OutboxMessage.objects.filter(kind=CONFIRMATION_KIND).count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "pas-une-adresse"}, "Entrez une adresse courriel de la forme"),
        ({"email": "quelqu.un@mailinator.com"}, "boîtes aux lettres temporaires"),
        ({"email": "a@sub.yopmail.com"}, "boîtes aux lettres temporaires"),
        ({"consent": None}, "Cochez cette case pour vous abonner"),
        ({"email": "a\x00b@example.org"}, "Entrez une adresse courriel"),
        ({"first_name": "Ben\x07oît"}, "lettres, des espaces et de la ponctuation"),
        ({"email": "x" * 300 + "@example.org"}, "trop longue"),
        ({"topics": ["99999"]}, "plus offert"),
    ],
)
def test_a_refused_form_is_shown_again_with_what_was_typed_and_why(
    client, centre, overrides, message
):
    topics_create()
    data = _data(**{"first_name": "Bénédicte", **overrides})
    response = _post(client, "/fr/infolettre/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Bénédicte" in html or "first_name" in overrides
    assert 'role="alert"' in html
    assert not Subscriber.objects.exists()
    assert not OutboxMessage.objects.exists()
    _no_cookie_and_not_stored(response)


def test_english_visitors_read_the_refusal_in_english(client, centre):
    response = _post(client, "/en/newsletter/", _data(email="someone@guerrillamail.com"))
    assert response.status_code == 400
    assert "temporary mailbox service" in response.content.decode()


def test_a_post_from_another_site_is_refused(client, centre):
    response = _post(client, "/fr/infolettre/", _data(), HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert ADDRESS in response.content.decode()  # what was typed is kept
    assert not Subscriber.objects.exists()


def test_too_many_posts_from_one_address_are_refused(client, centre, settings):
    settings.FORM_RATE_LIMIT = 2
    answers = [
        _post(client, "/fr/infolettre/", _data(email=f"n{i}@example.org"), REMOTE_ADDR="192.0.2.5")
        for i in range(3)
    ]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert "n2@example.org" in answers[2].content.decode()


def test_a_robot_that_fills_the_honeypot_is_told_the_same_and_nothing_is_kept(client, centre):
    response = _post(client, "/fr/infolettre/", _data(form_website="http://spam.example"))
    assert response.status_code == 200
    assert "Consultez votre boîte de réception" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_a_form_sent_too_fast_is_shown_again(client, centre):
    token = form_started_token(page_id=TOKEN_SCOPE)
    response = _post(client, "/fr/infolettre/", _data(form_started=token))
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


# --- confirming ---


def _confirm_path(subscriber, language="fr") -> str:
    token = links.subscriber_token(subscriber=subscriber, purpose=links.CONFIRM)
    with translation.override(language):
        return reverse("newsletter_confirm", args=[token])


def test_opening_the_confirmation_link_changes_nothing_the_button_confirms(client, centre):
    subscriber = subscriber_create(email=ADDRESS, confirmed=False)
    path = _confirm_path(subscriber)
    assert path.startswith("/fr/infolettre/confirmer/")
    response = client.get(path)
    assert response.status_code == 200
    assert "Confirmer mon abonnement" in response.content.decode()
    _no_cookie_and_not_stored(response)
    client.head(path)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING
    refused = client.post(path, HTTP_ORIGIN="https://evil.example")
    assert refused.status_code == 403
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING
    done = client.post(path, HTTP_ORIGIN=ORIGIN, REMOTE_ADDR="203.0.113.44")
    assert done.status_code == 200
    html = done.content.decode()
    assert "Merci" in html
    manage = re.search(r'href="(/fr/infolettre/preferences/[^"]+/)"', html).group(1)
    assert client.get(manage).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.CONFIRMED
    assert subscriber.consents.get().confirmation_network == "203.0.113.0/24"
    _no_cookie_and_not_stored(done)
    # Twice: the same thank-you page.
    assert client.post(path, HTTP_ORIGIN=ORIGIN).status_code == 200


@pytest.mark.parametrize(
    ("language", "text"),
    [("fr", "Ce lien ne fonctionne plus"), ("en", "This link no longer works")],
)
def test_a_broken_or_expired_confirmation_link_is_explained_kindly(client, centre, language, text):
    subscriber = subscriber_create(email=ADDRESS, confirmed=False)
    path = _confirm_path(subscriber, language)
    later = timezone.now() + datetime.timedelta(days=policy.NEWSLETTER_UNCONFIRMED_DAYS, hours=1)
    with time_machine.travel(later):
        expired = client.get(path)
        posted = client.post(path, HTTP_ORIGIN=ORIGIN)
    forged = client.get(path[:-5] + "XXXX/")
    for response in (expired, posted, forged):
        assert response.status_code == 404
        html = response.content.decode()
        assert text in html
        assert _subscribe_url(language) in html
        _no_cookie_and_not_stored(response)
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING


# --- preferences and unsubscribing ---


def _manage_path(subscriber, language="fr") -> str:
    token = links.subscriber_token(subscriber=subscriber, purpose=links.MANAGE)
    with translation.override(language):
        return reverse("newsletter_manage", args=[token])


def test_the_preferences_page_saves_language_and_topics(client, centre):
    topics = topics_create()
    subscriber = subscriber_create(email=ADDRESS, topics=[topics[0]])
    path = _manage_path(subscriber, "en")
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Centre news" in html
    assert "Unsubscribe" in html
    _no_cookie_and_not_stored(response)
    saved = client.post(
        path,
        {"action": "save", "language": "en", "topics": [str(topics[1].pk)]},
        HTTP_ORIGIN=ORIGIN,
    )
    assert saved.status_code == 200
    assert "Your preferences are saved." in saved.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.language == "en"
    assert list(subscriber.topics.all()) == [topics[1]]


def test_the_preferences_page_never_unsubscribes_on_a_get_or_from_another_site(client, centre):
    subscriber = subscriber_create(email=ADDRESS)
    path = _manage_path(subscriber)
    client.get(path)
    client.get(path + "?action=unsubscribe")
    refused = client.post(path, {"action": "unsubscribe"}, HTTP_ORIGIN="https://evil.example")
    assert refused.status_code == 403
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_unsubscribing_takes_effect_at_once_and_leaves_only_the_suppression(client, centre):
    subscriber = subscriber_create(email=ADDRESS, first_name="Benoît")
    path = _manage_path(subscriber)
    response = client.post(path, {"action": "unsubscribe"}, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200
    assert "plus rien ne vous sera envoyé" in response.content.decode()
    _no_cookie_and_not_stored(response)
    assert not Subscriber.objects.exists()
    assert Suppression.objects.count() == 1
    assert address_suppressed(email=ADDRESS)
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if not table.startswith("newsletter_"):
                continue
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (table names from the schema)
            text = " ".join(str(v) for row in cursor.fetchall() for v in row).lower()
            assert ADDRESS.lower() not in text, table
            assert "benoît" not in text, table
    # The link is dead now, and says so without telling whose it was.
    gone = client.get(path)
    assert gone.status_code == 404
    assert "Ce lien ne fonctionne plus" in gone.content.decode()


# --- one-click (RFC 8058) ---


def _one_click_path(subscriber) -> str:
    return reverse(
        "newsletter_one_click",
        args=[links.subscriber_token(subscriber=subscriber, purpose=links.MANAGE)],
    )


def test_one_click_get_goes_to_the_preferences_and_changes_nothing(client, centre):
    subscriber = subscriber_create(email=ADDRESS)
    path = _one_click_path(subscriber)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == _manage_path(subscriber, translation.get_language() or "fr")
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_one_click_post_from_a_mail_provider_unsubscribes_without_origin(client, centre):
    subscriber = subscriber_create(email=ADDRESS)
    path = _one_click_path(subscriber)
    response = client.post(
        path,
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert not response.cookies
    assert not Subscriber.objects.exists()
    assert address_suppressed(email=ADDRESS)
    # The same answer for a link that belongs to no one any more.
    again = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert again.status_code == 200
    assert again.content == response.content


def test_one_click_post_with_another_body_changes_nothing(client, centre):
    subscriber = subscriber_create(email=ADDRESS)
    response = client.post(_one_click_path(subscriber), {"List-Unsubscribe": "maybe"})
    assert response.status_code == 400
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_one_click_with_a_forged_token_reveals_nothing(client, centre):
    response = client.post(
        "/fr/infolettre/desabonnement/forged/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200


# --- the footer form and the page block ---


def _page_with_block(home) -> StandardPage:
    body = [
        *body_blocks(title="Nouvelles"),
        {"type": "newsletter_signup", "value": {"heading": "Restez informé"}},
    ]
    return page_add(StandardPage, parent=home, title="Nouvelles", slug="nouvelles", body=body)


def test_every_public_page_has_the_footer_form(client, centre):
    response = client.get("/fr/")
    html = response.content.decode()
    assert 'action="/fr/infolettre/"' in html
    assert 'id="newsletter-footer1-email"' in html
    assert 'for="newsletter-footer1-consent"' in html
    assert 'name="form_started"' in html
    english = client.get("/en/").content.decode()
    assert 'action="/en/newsletter/"' in english


def test_the_footer_form_alone_subscribes(client, centre):
    html = client.get("/en/").content.decode()
    token = re.search(r'name="form_started"[^>]*value="([^"]+)"', html).group(1)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=30)):
        response = _post(
            client,
            "/en/newsletter/",
            {"email": ADDRESS, "consent": "on", "form_website": "", "form_started": token},
            HTTP_REFERER=f"{ORIGIN}/en/?private=1",
        )
    assert response.status_code == 200
    subscriber = _subscriber()
    assert subscriber.language == "en"
    record = subscriber.consents.get()
    assert record.page_url == "/en/"
    assert record.language == "en"


def test_the_footer_form_also_takes_a_first_name_a_language_and_topics(client, centre):
    """The footer offers what the full form does (policy P3): the optional fields sit
    behind a <details> that needs no script, the language chosen is the page's."""
    topics = topics_create()
    html = client.get("/fr/").content.decode()
    footer = html[html.index('class="newsletter-footer"') :]
    assert "<details" in footer
    assert 'id="newsletter-footer1-first_name"' in footer
    # The page's language chosen in a list: no box on the page is ticked in advance.
    assert re.search(r'value="fr"[^>]*selected|selected[^>]*value="fr"', footer)
    assert "checked" not in footer
    assert "Programmes et ateliers" in footer
    token = re.search(r'name="form_started"[^>]*value="([^"]+)"', html).group(1)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=30)):
        response = _post(
            client,
            "/fr/infolettre/",
            {
                "email": ADDRESS,
                "first_name": "Léa",
                "language": "en",
                "topics": [str(topics[1].pk)],
                "consent": "on",
                "form_website": "",
                "form_started": token,
            },
            HTTP_REFERER=f"{ORIGIN}/fr/",
        )
    assert response.status_code == 200
    subscriber = _subscriber()
    assert subscriber.first_name == "Léa"
    assert subscriber.language == "en"
    assert list(subscriber.topics.all()) == [topics[1]]
    # The words agreed to are those of the page where the box was ticked.
    assert subscriber.consents.get().language == "fr"


def test_the_page_block_shows_the_full_form_within_the_query_budget(client, centre):
    topics_create()
    page = _page_with_block(centre.site.root_page)
    client.get(page.url)  # the first visit fills the caches every later visitor uses
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url)
    assert response.status_code == 200
    assert len(queries) <= QUERY_BUDGET, "\n".join(q["sql"][:200] for q in queries)
    html = response.content.decode()
    assert "Restez informé" in html
    assert 'id="newsletter-block1-email"' in html
    assert 'id="newsletter-footer2-email"' in html
    assert "Programmes et ateliers" in html


def test_a_new_topic_shows_on_the_forms_at_once(client, centre):
    topics_create()
    page = _page_with_block(centre.site.root_page)
    client.get(page.url)
    Topic.objects.create(key="sante", name="Santé des aînés", name_en="Seniors' health")
    assert "Santé des aînés" in client.get(page.url).content.decode()
    Topic.objects.filter(key="sante").get().delete()
    assert "Santé des aînés" not in client.get(page.url).content.decode()


def test_a_page_served_from_the_page_cache_keeps_a_working_footer_form(client, centre, settings):
    """The anonymous page cache keeps the footer's fill-time token: it must still be
    accepted when the cached copy is as old as the cache allows, and long after."""
    from csce.settings import base

    assert base.PAGE_CACHE_SECONDS * 10 < MAX_FORM_AGE_SECONDS
    settings.PAGE_CACHE_SECONDS = base.PAGE_CACHE_SECONDS
    first = client.get("/fr/")
    token = re.search(r'name="form_started"[^>]*value="([^"]+)"', first.content.decode()).group(1)
    almost = timezone.now() + datetime.timedelta(seconds=base.PAGE_CACHE_SECONDS - 5)
    with time_machine.travel(almost):
        cached = client.get("/fr/")
        assert token in cached.content.decode(), "served from the page cache"
    # A visitor who got the oldest cached copy, then took an hour to fill it in.
    later = almost + datetime.timedelta(hours=1)
    with time_machine.travel(later):
        response = _post(
            client,
            "/fr/infolettre/",
            {"email": ADDRESS, "consent": "on", "form_website": "", "form_started": token},
        )
    assert response.status_code == 200
    assert _subscriber() is not None


def test_the_footer_form_loads_no_challenge_script_the_full_form_does(client, centre, settings):
    """Policy F: no proof-of-work script on every page; the footer's POST takes the path of
    a browser without JavaScript, with the stricter limit."""
    settings.FORM_CHALLENGE_ENABLED = True
    page = _page_with_block(centre.site.root_page)
    home = client.get("/fr/").content.decode()
    assert "altcha-widget" not in home
    assert "challenge.js" not in home
    with_block = client.get(page.url).content.decode()
    assert with_block.count("<altcha-widget") == 1
    assert "<altcha-widget" in client.get("/fr/infolettre/").content.decode()
    token = re.search(r'name="form_started"[^>]*value="([^"]+)"', home).group(1)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=30)):
        response = _post(
            client,
            "/fr/infolettre/",
            {"email": ADDRESS, "consent": "on", "form_website": "", "form_started": token},
        )
    assert response.status_code == 200
    assert _subscriber() is not None


def test_past_the_footer_limit_the_full_form_comes_back_with_its_challenge_and_it_works(
    client, centre, settings
):
    """A shared connection (a library, the centre's own Wi-Fi) that used up the stricter
    limit of forms without a challenge is not stuck: the full form comes back with the
    address kept and its challenge, and sending it with the challenge solved is received."""
    settings.FORM_CHALLENGE_ENABLED = True
    settings.FORM_CHALLENGE_COST = 1  # the same protocol, less work for the test machine
    settings.FORM_CHALLENGE_FALLBACK_LIMIT = 1
    shared = {"REMOTE_ADDR": "192.0.2.77"}
    first = _post(client, "/fr/infolettre/", _data(email="premiere@example.org"), **shared)
    assert first.status_code == 200
    refused = _post(client, "/fr/infolettre/", _data(email="seconde@example.org"), **shared)
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "seconde@example.org" in page
    challenge = re.search(r'<altcha-widget[^>]*\schallenge="([^"]+)"', page)
    assert challenge, "the full form comes back without its challenge"
    payload = challenge_solve(json.loads(unescape(challenge.group(1))))
    again = _post(
        client,
        "/fr/infolettre/",
        _data(email="seconde@example.org", **{CHALLENGE_FIELD: payload}),
        **shared,
    )
    assert again.status_code == 200
    assert _subscriber("seconde@example.org") is not None
