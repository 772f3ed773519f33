"""Requests that do not come through the portal (policy P9, P10): the Privacy Officer logs
one received by telephone, mail or in person, or converts a privacy-topic inquiry, and
the PHIPA clock runs from the identity check the officer records."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from csce.accounts.factories import staff_sign_in
from csce.accounts.roles import COMMUNICATIONS, PRIVACY_OFFICER
from csce.audit.models import AccessAction, AccessLogEntry
from csce.common import policy
from csce.privacy.factories import (
    INQUIRY_EMAIL,
    INQUIRY_MESSAGE,
    INQUIRY_NAME,
    privacy_contact_form_create,
    privacy_inquiry_send,
)
from csce.privacy.intake import privacy_inquiries_count
from csce.privacy.models import EventKind, PrivacyRequest, RequestChannel, RequestKind
from csce.submissions.models import Submission, SubmissionStatus

pytestmark = pytest.mark.django_db


def _due_day(identity_checked: datetime.date) -> datetime.date:
    return identity_checked + datetime.timedelta(days=policy.PHIPA_RESPONSE_DAYS)


@pytest.fixture
def officer(client, privacy_officer):
    staff_sign_in(client, privacy_officer)
    return privacy_officer


@pytest.fixture
def inquiry(client, site_home):
    page = privacy_contact_form_create(home=site_home)
    assert privacy_inquiry_send(client, page=page).status_code == 200
    return Submission.objects.get()


# --- logging a request received by telephone ---------------------------------------------


def test_a_phone_request_runs_its_clock_from_the_identity_check(client, officer):
    today = timezone.localdate()
    received = today - datetime.timedelta(days=5)
    checked = today - datetime.timedelta(days=3)
    form = client.get(reverse("privacy_requests:log"))
    assert form.status_code == 200
    assert "Reçue par" in form.content.decode()
    # The date pickers start on today, in the ISO form a browser's date field takes.
    assert f'value="{timezone.localdate().isoformat()}"' in form.content.decode()

    response = client.post(
        reverse("privacy_requests:log"),
        {
            "channel": "phone",
            "kind": RequestKind.ACCESS,
            "received_on": received.isoformat(),
            "identity_checked_on": checked.isoformat(),
            "name": "Rémi Tardif",
            "email": "",
            "contact_details": "613 555-0199",
            "language": "fr",
            "details": "Veut une copie de son dossier d'inscription.",
        },
    )
    request = PrivacyRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy_requests:detail", args=[request.pk])
    assert request.channel == RequestChannel.PHONE
    assert timezone.localtime(request.received_at).date() == received
    assert timezone.localtime(request.verified_at).date() == checked
    assert timezone.localtime(request.due_at).date() == _due_day(checked)
    assert request.contact_details == "613 555-0199"
    assert request.events.get().kind == EventKind.LOGGED
    # Encrypted at rest: the telephone number is not in the row as stored.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_details FROM privacy_privacyrequest WHERE id = %s", [request.pk]
        )
        assert "555-0199" not in cursor.fetchone()[0]
    # No address: nothing e-mailed, and the detail page says how to answer instead.
    assert mail.outbox == []
    detail = client.get(response["Location"]).content.decode()
    assert "Téléphone" in detail
    assert "aucune adresse courriel" in detail


def test_a_logged_request_needs_a_way_to_answer_and_dates_in_order(client, officer):
    today = timezone.localdate()
    base = {
        "channel": "mail",
        "kind": RequestKind.CORRECTION,
        "received_on": today.isoformat(),
        "identity_checked_on": today.isoformat(),
        "name": "Rémi Tardif",
        "language": "fr",
    }
    nowhere = client.post(reverse("privacy_requests:log"), base)
    assert nowhere.status_code == 400
    before = client.post(
        reverse("privacy_requests:log"),
        {
            **base,
            "contact_details": "12 rue Principale",
            "received_on": today.isoformat(),
            "identity_checked_on": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert before.status_code == 400
    assert not PrivacyRequest.objects.exists()


def test_a_logged_request_with_an_address_is_acknowledged(
    client, officer, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("privacy_requests:log"),
            {
                "channel": "in_person",
                "kind": RequestKind.ACCESS,
                "received_on": today.isoformat(),
                "identity_checked_on": today.isoformat(),
                "name": "Ann Walsh",
                "email": "ann.walsh@example.org",
                "language": "en",
            },
        )
    assert response.status_code == 302
    request = PrivacyRequest.objects.get()
    assert timezone.localtime(request.due_at).date() == _due_day(today)
    [ack] = mail.outbox
    assert ack.to == ["ann.walsh@example.org"]
    assert request.reference in ack.subject + ack.body


@pytest.mark.parametrize("role", [COMMUNICATIONS])
def test_other_roles_cannot_log_or_convert(client, staff_user_make, inquiry, role):
    staff_sign_in(client, staff_user_make(role=role))
    assert client.get(reverse("privacy_requests:log")).status_code == 403
    assert client.post(reverse("privacy_requests:log"), {}).status_code == 403
    convert = reverse("privacy_requests:convert", args=[inquiry.pk])
    assert client.post(convert, {"kind": "access"}).status_code == 403
    assert not PrivacyRequest.objects.exists()


# --- converting a privacy-topic inquiry -------------------------------------------------


def test_the_officer_converts_an_inquiry_in_one_action(
    client, officer, inquiry, django_capture_on_commit_callbacks
):
    assert inquiry.inbox.name == PRIVACY_OFFICER
    index = client.get(reverse("privacy_requests:index")).content.decode()
    convert = reverse("privacy_requests:convert", args=[inquiry.pk])
    assert convert in index
    assert INQUIRY_NAME not in index  # the list shows no one's name or words

    page = client.get(convert)
    assert page.status_code == 200
    assert INQUIRY_MESSAGE in page.content.decode()
    read = AccessLogEntry.objects.filter(
        action=AccessAction.PERSONAL_DATA_READ,
        object_type="submissions.submission",
        object_id=str(inquiry.pk),
    )
    assert read.count() == 1

    # Written three days ago; the officer reached the person and checked who they are
    # yesterday: the clock runs from yesterday.
    Submission.objects.filter(pk=inquiry.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    inquiry.refresh_from_db()
    checked = timezone.localdate() - datetime.timedelta(days=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            convert, {"kind": RequestKind.ACCESS, "identity_checked_on": checked.isoformat()}
        )
    assert response.status_code == 302, response.content.decode()[-3000:]
    request = PrivacyRequest.objects.get()
    assert response["Location"] == reverse("privacy_requests:detail", args=[request.pk])
    # The request: its clock from the identity check, the person's data carried over.
    assert request.channel == RequestChannel.CONTACT_FORM
    assert request.source_submission_id == inquiry.pk
    assert timezone.localtime(request.due_at).date() == _due_day(checked)
    assert request.name == INQUIRY_NAME
    assert request.email == INQUIRY_EMAIL
    assert INQUIRY_MESSAGE in request.details
    assert request.received_at == inquiry.created_at
    assert request.events.filter(kind=EventKind.CONVERTED).exists()
    # The inquiry: closed, its content gone from the inbox, out of the list to convert.
    inquiry.refresh_from_db()
    assert inquiry.status == SubmissionStatus.CLOSED
    assert inquiry.is_purged
    assert privacy_inquiries_count() == 0
    # The access log says where the content went (ids only).
    moved = AccessLogEntry.objects.get(
        action=AccessAction.PERSONAL_DATA_DELETED,
        object_type="submissions.submission",
        object_id=str(inquiry.pk),
    )
    assert moved.details == {
        "reason": "converted_to_privacy_request",
        "privacy_request": request.pk,
    }
    assert INQUIRY_EMAIL not in str(moved.details)
    # The requester is acknowledged; the request links to the inquiry it came from.
    assert [m.to for m in mail.outbox] == [[INQUIRY_EMAIL]]
    detail = client.get(response["Location"]).content.decode()
    assert reverse("submissions_admin:detail", args=[inquiry.pk]) in detail

    # A second conversion of the same inquiry finds nothing to convert.
    again = client.post(convert, {"kind": "access"}, follow=True)
    assert again.status_code == 404
    assert PrivacyRequest.objects.count() == 1


def test_an_inquiry_of_another_topic_cannot_be_converted(client, officer, site_home):
    page = privacy_contact_form_create(home=site_home)
    assert privacy_inquiry_send(client, page=page, form_topic=str(page.topics.first().pk))
    other = Submission.objects.get()
    assert other.inbox.name != PRIVACY_OFFICER
    refused = client.get(reverse("privacy_requests:convert", args=[other.pk]), follow=True)
    assert refused.status_code == 404
