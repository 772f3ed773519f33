"""The contact form's "Subscribe me to the newsletter too" is a real, double opt-in
subscription request (policy P7; CASL s.10): pending until the person follows the
e-mailed link, with the proof of how consent was asked.

End to end through the form, the common hook and the subscription services; nothing in
it is faked.
"""

from __future__ import annotations

import pytest
from django.core import mail

from csce.common.crypto import blind_index
from csce.common.factories import post_form
from csce.newsletter.models import ConsentMethod, Subscriber, SubscriberStatus
from csce.submissions.factories import inquiry_page_create, inquiry_post_data

pytestmark = pytest.mark.django_db

EMAIL = "marie.tremblay@example.org"


def test_the_forms_newsletter_option_sends_a_confirmation_and_subscribes_no_one_yet(
    client, site_home, centre, django_capture_on_commit_callbacks
):
    page = inquiry_page_create(parent=site_home)
    data = inquiry_post_data(page, form_purpose_newsletter="on")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(client, page, data, REMOTE_ADDR="198.51.100.23")
    assert response.status_code == 200

    subscriber = Subscriber.objects.get(email_index=blind_index(EMAIL))
    assert subscriber.status == SubscriberStatus.PENDING
    assert subscriber.language == "fr"
    [consent] = subscriber.consents.all()
    assert consent.method == ConsentMethod.FORM_OPTION
    assert consent.confirmed_at is None
    assert consent.wording
    # Policy P5: the network of the request, never the machine's address.
    assert consent.request_network.startswith("198.51.100.")
    assert "198.51.100.23" not in consent.request_network
    assert page.url in consent.page_url
    # One message to the person: the confirmation, to the address typed on the form.
    assert len([message for message in mail.outbox if EMAIL in message.to]) == 1


def test_without_the_option_ticked_no_subscription_is_requested(
    client, site_home, centre, django_capture_on_commit_callbacks
):
    page = inquiry_page_create(parent=site_home)
    with django_capture_on_commit_callbacks(execute=True):
        post_form(client, page, inquiry_post_data(page))
    assert not Subscriber.objects.exists()
