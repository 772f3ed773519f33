"""An optional purpose ticked on a form reaches the app that fulfils it, once the
submission is stored (policy P7; common/purposes.py): the two apps never import each
other, and a failing handler never costs the visitor their message."""

from __future__ import annotations

import pytest

from csce.common.links import page_public_url
from csce.common.purposes import (
    optional_purpose_handler,
    optional_purpose_handler_register,
    optional_purpose_handler_unregister,
)
from csce.submissions.models import Submission

from .conftest import inquiry_post_data, post_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls():
    """A recording handler in place of the real one for "newsletter", restored after."""
    received: list[dict] = []
    real = optional_purpose_handler("newsletter")
    optional_purpose_handler_register(key="newsletter", handler=lambda **kw: received.append(kw))
    yield received
    optional_purpose_handler_unregister(key="newsletter")
    if real is not None:
        optional_purpose_handler_register(key="newsletter", handler=real)


def test_the_ticked_purpose_is_handed_over_on_commit_with_what_the_handler_needs(
    client, inquiry_page, calls, django_capture_on_commit_callbacks
):
    data = inquiry_post_data(inquiry_page, form_purpose_newsletter="on")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(client, inquiry_page, data, REMOTE_ADDR="198.51.100.23")
    assert response.status_code == 200
    assert Submission.objects.get().optional_consents == ["newsletter"]
    assert calls == [
        {
            "email": "marie.tremblay@example.org",
            # The form asks for a full name, not a first name: none is guessed.
            "first_name": "",
            "language": "fr",
            "ip": "198.51.100.23",
            "page_url": page_public_url(inquiry_page),
        }
    ]


def test_nothing_is_handed_over_before_the_submission_is_committed(
    client, inquiry_page, calls, django_capture_on_commit_callbacks
):
    data = inquiry_post_data(inquiry_page, form_purpose_newsletter="on")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_form(client, inquiry_page, data)
    assert calls == []
    assert callbacks  # waiting for the commit


def test_an_unticked_purpose_calls_nothing(
    client, inquiry_page, calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_form(client, inquiry_page, inquiry_post_data(inquiry_page))
    assert Submission.objects.get().optional_consents == []
    assert calls == []


def test_a_failing_handler_keeps_the_submission_and_logs_no_value(
    client, inquiry_page, django_capture_on_commit_callbacks, caplog
):
    real = optional_purpose_handler("newsletter")

    def broken(**kwargs):
        raise RuntimeError(f"refused {kwargs['email']}")

    optional_purpose_handler_register(key="newsletter", handler=broken)
    try:
        data = inquiry_post_data(inquiry_page, form_purpose_newsletter="on")
        with django_capture_on_commit_callbacks(execute=True):
            response = post_form(client, inquiry_page, data)
    finally:
        optional_purpose_handler_unregister(key="newsletter")
        if real is not None:
            optional_purpose_handler_register(key="newsletter", handler=real)
    assert response.status_code == 200
    assert Submission.objects.get().optional_consents == ["newsletter"]
    assert "RuntimeError" in caplog.text
    assert "marie.tremblay@example.org" not in caplog.text
