"""Daily rollups and the 90-day purge of raw events (policy P4, M)."""

import datetime
import random
from collections import Counter, defaultdict

import pytest
import time_machine
from django.utils import timezone

from csce.analytics.models import DailyCount, Device, Dimension, PageView, RollupRun, Screen
from csce.analytics.rollups import days_pending, rollup_day, rollup_pending
from csce.common.registry import personal_data_registry
from csce.retention.services import purge_expired_data

pytestmark = pytest.mark.django_db

PATHS = ["/fr/", "/fr/services/", "/en/", "/en/news/", "/fr/nous-joindre/"]
REFERRERS = ["", "", "example.org", "ontario.ca"]
BROWSERS = [("Firefox", "128"), ("Chrome", "131"), ("Mobile Safari", "17"), ("Chrome", "")]


def _seed(day: datetime.date, count: int, *, seed: int) -> list[PageView]:
    rng = random.Random(seed)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    views = []
    for _ in range(count):
        path = rng.choice(PATHS)
        browser, version = rng.choice(BROWSERS)
        referrer = rng.choice(REFERRERS)
        entry = rng.random() < 0.4
        views.append(
            PageView(
                occurred_at=moment,
                day=day,
                path=path,
                language=path[1:3],
                referrer_host=referrer if entry else "",
                browser=browser,
                browser_version=version,
                os=rng.choice(["Windows", "iOS", "Android"]),
                device=rng.choice(Device.values),
                screen=rng.choice(Screen.values),
                entry=entry,
                visitor=rng.randrange(12),  # few visitors, many views each
            )
        )
    return PageView.objects.bulk_create(views)


def _expected(views: list[PageView]) -> dict[tuple[str, str, str], tuple[int, int]]:
    """Views and unique visitors per (dimension, language, value), counted in Python."""
    seen: dict[tuple[str, str, str], list] = defaultdict(list)
    for view in views:
        keys = [
            (Dimension.TOTAL, "", ""),
            (Dimension.PAGE, view.language, view.path),
            (Dimension.BROWSER, "", view.browser),
            (Dimension.BROWSER_VERSION, "", f"{view.browser} {view.browser_version}".strip()),
            (Dimension.OS, "", view.os),
            (Dimension.DEVICE, "", view.device),
            (Dimension.SCREEN, "", view.screen),
            (Dimension.LANGUAGE, "", view.language),
        ]
        if view.entry:
            keys += [
                (Dimension.ENTRY, view.language, view.path),
                (Dimension.REFERRER, "", view.referrer_host),
            ]
        for key in keys:
            seen[key].append(view.visitor)
    return {key: (len(visitors), len(set(visitors))) for key, visitors in seen.items()}


def test_rollups_equal_counts_computed_directly_from_the_raw_events():
    day = datetime.date(2026, 5, 4)
    views = _seed(day, 400, seed=1)
    _seed(day + datetime.timedelta(days=1), 50, seed=2)  # another day stays out

    rollup_day(day)

    stored = {
        (row.dimension, row.language, row.value): (row.views, row.visitors)
        for row in DailyCount.objects.filter(day=day)
    }
    assert stored == _expected(views)
    assert RollupRun.objects.get(day=day).events == 400


def test_rolling_a_day_up_twice_gives_the_same_rows():
    day = datetime.date(2026, 5, 4)
    _seed(day, 120, seed=3)
    rollup_day(day)
    first = sorted(DailyCount.objects.values_list("dimension", "language", "value", "views"))

    rollup_day(day)

    assert sorted(DailyCount.objects.values_list("dimension", "language", "value", "views")) == (
        first
    )


def test_an_empty_day_has_a_zero_total():
    rollup_day(datetime.date(2026, 5, 4))
    row = DailyCount.objects.get()
    assert (row.dimension, row.views, row.visitors) == (Dimension.TOTAL, 0, 0)


def test_the_nightly_job_rolls_up_yesterday_and_any_day_left_behind():
    _seed(datetime.date(2026, 5, 1), 10, seed=4)  # the job did not run that night
    _seed(datetime.date(2026, 5, 9), 10, seed=5)
    with time_machine.travel(datetime.datetime(2026, 5, 10, 4, 20, tzinfo=datetime.UTC)):
        assert days_pending() == [
            datetime.date(2026, 5, 1),
            datetime.date(2026, 5, 9),
            datetime.date(2026, 5, 10),
        ]
        rollup_pending()
        # Today's rollup was made today: it is redone tomorrow; the others are final.
        assert days_pending() == [datetime.date(2026, 5, 9), datetime.date(2026, 5, 10)]
    totals = dict(DailyCount.objects.filter(dimension=Dimension.TOTAL).values_list("day", "views"))
    assert totals[datetime.date(2026, 5, 1)] == 10
    assert totals[datetime.date(2026, 5, 9)] == 10


def test_raw_events_are_purged_after_90_days_and_the_rollups_are_kept():
    old_day, recent_day = datetime.date(2026, 1, 10), datetime.date(2026, 3, 1)
    _seed(old_day, 30, seed=6)
    _seed(recent_day, 20, seed=7)
    # 91 days after the old day, without any nightly job having run.
    with time_machine.travel(datetime.datetime(2026, 4, 11, 8, 0, tzinfo=datetime.UTC)):
        run = purge_expired_data()

    assert run is not None
    assert set(PageView.objects.values_list("day", flat=True)) == {recent_day}
    # The old day was rolled up before its events went: its counts remain.
    old_total = DailyCount.objects.get(day=old_day, dimension=Dimension.TOTAL)
    assert old_total.views == 30

    # On day 90 itself, the events of that day are still there.
    with time_machine.travel(datetime.datetime(2026, 5, 30, 8, 0, tzinfo=datetime.UTC)):
        purge_expired_data()
    assert PageView.objects.filter(day=recent_day).count() == 20


def test_the_registry_says_how_old_the_oldest_raw_event_is():
    source = personal_data_registry.get("analytics")
    assert source.oldest() is None
    _seed(datetime.date(2026, 2, 3), 3, seed=8)
    assert timezone.localdate(source.oldest()) == datetime.date(2026, 2, 3)
    assert source.automatic is True
    assert source.find is None  # a pseudonymous hash cannot be found for an e-mail address


def test_a_flood_of_invented_paths_cannot_grow_a_day_without_bound(monkeypatch):
    from csce.analytics import rollups

    monkeypatch.setattr(rollups, "MAX_VALUES_PER_DIMENSION", 5)
    day = datetime.date(2026, 5, 4)
    moment = timezone.make_aware(datetime.datetime(2026, 5, 4, 12))
    PageView.objects.bulk_create(
        PageView(
            occurred_at=moment,
            day=day,
            path=f"/fr/invented-{n}/",
            language="fr",
            device=Device.DESKTOP,
            visitor=n,
        )
        for n in range(40)
    )
    rollup_day(day)
    assert DailyCount.objects.filter(day=day, dimension=Dimension.PAGE).count() == 5
    assert DailyCount.objects.get(day=day, dimension=Dimension.TOTAL).views == 40


def test_counts_by_language_add_up_to_the_total():
    day = datetime.date(2026, 5, 4)
    views = _seed(day, 200, seed=9)
    rollup_day(day)
    by_language = dict(
        DailyCount.objects.filter(day=day, dimension=Dimension.LANGUAGE).values_list(
            "value", "views"
        )
    )
    assert by_language == dict(Counter(view.language for view in views))


def test_the_scheduled_job_rolls_up_and_prepares_the_dashboard(django_assert_max_num_queries):
    from csce.analytics.dashboard import period_last_days, statistics_read
    from csce.analytics.rollups import rollup_nightly
    from csce.common.schedule import job_schedule

    _seed(datetime.date(2026, 5, 9), 25, seed=10)
    with time_machine.travel(datetime.datetime(2026, 5, 10, 4, 20, tzinfo=datetime.UTC)):
        job_schedule.get("rollup_analytics").run()
        assert job_schedule.get("rollup_analytics").func is rollup_nightly
        period = period_last_days(days=7, today=datetime.date(2026, 5, 10))
        with django_assert_max_num_queries(1):  # the freshness check; the figures are cached
            statistics = statistics_read(period=period)
    assert DailyCount.objects.get(day=datetime.date(2026, 5, 9), dimension="total").views == 25
    assert statistics is not None
