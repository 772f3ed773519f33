"""PHIPA clocks: 30 days from the confirmed request, one extension of up to 30 days,
reminders 7 and 2 days before the due date, overdue after it (policy P10)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from csce.privacy.deadlines import request_days_left, request_due_at, request_reminders_due
from csce.privacy.factories import privacy_request_make
from csce.privacy.models import EventKind, PrivacyRequest, RequestOutcome
from csce.privacy.workspace import (
    privacy_request_close,
    privacy_request_extend,
    privacy_requests_remind,
)

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
CONFIRMED = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=TORONTO)


def at(day: int, month: int = 3, hour: int = 8) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=TORONTO)


def test_the_answer_is_due_at_the_end_of_the_thirtieth_day_in_ontario():
    due = timezone.localtime(request_due_at(verified_at=CONFIRMED))
    assert (due.date(), due.hour, due.minute) == (datetime.date(2026, 4, 1), 23, 59)
    # Confirmed late at night in Ontario (already the next day in UTC): same local day.
    late = datetime.datetime(2026, 3, 2, 23, 30, tzinfo=TORONTO)
    assert timezone.localtime(request_due_at(verified_at=late)).date() == datetime.date(2026, 4, 1)


@pytest.mark.django_db
def test_one_extension_of_at_most_thirty_days_moves_the_due_date_and_is_told_in_writing():
    request = privacy_request_make(verified_at=CONFIRMED, language="en")
    with time_machine.travel(at(20), tick=False):
        with pytest.raises(ValidationError):
            privacy_request_extend(request=request, actor=None, days=31, reason="Archives.")
        with pytest.raises(ValidationError):
            privacy_request_extend(request=request, actor=None, days=10, reason="   ")
        assert mail.outbox == []
        privacy_request_extend(
            request=request, actor=None, days=30, reason="We must search paper archives."
        )
        request.refresh_from_db()
        assert timezone.localtime(request.effective_due_at).date() == datetime.date(2026, 5, 1)
        assert timezone.localtime(request.due_at).date() == datetime.date(2026, 4, 1)
        # The second extension is refused: PHIPA allows one.
        with pytest.raises(ValidationError):
            privacy_request_extend(request=request, actor=None, days=5, reason="More.")
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["marie.tremblay@example.org"]
    assert "30 more days" in letter.body
    assert "We must search paper archives." in letter.body
    assert "May 1, 2026" in letter.body
    kinds = list(request.events.values_list("kind", flat=True))
    assert kinds == [EventKind.EXTENSION, EventKind.LETTER]


@pytest.mark.django_db
def test_no_extension_once_the_first_deadline_has_passed():
    request = privacy_request_make(verified_at=CONFIRMED)
    with time_machine.travel(at(2, month=4), tick=False), pytest.raises(ValidationError):
        privacy_request_extend(request=request, actor=None, days=10, reason="Trop tard.")
    request.refresh_from_db()
    assert request.extended_due_at is None


@pytest.mark.django_db
def test_reminders_go_seven_then_two_days_before_and_only_once(settings):
    settings.PRIVACY_OFFICER_EMAIL = "vie-privee@csce.example"
    request = privacy_request_make(verified_at=CONFIRMED)
    with time_machine.travel(at(24), tick=False):  # 8 days before April 1
        assert privacy_requests_remind() == 0
    with time_machine.travel(at(25), tick=False):  # 7 days before
        assert privacy_requests_remind() == 1
        assert privacy_requests_remind() == 0  # a second run the same day sends nothing
    with time_machine.travel(at(28), tick=False):
        assert privacy_requests_remind() == 0
    with time_machine.travel(at(30), tick=False):  # 2 days before
        assert privacy_requests_remind() == 1
    with time_machine.travel(at(31), tick=False):
        assert privacy_requests_remind() == 0
    assert [m.to for m in mail.outbox] == [["vie-privee@csce.example"]] * 2
    assert "7 jours" in mail.outbox[0].subject
    assert "2 jours" in mail.outbox[1].subject
    # The reminder names the request, never the requester.
    assert request.reference in mail.outbox[0].body
    assert "marie" not in mail.outbox[0].body.lower()
    assert request.events.filter(kind=EventKind.REMINDER).count() == 2


@pytest.mark.django_db
def test_a_missed_reminder_day_sends_only_the_nearest_one():
    request = privacy_request_make(verified_at=CONFIRMED)
    with time_machine.travel(at(31), tick=False):  # the job did not run for a week
        assert request_reminders_due(request=request) == [2]
        assert privacy_requests_remind() == 1
    request.refresh_from_db()
    assert request.reminder_7_sent_at is not None
    assert request.reminder_2_sent_at is not None
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_overdue_after_the_due_day_and_never_once_closed():
    request = privacy_request_make(verified_at=CONFIRMED)
    assert not request.is_overdue(now=at(1, month=4, hour=23))
    assert request.is_overdue(now=at(2, month=4, hour=0))
    assert request_days_left(request=request, now=at(3, month=4)) == -2
    privacy_request_close(request=request, actor=None, outcome=RequestOutcome.GRANTED)
    request = PrivacyRequest.objects.get(pk=request.pk)
    assert not request.is_overdue(now=at(3, month=4))
    with time_machine.travel(at(30), tick=False):
        assert privacy_requests_remind() == 0
