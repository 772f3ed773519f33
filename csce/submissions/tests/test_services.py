"""Submissions at rest: encrypted, closed into tombstones, purged after retention, and
stored only through the service that checks consent and keeps the blind index (P6, M, P10)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import timezone

from csce.accounts.factories import staff_user
from csce.audit.models import AccessAction, AccessLogEntry
from csce.common.crypto import blind_index
from csce.common.registry import notice_version_in_force
from csce.common.testing import database_text_dump
from csce.pages.factories import page_add
from csce.pages.models import PrivacyNoticePage
from csce.retention.services import purge_expired_data
from csce.submissions.correction import submissions_correct
from csce.submissions.models import Submission, SubmissionNote, SubmissionStatus
from csce.submissions.registry import submissions_find
from csce.submissions.services import ConsentRequired, submission_close, submission_create

from .conftest import inquiry_post_data, post_form

pytestmark = pytest.mark.django_db

NAME = "Marie Tremblay"
EMAIL = "marie.tremblay@example.org"
HEALTH = "Je vis avec le diabète de type 2 (dossier Qwertz-4471)"


def _submit(client, page, **overrides) -> Submission:
    response = post_form(client, page, inquiry_post_data(page, **overrides))
    assert response.status_code == 200, response.content.decode()[:500]
    return Submission.objects.latest("pk")


def test_no_personal_value_is_readable_in_the_database(client, inquiry_page):
    submission = _submit(client, inquiry_page)
    SubmissionNote.objects.create(submission=submission, text=f"Rappeler {NAME}")
    dump = database_text_dump()
    for secret in (NAME, EMAIL, HEALTH, "Tremblay", "Qwertz-4471"):
        assert secret not in dump
    # The ORM still reads them for the inbox, and the address is findable by its index.
    submission.refresh_from_db()
    assert {a["value"] for a in submission.answers} >= {NAME, EMAIL, HEALTH}
    assert Submission.objects.filter(email_index=blind_index(EMAIL.upper())).exists()


def test_no_personal_value_goes_to_the_logs(client, inquiry_page, caplog):
    with caplog.at_level("DEBUG"):
        _submit(client, inquiry_page)
    for secret in (NAME, EMAIL, HEALTH):
        assert secret not in caplog.text


def test_closing_keeps_a_tombstone_without_personal_content(client, inquiry_page):
    staff = staff_user(username="agent", verified=False)
    submission = _submit(client, inquiry_page)
    SubmissionNote.objects.create(submission=submission, author=staff, text="note")
    closed = submission_close(submission=submission, actor=staff)
    closed.refresh_from_db()
    assert closed.status == SubmissionStatus.CLOSED
    assert closed.answers is None
    assert closed.email_index == ""
    assert closed.is_purged
    assert closed.closed_by == staff
    assert closed.closed_at is not None
    assert closed.form_title == inquiry_page.title
    assert not closed.notes.exists()
    entry = AccessLogEntry.objects.filter(action=AccessAction.PERSONAL_DATA_DELETED).latest("pk")
    assert (entry.actor_id, entry.object_id) == (staff.pk, str(submission.pk))


@pytest.mark.parametrize(("days", "kept"), [(29, True), (31, False)])
def test_a_30_day_form_keeps_a_submission_29_days_and_purges_it_at_31(
    client, inquiry_page, days, kept
):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=days), tick=False):
        submission = _submit(client, inquiry_page)
    run = purge_expired_data()
    assert Submission.objects.filter(pk=submission.pk).exists() is kept
    assert run.counts["submissions"] == (0 if kept else 1)


def test_a_second_purge_finds_nothing_more_and_counts_nothing_twice(client, inquiry_page):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=40), tick=False):
        for _ in range(3):
            _submit(client, inquiry_page)
    first = purge_expired_data(batch_size=2)
    second = purge_expired_data(batch_size=2)
    assert (first.counts["submissions"], second.counts["submissions"]) == (3, 0)
    entry = AccessLogEntry.objects.filter(action=AccessAction.PERSONAL_DATA_DELETED).latest("pk")
    assert entry.details == {"reason": "retention", "count": 3}


def test_retention_is_taken_from_the_form_at_submission_time(client, inquiry_page):
    inquiry_page.retention_days = 7
    inquiry_page.save_revision().publish()
    submission = _submit(client, inquiry_page)
    assert (submission.expires_at - submission.created_at).days == 7


@pytest.fixture
def privacy_notice(site_home, django_capture_on_commit_callbacks) -> PrivacyNoticePage:
    """The French privacy notice, published: its first version is recorded on commit."""
    with django_capture_on_commit_callbacks(execute=True):
        return page_add(PrivacyNoticePage, parent=site_home, title="Avis de confidentialité")


def test_the_consent_proof_names_the_privacy_notice_version_in_force(
    client, privacy_notice, inquiry_page
):
    in_force = notice_version_in_force(language="fr")
    assert in_force is not None  # the published notice has a version
    submission = _submit(client, inquiry_page)
    assert submission.consent_given
    assert submission.notice_version == in_force


# --- the guarantees of the one write path ------------------------------------------------


def _bypassed_form(page, **values):
    """What a caller that skipped the public form's checks would hand the service."""
    cleaned = {
        "nom": NAME,
        "courriel": EMAIL,
        "message": "Bonjour",
        "sante": "",
        "form_consent": False,
    }
    cleaned.update(values)
    return SimpleNamespace(cleaned_data=cleaned, fields={})


def test_the_service_refuses_health_information_without_consent(inquiry_page):
    form = _bypassed_form(inquiry_page, sante=HEALTH, form_consent=False)
    with pytest.raises(ConsentRequired):
        submission_create(page=inquiry_page, form=form, language="fr")
    assert not Submission.objects.exists()


def test_the_service_stores_health_information_with_consent(inquiry_page):
    form = _bypassed_form(inquiry_page, sante=HEALTH, form_consent=True)
    submission = submission_create(page=inquiry_page, form=form, language="fr")
    assert submission.consent_given is True
    assert HEALTH in {a["value"] for a in submission.answers}


def test_the_service_needs_no_consent_when_no_health_information_is_written(inquiry_page):
    submission = submission_create(
        page=inquiry_page, form=_bypassed_form(inquiry_page), language="fr"
    )
    assert submission.consent_given is False


def test_the_blind_index_follows_the_answers_on_every_save(inquiry_page):
    submission = submission_create(
        page=inquiry_page, form=_bypassed_form(inquiry_page), language="fr"
    )
    assert submission.email_index == blind_index(EMAIL)
    other = "m.tremblay@example.net"
    submission.answers = [
        {**a, "value": other} if a["field_type"] == "email" else a for a in submission.answers
    ]
    submission.save(update_fields=["answers"])
    submission.refresh_from_db()
    assert submission.email_index == blind_index(other)
    assert not Submission.objects.filter(email_index=blind_index(EMAIL)).exists()


def test_a_correction_of_the_address_moves_the_blind_index(inquiry_page):
    officer = staff_user(username="officer", verified=False)
    submission = submission_create(
        page=inquiry_page, form=_bypassed_form(inquiry_page), language="fr"
    )
    other = "m.tremblay@example.net"
    changed = submissions_correct(
        email=EMAIL, object_id=str(submission.pk), changes={"courriel": other}, actor=officer
    )
    assert changed == ["courriel"]
    assert [r.object_id for r in submissions_find(email=other)] == [str(submission.pk)]
    assert submissions_find(email=EMAIL) == []
