"""What the statistics dashboard reads (policy P4): the daily rollups, never the raw
page views, with a few aggregate queries whatever the length of the range.

``statistics_read`` answers one range with two queries on ``DailyCount`` (the daily
totals of the range and of the period before it; one GROUP BY over every breakdown) and
caches the numbers until a rollup runs again: the cache key holds the latest
``RollupRun``, so a new or repeated rollup makes a new key. The cached result holds
numbers and stored values only, no translated label, so both languages share it.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Max, Sum

from .models import DailyCount, Dimension, RollupRun

# Longer ranges are refused: three years of days still fit in one screen and one CSV.
MAX_RANGE_DAYS = 3 * 366
# No statistics can predate the site; this also keeps date arithmetic far from year 1.
EARLIEST_DAY = datetime.date(2000, 1, 1)
DEFAULT_RANGE_DAYS = 30
CACHE_SECONDS = 24 * 60 * 60
CACHE_PREFIX = "analytics:dashboard:v1"

BREAKDOWNS = [d for d in Dimension.values if d != Dimension.TOTAL]


@dataclass(frozen=True)
class Period:
    """A range of whole days, both ends included."""

    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of equal length that ends the day before this one starts."""
        end = self.start - datetime.timedelta(days=1)
        return Period(start=end - datetime.timedelta(days=self.days - 1), end=end)

    def each_day(self):
        for offset in range(self.days):
            yield self.start + datetime.timedelta(days=offset)


def period_last_days(*, days: int, today: datetime.date) -> Period:
    """The last ``days`` complete days: a day's rollup is final once the day is over."""
    end = today - datetime.timedelta(days=1)
    return Period(start=end - datetime.timedelta(days=days - 1), end=end)


def period_last_months(*, months: int, today: datetime.date) -> Period:
    """The last ``months`` months of complete days, ending yesterday."""
    end = today - datetime.timedelta(days=1)
    year, month = divmod(end.year * 12 + end.month - 1 - months, 12)
    day = min(end.day, calendar.monthrange(year, month + 1)[1])
    return Period(start=datetime.date(year, month + 1, day) + datetime.timedelta(days=1), end=end)


def period_default(*, today: datetime.date) -> Period:
    return period_last_days(days=DEFAULT_RANGE_DAYS, today=today)


def _rollups_version() -> str:
    """Changes whenever a day is rolled up (again): the count and the latest time of runs."""
    runs = RollupRun.objects.aggregate(count=Count("pk"), latest=Max("rolled_up_at"))
    latest = runs["latest"].timestamp() if runs["latest"] else 0
    return f"{runs['count']}-{latest}"


def statistics_cache_key(*, period: Period) -> str:
    return f"{CACHE_PREFIX}:{period.start:%Y%m%d}:{period.end:%Y%m%d}:{_rollups_version()}"


def statistics_read(*, period: Period, key: str | None = None) -> dict:
    """The numbers of ``period`` and the totals of the period before it, cached.

    Returns ``{"series": [(day, views, visitors), ...] one per day of the range,
    "totals": {"views", "visitors"}, "previous": {"views", "visitors", "days_with_data"},
    "breakdowns": {dimension: [(language, value, views, visitors), ...]}}``, each
    breakdown sorted by views, then visitors, then value. ``key``: the cache key when
    the caller already has it (``statistics_cache_key``).
    """
    key = key or statistics_cache_key(period=period)
    found = cache.get(key)
    if found is None:
        found = statistics_compute(period=period)
        cache.set(key, found, CACHE_SECONDS)
    return found


def statistics_compute(*, period: Period) -> dict:
    previous = period.previous()
    daily = {
        row["day"]: (row["views"], row["visitors"])
        for row in DailyCount.objects.filter(
            dimension=Dimension.TOTAL, day__range=(previous.start, period.end)
        )
        .values("day")
        .annotate(views=Sum("views"), visitors=Sum("visitors"))
        .order_by()
    }
    series = [(day, *daily.get(day, (0, 0))) for day in period.each_day()]
    before = [daily[day] for day in previous.each_day() if day in daily]

    breakdowns: dict[str, list[tuple[str, str, int, int]]] = {d: [] for d in BREAKDOWNS}
    rows = (
        DailyCount.objects.filter(dimension__in=BREAKDOWNS, day__range=(period.start, period.end))
        .values_list("dimension", "language", "value")
        .annotate(views=Sum("views"), visitors=Sum("visitors"))
        .order_by()
    )
    for dimension, language, value, views, visitors in rows:
        breakdowns[dimension].append((language, value, views, visitors))
    for values in breakdowns.values():
        values.sort(key=lambda row: (-row[2], -row[3], row[1], row[0]))

    return {
        "series": series,
        "totals": {
            "views": sum(row[1] for row in series),
            "visitors": sum(row[2] for row in series),
        },
        "previous": {
            "views": sum(row[0] for row in before),
            "visitors": sum(row[1] for row in before),
            "days_with_data": len(before),
        },
        "breakdowns": breakdowns,
    }


def change_percent(*, current: int, previous: int) -> float | None:
    """The change from ``previous`` to ``current`` in percent; None when there was nothing
    to compare with."""
    if not previous:
        return None
    return (current - previous) * 100 / previous


def statistics_cache_warm(*, today: datetime.date) -> list[Period]:
    """Compute the ranges of the dashboard's presets ahead of the first visit: the rollup
    job may call this once it has run, so even the first opening of the day reads the
    cache. Safe to run twice (the same key is written again)."""
    periods = [period_last_days(days=days, today=today) for days in (7, 30, 90)]
    periods.append(period_last_months(months=12, today=today))
    for period in periods:
        statistics_read(period=period)
    return periods
