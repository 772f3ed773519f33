"""Fuzzing the public forms through the HTTP client (no input can fail the page).

Whatever a visitor or a robot sends — unicode, very long values, HTML and script, null
bytes, missing or duplicated fields — the answer is a page (200, 400, 403 or 429),
never a 500, and what was typed never comes back unescaped.
"""

from __future__ import annotations

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csce.common.testing import hostile_form_values
from csce.submissions.models import Submission

from .conftest import inquiry_post_data, post_form

pytestmark = pytest.mark.django_db

FIELDS = ["form_topic", "nom", "courriel", "message", "sante", "form_consent", "form_started"]
values = hostile_form_values("0", "-1", "99999999999999999999", "on")

payloads = st.dictionaries(st.sampled_from(FIELDS), st.one_of(values, st.lists(values, max_size=3)))


@override_settings(FORM_RATE_LIMIT=10_000)
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=payloads, drop=st.sets(st.sampled_from(FIELDS)))
def test_any_input_gets_a_page_and_never_comes_back_unescaped(client, inquiry_page, payload, drop):
    data = inquiry_post_data(inquiry_page)
    for name in drop:
        data.pop(name, None)
    data.update(payload)
    response = post_form(client, inquiry_page, data)
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert "<script>alert('x')</script>" not in html
    assert "<img src=x onerror" not in html
    # Policy P6: whatever was sent, health information is never kept without consent.
    for submission in Submission.objects.all():
        health = [a["value"] for a in submission.answers if a["data_class"] == "sensitive"]
        assert submission.consent_given or not any(health)


@override_settings(FORM_RATE_LIMIT=10_000)
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(min_size=1, max_size=255).filter(lambda s: s.strip() and "\x00" not in s))
def test_any_name_that_is_accepted_is_stored_exactly(client, inquiry_page, name):
    response = post_form(client, inquiry_page, inquiry_post_data(inquiry_page, nom=name))
    if response.status_code == 200:
        stored = Submission.objects.latest("pk").answers
        assert next(a["value"] for a in stored if a["name"] == "nom") == name.strip()
    else:
        assert response.status_code == 400
