"""The portal's e-mails at a real SMTP server (aiosmtpd): the confirmation link and the
acknowledgement in the requester's language, and the Privacy Officer's notice with no
personal value (policy P9, F)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from csce.common.typography import date_display
from csce.privacy.models import EventKind, PrivacyRequest

from .portal_support import (
    DETAILS,
    EMAIL,
    NAME,
    link_in,
    portal_page,
    portal_post,
    portal_post_data,
)

pytestmark = pytest.mark.django_db

EXPECTED = {
    "fr": {
        "verify_subject": "Confirmez votre demande relative à vos renseignements personnels",
        "verify": "ouvrez ce lien d’ici 7 jours",
        "kind": "Corriger mes renseignements",
        "ack_subject": "est reçue",
        "phipa": (
            "nous accorde 30 jours\u202f; nous pouvons prolonger ce délai une fois, de 30 jours"
        ),
        "withdrawn": "Vos consentements sont retirés",
    },
    "en": {
        "verify_subject": "Confirm your privacy request",
        "verify": "open this link within 7 days",
        "kind": "Correct my information",
        "ack_subject": "is received",
        "phipa": "gives us 30 days; we may extend this once by up to 30 days and will tell you "
        "in writing why",
        "withdrawn": "Your consents are withdrawn",
    },
}


def _confirm_path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_requester_gets_the_link_then_the_acknowledgement_in_their_language(
    portal, client, smtp_inbox, language, django_capture_on_commit_callbacks
):
    expected = EXPECTED[language]
    page = portal_page(language)
    with django_capture_on_commit_callbacks(execute=True):
        assert portal_post(client, page, portal_post_data(page)).status_code == 200
    (verification,) = smtp_inbox.wait(1)
    assert verification["To"] == EMAIL
    assert verification["Subject"].strip() == expected["verify_subject"]
    body = verification.get_body(preferencelist=("plain",)).get_content()
    assert expected["verify"] in body
    assert expected["kind"] in body
    link = link_in(body)
    assert link.startswith(settings.SITE_URL + page.url + "?confirm=")
    for secret in (NAME, DETAILS, "Zyxwv"):
        assert secret not in body

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_confirm_path(link), HTTP_ORIGIN="http://testserver")
    assert response.status_code == 200
    request = PrivacyRequest.objects.get()
    messages = smtp_inbox.wait(3)
    assert len(messages) == 3
    acknowledgement = next(m for m in messages[1:] if m["To"] == EMAIL)
    officer = next(m for m in messages[1:] if m["To"] == settings.PRIVACY_OFFICER_EMAIL)

    due = date_display(request.due_at, language)
    ack = acknowledgement.get_body(preferencelist=("plain",)).get_content()
    assert request.reference in acknowledgement["Subject"]
    assert expected["ack_subject"] in acknowledgement["Subject"]
    assert request.reference in ack
    assert expected["kind"] in ack
    assert due in ack
    assert expected["phipa"] in ack
    assert settings.PRIVACY_OFFICER_EMAIL in ack
    assert expected["withdrawn"] not in ack  # a correction withdraws nothing
    assert request.events.filter(kind=EventKind.ACKNOWLEDGED).count() == 1

    # The officer's notice: the kind, the reference, the due date and a link; nothing else.
    notice = officer.get_body(preferencelist=("plain",)).get_content()
    assert request.reference in officer["Subject"]
    assert request.reference in notice
    assert settings.SITE_URL + reverse("privacy_requests:detail", args=[request.pk]) in notice
    assert date_display(request.due_at, settings.LANGUAGE_CODE) in notice
    with translation.override(settings.LANGUAGE_CODE):
        assert str(request.get_kind_display()) in notice
    for secret in (EMAIL, NAME, DETAILS, "Josée", "Zyxwv", "Plomb", "josee"):
        assert secret not in notice
        assert secret not in officer["Subject"]


def test_a_withdrawal_acknowledgement_says_the_consents_are_withdrawn(
    portal, client, smtp_inbox, django_capture_on_commit_callbacks
):
    page = portal_page("en")
    data = portal_post_data(page, kind="withdrawal", details="")
    with django_capture_on_commit_callbacks(execute=True):
        assert portal_post(client, page, data).status_code == 200
    link = link_in(smtp_inbox.wait(1)[0].get_body(preferencelist=("plain",)).get_content())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_confirm_path(link), HTTP_ORIGIN="http://testserver")
    assert "Your consents were withdrawn" in response.content.decode()
    acknowledgement = next(
        m for m in smtp_inbox.wait(3) if m["To"] == EMAIL and "DPR-" in m["Subject"]
    )
    assert (
        EXPECTED["en"]["withdrawn"]
        in acknowledgement.get_body(preferencelist=("plain",)).get_content()
    )
