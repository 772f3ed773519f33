"""PHIPA clocks of a privacy request, in the centre's time zone (policy P10).

PHIPA s.54: answer within 30 days of the request; one extension of up to 30 more days,
with written notice of its length and reason; no answer in time counts as a refusal.
A deadline is the end of its calendar day in Ontario, so "30 days" never ends at 9 a.m.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models.records import MAX_EXTENSION_DAYS, REMINDER_DAYS_BEFORE, RESPONSE_DAYS, PrivacyRequest


def end_of_local_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def request_due_at(*, verified_at: datetime.datetime) -> datetime.datetime:
    """The end of the 30th day after the address was confirmed."""
    day = timezone.localtime(verified_at).date() + datetime.timedelta(days=RESPONSE_DAYS)
    return end_of_local_day(day)


def request_extended_due_at(*, due_at: datetime.datetime, days: int) -> datetime.datetime:
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValueError(f"An extension lasts 1 to {MAX_EXTENSION_DAYS} days.")
    return end_of_local_day(timezone.localtime(due_at).date() + datetime.timedelta(days=days))


def request_days_left(*, request: PrivacyRequest, now: datetime.datetime | None = None) -> int:
    """Whole days until the due date (0 on the due day, negative once overdue)."""
    today = timezone.localtime(now or timezone.now()).date()
    return (timezone.localtime(request.effective_due_at).date() - today).days


def request_reminders_due(
    *, request: PrivacyRequest, now: datetime.datetime | None = None
) -> list[int]:
    """The reminders (7 and 2 days before the due date) that should go out now and have
    not yet: a reminder missed on its day still goes out, once, the next run."""
    if request.status == "closed":
        return []
    left = request_days_left(request=request, now=now)
    sent = {7: request.reminder_7_sent_at, 2: request.reminder_2_sent_at}
    due = [days for days in REMINDER_DAYS_BEFORE if left <= days and sent[days] is None]
    # Both missed (e.g. a request confirmed 3 days before its due date cannot happen, but
    # an outage can): only the nearest one is worth sending.
    return due[-1:] if len(due) > 1 else due
