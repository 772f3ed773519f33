"""Fuzzing the newsletter's public addresses through the HTTP client (policy M: no input
fails a page): the subscribe form, the preferences page and the one-click unsubscribe.

Whatever a visitor, a robot or a mail provider sends (unicode, null bytes, very long or
repeated values, nested-looking field names, forged tokens), the answer is never a 500,
never echoes markup unescaped, and no address is ever stored in clear.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csce.common.spam import form_started_token
from csce.common.testing import hostile_form_values
from csce.newsletter import links
from csce.newsletter.factories import subscriber_create, topics_create
from csce.newsletter.models import Subscriber
from csce.newsletter.views import TOKEN_SCOPE

pytestmark = pytest.mark.django_db

ORIGIN = "http://testserver"
FIELDS = [
    "email",
    "first_name",
    "language",
    "topics",
    "consent",
    "form_website",
    "form_started",
    "topics[0][key]",
    "email[]",
    "action",
    "List-Unsubscribe",
]
values = hostile_form_values(
    "on", "fr", "en", "1", "-1", "99999999999999999999", "a@example.org", "One-Click", "unsubscribe"
)
payloads = st.dictionaries(st.sampled_from(FIELDS), st.one_of(values, st.lists(values, max_size=4)))
FUZZ = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _valid() -> dict:
    import time

    return {
        "email": "fuzz@example.org",
        "consent": "on",
        "form_website": "",
        "form_started": form_started_token(page_id=TOKEN_SCOPE, shown_at=time.time() - 30),
    }


def _safe(response) -> None:
    assert response.status_code < 500
    text = response.content.decode()
    assert "<script>alert('x')</script>" not in text
    assert "<img src=x onerror" not in text


@pytest.fixture
def topics(centre):
    return topics_create()


@override_settings(FORM_RATE_LIMIT=10_000)
@FUZZ
@given(
    payload=payloads, drop=st.sets(st.sampled_from(FIELDS)), language=st.sampled_from(["fr", "en"])
)
def test_any_subscription_form_gets_a_page(client, topics, payload, drop, language):
    data = _valid()
    for name in drop:
        data.pop(name, None)
    data.update(payload)
    path = "/fr/infolettre/" if language == "fr" else "/en/newsletter/"
    response = client.post(path, data, HTTP_ORIGIN=ORIGIN)
    _safe(response)
    assert response.status_code in (200, 400)
    assert not response.cookies
    for subscriber in Subscriber.objects.all():
        assert subscriber.language in ("fr", "en")
        assert "\x00" not in subscriber.email


@FUZZ
@given(payload=payloads, token_tail=st.text(max_size=40))
def test_any_preferences_post_gets_a_page(client, topics, payload, token_tail):
    subscriber = Subscriber.objects.first() or subscriber_create(email="fuzz@example.org")
    token = links.subscriber_token(subscriber=subscriber, purpose=links.MANAGE)
    payload.pop("action", None)  # the unsubscribe button is tested on its own
    for path in (f"/fr/infolettre/preferences/{token}/", "/en/newsletter/preferences/x/"):
        response = client.post(path, payload, HTTP_ORIGIN=ORIGIN)
        _safe(response)
        assert response.status_code in (200, 400, 404)
    forged = client.get("/fr/infolettre/preferences/", {"t": token_tail})
    assert forged.status_code < 500


@FUZZ
@given(body=st.one_of(payloads, st.binary(max_size=2000)), token=st.text(max_size=600))
def test_any_one_click_request_gets_an_answer(client, centre, body, token):
    token = quote(token.replace("/", "").replace("\x00", ""), safe="") or "x"
    path = f"/fr/infolettre/desabonnement/{token}/"
    if isinstance(body, bytes):
        response = client.post(path, body, content_type="application/x-www-form-urlencoded")
    else:
        response = client.post(path, body)
    assert response.status_code in (200, 400, 404)
    assert client.get(path).status_code in (301, 302, 404)


def test_a_huge_body_is_refused_not_failed(client, centre):
    size = django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10
    data = {**_valid(), "first_name": "x" * size}
    response = client.post("/fr/infolettre/", data, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 400
    one_click = client.post(
        "/fr/infolettre/desabonnement/x/",
        "List-Unsubscribe=One-Click&pad=" + "x" * size,
        content_type="application/x-www-form-urlencoded",
    )
    assert one_click.status_code in (200, 400)


def test_thousands_of_fields_are_refused_not_failed(client, centre):
    data = {
        **_valid(),
        **{f"f{i}": "1" for i in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5)},
    }
    response = client.post("/en/newsletter/", data, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 400
