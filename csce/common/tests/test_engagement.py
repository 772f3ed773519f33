"""The response-time computation (policy R): percentiles, months in the centre's time
zone, items still waiting, empty months, durations in words."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from csce.common.engagement import (
    ResponseSample,
    duration_display,
    engagement_months,
    month_starts,
    percentile,
)

TORONTO = ZoneInfo("America/Toronto")
UTC = datetime.UTC
HOUR = datetime.timedelta(hours=1)


def at(text: str, zone=TORONTO) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=zone)


def sample(received: datetime.datetime, hours: float | None) -> ResponseSample:
    return ResponseSample(
        received_at=received, answered_at=None if hours is None else received + hours * HOUR
    )


def test_median_and_90th_percentile_of_known_values():
    assert percentile([], 0.5) is None
    assert percentile([7], 0.5) == 7
    assert percentile([7], 0.9) == 7
    assert percentile([4, 1, 3, 2], 0.5) == 2.5  # the mean of the two middle ones
    assert percentile([5, 1, 3], 0.5) == 3
    # Ten values 1..10: rank (10 - 1) × 0.9 = 8.1, between 9 and 10.
    assert percentile(list(range(10, 0, -1)), 0.9) == pytest.approx(9.1)
    assert percentile([2, 2, 2, 100], 0.9) == pytest.approx(2 + 98 * 0.7)


def test_twelve_months_end_with_the_current_one_in_toronto_time():
    # 03:30 UTC on 1 March is still 28 February in Toronto (UTC-5).
    starts = month_starts(now=at("2027-03-01T03:30", UTC))
    assert len(starts) == 13
    assert starts[0] == at("2026-03-01T00:00")
    assert starts[-2] == at("2027-02-01T00:00")
    assert starts[-1] == at("2027-03-01T00:00")
    # And the windows are the local midnights, summer time included (UTC-4 in June).
    assert at("2026-06-01T00:00") in starts
    assert at("2026-06-01T00:00").utcoffset() == datetime.timedelta(hours=-4)


def test_an_item_belongs_to_the_month_it_was_received_in_toronto():
    now = at("2027-02-15T12:00")
    # 23:30 on 31 January in Toronto is 04:30 on 1 February in UTC: January's.
    late_january = at("2027-01-31T23:30")
    early_february = at("2027-02-01T00:00")
    rows = engagement_months([sample(late_january, 2), sample(early_february, 5)], now=now)
    january, february = rows[-2], rows[-1]
    assert (january.start, january.received, january.median_seconds) == (
        at("2027-01-01T00:00"),
        1,
        2 * 3600,
    )
    assert (february.received, february.median_seconds) == (1, 5 * 3600)


def test_months_with_nothing_are_shown_empty_and_items_before_the_window_ignored():
    now = at("2027-02-15T12:00")
    rows = engagement_months([sample(at("2025-12-31T10:00"), 1)], now=now)
    assert len(rows) == 12
    assert all(row.received == row.answered == row.waiting == 0 for row in rows)
    assert all(row.median_seconds is None and row.p90_seconds is None for row in rows)


def test_items_still_waiting_are_counted_apart_from_the_times():
    now = at("2027-02-15T12:00")
    received = at("2027-02-02T09:00")
    samples = [
        sample(received, 1),
        sample(received, 3),
        sample(received, 10),
        sample(received, None),
        # Answered after "now" (a clock moved back): still waiting as of now.
        sample(received, 24 * 30),
    ]
    row = engagement_months(samples, now=now)[-1]
    assert (row.received, row.answered, row.waiting) == (5, 3, 2)
    assert row.median_seconds == 3 * 3600
    assert row.p90_seconds == pytest.approx((3 + 7 * 0.8) * 3600)


@pytest.mark.parametrize(
    ("seconds", "french", "english"),
    [
        (None, "", ""),
        (20 * 60, "moins d’une heure", "less than an hour"),
        (3600, "1\u00a0heure", "1 hour"),
        (5.4 * 3600, "5\u00a0heures", "5 hours"),
        (47 * 3600, "47\u00a0heures", "47 hours"),
        (60 * 3600, "2,5\u00a0jours", "2.5 days"),
        (72 * 3600, "3\u00a0jours", "3 days"),
    ],
)
def test_durations_in_words_in_each_language(seconds, french, english):
    with translation.override("fr"):
        assert duration_display(seconds) == french
    with translation.override("en"):
        assert duration_display(seconds) == english
