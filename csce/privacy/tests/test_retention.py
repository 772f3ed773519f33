"""Request records are legal records: kept 24 months after closing, then deleted by the
retention job with their history and letters; open requests are never purged
(policy M). Export bundles lose their content at expiry."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from csce.common.testing import database_text_dump
from csce.privacy.factories import privacy_request_make
from csce.privacy.models import (
    ExportBundle,
    PrivacyRequest,
    PrivacyRequestEvent,
    RequestOutcome,
)
from csce.privacy.workspace import privacy_request_close, privacy_request_note_add
from csce.retention.services import purge_expired_data

pytestmark = pytest.mark.django_db

CLOSED = datetime.datetime(2025, 1, 10, 12, 0, tzinfo=datetime.UTC)


def _closed_request(email: str) -> PrivacyRequest:
    with time_machine.travel(CLOSED, tick=False):
        request = privacy_request_make(email=email, verified_at=CLOSED)
        privacy_request_note_add(request=request, actor=None, text="Appel de Mme Lavoie-Zénon")
        return privacy_request_close(request=request, actor=None, outcome=RequestOutcome.GRANTED)


def test_a_closed_request_stays_24_months_then_goes_with_its_history():
    request = _closed_request("lavoie@example.org")
    still_open = privacy_request_make(
        email="ouverte@example.org", verified_at=CLOSED - datetime.timedelta(days=900)
    )
    purge_expired_data(now=CLOSED + datetime.timedelta(days=729))
    assert PrivacyRequest.objects.filter(pk=request.pk).exists()

    purge_expired_data(now=CLOSED + datetime.timedelta(days=731))
    assert not PrivacyRequest.objects.filter(pk=request.pk).exists()
    assert not PrivacyRequestEvent.objects.filter(request_id=request.pk).exists()
    # An open request is never purged, however old: it still awaits its answer.
    assert PrivacyRequest.objects.filter(pk=still_open.pk).exists()


def test_the_notes_of_a_request_are_encrypted_at_rest():
    _closed_request("lavoie@example.org")
    dump = database_text_dump()
    assert "Lavoie-Zénon" not in dump
    assert "lavoie@example.org" not in dump


def test_an_expired_export_loses_its_content_and_keeps_its_record():
    request = privacy_request_make()
    bundle = ExportBundle.objects.create(
        request=request,
        expires_at=timezone.now() + datetime.timedelta(days=7),
        token_hash="0" * 64,
        content="UEsDBA==",
        size=6,
    )
    purge_expired_data(now=timezone.now() + datetime.timedelta(days=6))
    bundle.refresh_from_db()
    assert bundle.content
    purge_expired_data(now=timezone.now() + datetime.timedelta(days=8))
    bundle.refresh_from_db()
    assert bundle.content == ""
    assert bundle.size == 0
