"""Fuzzing the privacy-rights portal through the HTTP client (policy P9, M).

Whatever a visitor or a robot sends to the form or to the confirmation link — unicode,
very long values, HTML and script, null bytes, missing or duplicated fields — the answer
is a page, never a 500, and what was typed never comes back unescaped.
"""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csce.common.testing import hostile_form_values
from csce.privacy.models import PrivacyRequestVerification

from .portal_support import portal_page, portal_post, portal_post_data

pytestmark = pytest.mark.django_db

FIELDS = ["kind", "email", "name", "details", "form_website", "form_started", "confirm"]
values = hostile_form_values("withdrawal", "correction", "x@example.org\x00", "a@b.c" * 100)

payloads = st.dictionaries(st.sampled_from(FIELDS), st.lists(values, min_size=1, max_size=3))


@override_settings(FORM_RATE_LIMIT=10_000)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    payload=payloads,
    drop=st.sets(st.sampled_from(FIELDS)),
    language=st.sampled_from(["fr", "en"]),
)
def test_any_form_gets_a_page_and_never_comes_back_unescaped(
    portal, client, payload, drop, language
):
    page = portal_page(language)
    data = MultiValueDict({k: [v] for k, v in portal_post_data(page).items()})
    for name in drop:
        data.pop(name, None)
    for name, given_values in payload.items():
        data.setlist(name, given_values)  # several values: a duplicated field
    response = portal_post(client, page, data)
    assert response.status_code in (200, 400, 404, 410)
    html = response.content.decode()
    assert "<script>alert('x')</script>" not in html
    assert "<img src=x onerror" not in html
    assert PrivacyRequestVerification.objects.count() <= 1
    PrivacyRequestVerification.objects.all().delete()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(token=values, method=st.sampled_from(["get", "post"]))
def test_any_confirmation_link_gets_a_page(portal, client, token, method):
    page = portal_page("fr")
    url = page.url
    if method == "get":
        response = client.get(url, {"confirm": token})
    else:
        response = client.post(
            f"{url}?confirm=1", {"confirm": token}, HTTP_ORIGIN="http://testserver"
        )
    assert response.status_code in (200, 400, 404)
    html = response.content.decode()
    assert "<script>alert('x')</script>" not in html
    assert "<img src=x onerror" not in html
