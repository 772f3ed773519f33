"""How long staff take to answer the public (policy R: respond promptly, measured).

Each app that receives something a person answers (an inquiry, a comment, a report of a
concern) registers a source from its own ``apps.py``: the moments each item arrived and
was first answered. The engagement view reads every source, without importing the apps.

``engagement_months`` turns the samples into one row per month received (in the
centre's time zone): items received, answered, still waiting, and the median and 90th
percentile of the time to the first answer over the answered ones. Percentiles
interpolate between the two nearest values (the usual median; for the 90th percentile,
the "inclusive" method of ``statistics.quantiles`` and spreadsheets' PERCENTILE), so a
month of one answered item shows that item's time for both.
"""

from __future__ import annotations

import datetime
import itertools
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext


@dataclass(frozen=True)
class ResponseSample:
    """One item: when it arrived, and when it was first answered (None: not yet)."""

    received_at: datetime.datetime
    answered_at: datetime.datetime | None


@dataclass(frozen=True)
class ResponseTimeSource:
    """- ``samples(since=..., until=...)`` → the items received in [since, until), with no
    personal value (the moments only);
    - ``overdue(now=...)`` (optional) → how many items wait past their due moment now,
    one counting query."""

    key: str
    label: str | Promise
    samples: Callable[..., list[ResponseSample]]
    order: int = 100
    overdue: Callable[..., int] | None = None


class ResponseTimeRegistry:
    def __init__(self) -> None:
        self._sources: dict[str, ResponseTimeSource] = {}

    def register(self, source: ResponseTimeSource) -> ResponseTimeSource:
        self._sources[source.key] = source
        return source

    def unregister(self, key: str) -> None:
        self._sources.pop(key, None)

    def __iter__(self) -> Iterator[ResponseTimeSource]:
        return iter(sorted(self._sources.values(), key=lambda s: (s.order, s.key)))

    def __len__(self) -> int:
        return len(self._sources)


response_time_registry = ResponseTimeRegistry()


# --- the computation --------------------------------------------------------------------

# How many months the engagement view covers, the current one included.
MONTHS = 12


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The ``fraction`` (0 to 1) percentile of ``values``, interpolated between the two
    nearest ranks; None for no value."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def month_starts(*, now: datetime.datetime, count: int = MONTHS) -> list[datetime.datetime]:
    """The first moments of the last ``count`` months in the centre's time zone, oldest
    first, then the start of the next month (the end of the last window)."""
    zone = timezone.get_default_timezone()  # the centre's, whatever the reader's
    local = timezone.localtime(now, zone)
    # Months counted from year zero: the oldest window's, then one more per window.
    first = local.year * 12 + local.month - 1 - (count - 1)
    return [
        datetime.datetime(index // 12, index % 12 + 1, 1, tzinfo=zone)
        for index in range(first, first + count + 1)
    ]


@dataclass(frozen=True)
class MonthRow:
    """One month of one source: counts, and times to the first answer in seconds."""

    start: datetime.datetime
    received: int
    answered: int
    waiting: int
    median_seconds: float | None
    p90_seconds: float | None


def engagement_months(
    samples: Sequence[ResponseSample], *, now: datetime.datetime, count: int = MONTHS
) -> list[MonthRow]:
    """One row per month (oldest first) of the items received that month; an item
    answered after ``now`` (a clock that moved) counts as waiting."""
    starts = month_starts(now=now, count=count)
    rows = []
    for start, end in itertools.pairwise(starts):
        month = [s for s in samples if start <= s.received_at < end]
        durations = [
            (s.answered_at - s.received_at).total_seconds()
            for s in month
            if s.answered_at is not None and s.answered_at <= now
        ]
        durations = [max(seconds, 0.0) for seconds in durations]
        rows.append(
            MonthRow(
                start=start,
                received=len(month),
                answered=len(durations),
                waiting=len(month) - len(durations),
                median_seconds=percentile(durations, 0.5),
                p90_seconds=percentile(durations, 0.9),
            )
        )
    return rows


@dataclass(frozen=True)
class SourceReport:
    key: str
    label: str | Promise
    months: list[MonthRow]
    overdue: int | None


def engagement_report(*, now: datetime.datetime | None = None) -> list[SourceReport]:
    """Every registered source over the last ``MONTHS`` months: one ``samples`` call (and
    one ``overdue`` count) per source, the rest in Python."""
    now = now or timezone.now()
    starts = month_starts(now=now)
    reports = []
    for source in response_time_registry:
        samples = source.samples(since=starts[0], until=starts[-1])
        reports.append(
            SourceReport(
                key=source.key,
                label=source.label,
                months=engagement_months(samples, now=now),
                overdue=source.overdue(now=now) if source.overdue is not None else None,
            )
        )
    return reports


def duration_display(seconds: float | None) -> str:
    """A time to answer in words, in the active language: « moins d'une heure »,
    « 5 heures », « 2,5 jours »; "" for none. Hours below two days, days from there."""
    if seconds is None:
        return ""
    hours = seconds / 3600
    if hours < 1:
        return gettext("less than an hour")
    if hours < 48:
        count = round(hours)
        return ngettext("%(count)s hour", "%(count)s hours", count) % {"count": count}
    days = round(hours / 24, 1)
    shown = number_format(days, decimal_pos=0 if days == int(days) else 1)
    return ngettext("%(count)s day", "%(count)s days", math.floor(days)) % {"count": shown}
