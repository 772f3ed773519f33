"""The portal's services on the real database: the unconfirmed form, its confirmation,
references, consent withdrawal across the registry, and expiry (policy P9, P10)."""

from __future__ import annotations

import datetime
import hashlib
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from csce.common.registry import PersonalDataSource, personal_data_registry
from csce.common.testing import database_text_dump
from csce.privacy import services
from csce.privacy.deadlines import request_due_at
from csce.privacy.models import (
    EventKind,
    PrivacyRequest,
    PrivacyRequestVerification,
    RequestKind,
)
from csce.privacy.services import (
    VerificationExpired,
    VerificationInvalid,
    privacy_request_verification_create,
    privacy_request_verify,
)
from csce.submissions.factories import inquiry_page_create, inquiry_post_data, post_form
from csce.submissions.models import Submission
from csce.submissions.registry import submissions_withdraw_consent

from .portal_support import DETAILS, EMAIL, NAME

pytestmark = pytest.mark.django_db

PAGE_URL = "/fr/exercer-vos-droits/"
NOW = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=datetime.UTC)


@pytest.fixture
def inquiry_form(site_home):
    """The submissions app's test form, with its newsletter box, on the French home."""
    return inquiry_page_create(parent=site_home)


@pytest.fixture(autouse=True)
def _no_hourly_link_limit(monkeypatch):
    """These tests confirm one address many times at one moment; the one-link-an-hour
    rule is csce/outbox/tests/test_services.py's."""
    monkeypatch.setattr(services, "outbox_recent_count", lambda **kwargs: 0)


def _create(*, kind: str = RequestKind.CORRECTION, language: str = "fr", now=NOW, **overrides):
    fields = {"email": EMAIL, "name": NAME, "details": DETAILS}
    fields.update(overrides)
    return privacy_request_verification_create(
        kind=kind, language=language, page_url=PAGE_URL, now=now, **fields
    )


def test_a_sent_form_is_kept_encrypted_with_only_the_hash_of_its_token(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        verification, token = _create()
    assert len(token) >= 43  # 32 random bytes
    assert verification.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert verification.expires_at == NOW + datetime.timedelta(days=7)
    assert not PrivacyRequest.objects.exists()  # not a request until confirmed
    dump = database_text_dump()
    for secret in (token, EMAIL, NAME, "Zyxwv", "Plomb-7731"):
        assert secret not in dump
    stored = PrivacyRequestVerification.objects.get().payload
    assert stored == {
        "kind": "correction",
        "email": EMAIL,
        "name": NAME,
        "details": DETAILS,
        "language": "fr",
        "received_at": NOW.isoformat(),
    }
    (message,) = mail.outbox
    assert message.to == [EMAIL]
    assert f"http://127.0.0.1:8000{PAGE_URL}?confirm={token}" in message.body or (
        f"{PAGE_URL}?confirm={token}" in message.body
    )


def test_confirming_creates_the_request_with_its_phipa_due_date_and_removes_the_form(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("csce.common.registry._notice_version_provider", lambda *, language: 4)
    _verification, token = _create(language="en")
    confirmed_at = NOW + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        request = privacy_request_verify(token=token, now=confirmed_at)
    request.refresh_from_db()
    assert request.reference == "DPR-2026-0001"
    assert (request.kind, request.language) == ("correction", "en")
    assert (request.email, request.name, request.details) == (EMAIL, NAME, DETAILS)
    assert request.email_index == services.blind_index(EMAIL)
    assert request.received_at == NOW
    assert request.verified_at == confirmed_at
    assert request.due_at == request_due_at(verified_at=confirmed_at)
    assert request.notice_version == 4
    assert not PrivacyRequestVerification.objects.exists()
    assert list(request.events.values_list("kind", flat=True)) == [
        EventKind.VERIFIED,
        EventKind.ACKNOWLEDGED,
    ]
    # The link works once: a second press finds nothing.
    with pytest.raises(VerificationInvalid):
        privacy_request_verify(token=token, now=confirmed_at)
    assert PrivacyRequest.objects.count() == 1


@pytest.mark.parametrize("token", ["", "x", "a" * 43, "é\x00" * 500])
def test_a_token_that_is_not_ours_confirms_nothing(token):
    _create()
    with pytest.raises(VerificationInvalid):
        privacy_request_verify(token=token, now=NOW)
    assert not PrivacyRequest.objects.exists()


def test_after_seven_days_the_link_is_refused_and_the_retention_job_leaves_no_trace():
    _verification, token = _create()
    assert PrivacyRequestVerification.objects.exists()
    with time_machine.travel(NOW + datetime.timedelta(days=7, seconds=1), tick=False):
        with pytest.raises(VerificationExpired):
            privacy_request_verify(token=token)
        call_command("purge_expired_data", stdout=io.StringIO())
        with pytest.raises(VerificationInvalid):
            privacy_request_verify(token=token)
    assert not PrivacyRequestVerification.objects.exists()
    assert not PrivacyRequest.objects.exists()
    dump = database_text_dump()
    for secret in (EMAIL, NAME, DETAILS, "Josée", "Zyxwv", "Plomb-7731"):
        assert secret not in dump


def test_the_retention_job_keeps_a_form_still_inside_its_seven_days():
    _verification, token = _create()
    with time_machine.travel(NOW + datetime.timedelta(days=6, hours=23), tick=False):
        call_command("purge_expired_data", stdout=io.StringIO())
        assert privacy_request_verify(token=token).reference.startswith("DPR-2026-")


def test_references_follow_each_other_within_a_year_and_restart_each_year():
    references = []
    for when in (NOW, NOW + datetime.timedelta(days=1), NOW + datetime.timedelta(days=300)):
        _v, token = _create(now=when)
        references.append(privacy_request_verify(token=token, now=when).reference)
    assert references == ["DPR-2026-0001", "DPR-2026-0002", "DPR-2027-0001"]


def test_the_sequence_goes_past_9999_in_number_order():
    _v, token = _create()
    first = privacy_request_verify(token=token, now=NOW)
    PrivacyRequest.objects.filter(pk=first.pk).update(reference="DPR-2026-9999")
    _v, token = _create()
    assert privacy_request_verify(token=token, now=NOW).reference == "DPR-2026-10000"
    _v, token = _create()
    assert privacy_request_verify(token=token, now=NOW).reference == "DPR-2026-10001"


def test_a_reference_taken_meanwhile_by_another_confirmation_is_retried(monkeypatch):
    """Two confirmations at the same moment compute the same next reference: the unique
    constraint refuses the second, which takes the following one."""
    _v, token = _create()
    taken = privacy_request_verify(token=token, now=NOW)
    real_next = services._reference_next
    calls = []

    def stale_then_real(*, year):
        calls.append(year)
        return taken.reference if len(calls) == 1 else real_next(year=year)

    monkeypatch.setattr(services, "_reference_next", stale_then_real)
    _v, token = _create()
    second = privacy_request_verify(token=token, now=NOW)
    assert second.reference == "DPR-2026-0002"
    assert len(calls) == 2
    assert PrivacyRequest.objects.count() == 2
    assert not PrivacyRequestVerification.objects.exists()


def test_withdrawal_unsubscribes_the_person_everywhere_the_registry_knows_of(
    client,
    inquiry_form,
    django_capture_on_commit_callbacks,
):
    # Two submissions of the person with the newsletter ticked, one of someone else.
    for address in (EMAIL, EMAIL.upper(), "autre@example.org"):
        data = inquiry_post_data(inquiry_form, courriel=address, form_purpose_newsletter="on")
        assert post_form(client, inquiry_form, data).status_code == 200
    calls = []

    def other_app_withdraw(*, email, actor):
        calls.append((email, actor))
        return 3

    personal_data_registry.register(
        PersonalDataSource(
            key="zz_newsletter_test",
            label="x",
            purpose="x",
            retention="x",
            withdraw_consent=other_app_withdraw,
        )
    )
    try:
        _v, token = _create(kind=RequestKind.WITHDRAWAL, details="")
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            request = privacy_request_verify(token=token, now=NOW)
    finally:
        personal_data_registry.unregister("zz_newsletter_test")
    assert calls == [(EMAIL, None)]
    consents = {
        s.email_index == request.email_index: s.optional_consents for s in Submission.objects.all()
    }
    assert consents == {True: [], False: ["newsletter"]}
    event = request.events.get(kind=EventKind.CONSENT_WITHDRAWN)
    # The newsletter's own source is asked too; no subscription was made (the on-commit
    # requests of the form option did not run here).
    assert event.details == {
        "sources": {"newsletter": 0, "submissions": 2, "zz_newsletter_test": 3}
    }
    assert EMAIL not in str(event.details)
    acknowledgement = next(m for m in mail.outbox if m.to == [EMAIL])
    assert "consentements sont retirés" in acknowledgement.body


def test_submissions_withdraw_consent_counts_the_purposes_it_clears(client, inquiry_form):
    data = inquiry_post_data(inquiry_form, form_purpose_newsletter="on")
    assert post_form(client, inquiry_form, data).status_code == 200
    assert post_form(client, inquiry_form, inquiry_post_data(inquiry_form)).status_code == 200
    address = "marie.tremblay@example.org"
    assert submissions_withdraw_consent(email=address, actor=None) == 1
    assert all(s.optional_consents == [] for s in Submission.objects.all())
    assert submissions_withdraw_consent(email=address, actor=None) == 0
    assert submissions_withdraw_consent(email="", actor=None) == 0


def test_nothing_personal_is_logged(caplog, django_capture_on_commit_callbacks):
    with caplog.at_level("DEBUG"), django_capture_on_commit_callbacks(execute=True):
        _v, token = _create()
        privacy_request_verify(token=token, now=NOW)
    for secret in (EMAIL, NAME, DETAILS, token):
        assert secret not in caplog.text
