"""Daily rollups of the raw page views (policy P4: counts kept, visitors not).

A day's rollup is a set of ``DailyCount`` rows: its total, and its views and unique
visitors per page and entry page (per language), referring site, browser, browser
version, operating system, device, screen size and language. The rows hold no visitor
hash, so they are kept when the raw events are deleted after 90 days.

``rollup_day`` rebuilds one day from its raw events (idempotent); ``rollup_pending``,
the nightly job, rolls up yesterday and today and any day that has raw events but no
rollup yet (after an outage).
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from .dashboard import statistics_cache_warm
from .models import DailyCount, Dimension, PageView, RollupRun
from .salts import local_day

# A day's rows per dimension, the most viewed first: visitors can send any path or
# referrer, so a flood of invented ones cannot grow the rollups without bound.
MAX_VALUES_PER_DIMENSION = 1000

# dimension → (the fields grouped on, whether only entries count, whether per language)
_GROUPINGS: dict[str, tuple[tuple[str, ...], bool]] = {
    Dimension.PAGE: (("language", "path"), False),
    Dimension.ENTRY: (("language", "path"), True),
    Dimension.REFERRER: (("referrer_host",), True),
    Dimension.BROWSER: (("browser",), False),
    Dimension.BROWSER_VERSION: (("browser", "browser_version"), False),
    Dimension.OS: (("os",), False),
    Dimension.DEVICE: (("device",), False),
    Dimension.SCREEN: (("screen",), False),
    Dimension.LANGUAGE: (("language",), False),
}


def _counts(queryset: QuerySet, fields: tuple[str, ...]) -> list[dict]:
    return list(
        queryset.values(*fields)
        .annotate(views=Count("pk"), visitors=Count("visitor", distinct=True))
        .order_by("-views", *fields)[:MAX_VALUES_PER_DIMENSION]
    )


def _row(day: datetime.date, dimension: str, fields: tuple[str, ...], counts: dict) -> DailyCount:
    if dimension in (Dimension.PAGE, Dimension.ENTRY):
        language, value = counts["language"], counts["path"]
    elif dimension == Dimension.BROWSER_VERSION:
        language, value = "", f"{counts['browser']} {counts['browser_version']}".strip()
    else:
        language, value = "", counts[fields[0]]
    return DailyCount(
        day=day,
        dimension=dimension,
        language=language,
        value=value,
        views=counts["views"],
        visitors=counts["visitors"],
    )


def day_counts(day: datetime.date) -> list[DailyCount]:
    """The rollup rows of one day, computed from its raw events (not saved)."""
    events = PageView.objects.filter(day=day)
    total = events.aggregate(views=Count("pk"), visitors=Count("visitor", distinct=True))
    rows = [
        DailyCount(
            day=day, dimension=Dimension.TOTAL, views=total["views"], visitors=total["visitors"]
        )
    ]
    if not total["views"]:
        return rows
    for dimension, (fields, entries_only) in _GROUPINGS.items():
        queryset = events.filter(entry=True) if entries_only else events
        rows.extend(_row(day, dimension, fields, counts) for counts in _counts(queryset, fields))
    return _merged(rows)


def _merged(rows: list[DailyCount]) -> list[DailyCount]:
    """Browser versions without a version fold into one value ("Firefox" twice)."""
    merged: dict[tuple[str, str, str], DailyCount] = {}
    for row in rows:
        key = (row.dimension, row.language, row.value)
        if key in merged:
            merged[key].views += row.views
            merged[key].visitors += row.visitors
        else:
            merged[key] = row
    return list(merged.values())


def rollup_day(day: datetime.date, *, now: datetime.datetime | None = None) -> int:
    """Replace the rollup of ``day`` with one computed from its raw events now."""
    rows = day_counts(day)
    events = next(row.views for row in rows if row.dimension == Dimension.TOTAL)
    try:
        with transaction.atomic():
            DailyCount.objects.filter(day=day).delete()
            DailyCount.objects.bulk_create(rows)
            RollupRun.objects.update_or_create(
                day=day, defaults={"rolled_up_at": now or timezone.now(), "events": events}
            )
    except IntegrityError:
        return 0  # another node rolled the same day up at the same moment: its rows stand
    return len(rows)


def days_pending(now: datetime.datetime | None = None) -> list[datetime.date]:
    """Yesterday and today, and every day with raw events whose rollup is missing or was
    made on the day itself (it may miss the day's last hours)."""
    today = local_day(now)
    days = {today, today - datetime.timedelta(days=1)}
    with_events = set(PageView.objects.values_list("day", flat=True).distinct())
    runs = dict(RollupRun.objects.filter(day__in=with_events).values_list("day", "rolled_up_at"))
    days.update(day for day in with_events if day not in runs or local_day(runs[day]) <= day)
    return sorted(day for day in days if day <= today)


def rollup_pending(now: datetime.datetime | None = None) -> int:
    """The nightly job. Safe to run twice and on two nodes at once."""
    return sum(rollup_day(day, now=now) for day in days_pending(now))


def rollup_nightly() -> int:
    """The scheduled job: roll up, then compute the dashboard's preset ranges, so the
    first opening of the day reads them from the cache."""
    rows = rollup_pending()
    statistics_cache_warm(today=local_day())
    return rows
