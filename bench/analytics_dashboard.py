"""Analytics at one year of volume on PostgreSQL: rollups and the statistics dashboard.

Usage: .venv/bin/python bench/analytics_dashboard.py [rows] [--keep] [--skip-rollups]
        (DATABASE_URL names the PostgreSQL server; the scratch database
        ``benchanalytics_dashboard`` is created beside it and dropped at the end, unless
        --keep, in which case a later run with the same row count reuses its page views).
        Results go to docs/benchmarks.md with this command.

1. Seeds ``rows`` raw page views (10,000,000 by default) spread evenly over the 365 days
   that end yesterday, with one INSERT ... SELECT generate_series per million rows: about
   200 pages in French and English (a few much more viewed than the rest), referring
   sites on entry views, browsers with their versions, OS, devices and screens that go
   together, and visitor hashes drawn from a pool of 9,000 per day (so each day has
   about 8,000 unique visitors).
2. Builds the rollups with the real code, ``rollup_day`` for each day, and times it; then
   times the nightly job for one day (``rollup_pending``: yesterday and today).
3. Times the dashboard for the year (the "Last 12 months" preset): the admin view
   ``StatisticsDashboardView`` called with a RequestFactory request of a superuser, its
   template rendered in French; cold (cache cleared before each run) and warm (cached),
   with the number of SQL queries. The admin's middleware (session, MFA, CSP) is not
   part of the time. The computation alone (``statistics_compute``) is timed too.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
ARGS = [a for a in sys.argv[1:] if not a.startswith("--")]
ROWS = int(ARGS[0]) if ARGS else 10_000_000
KEEP = "--keep" in sys.argv
# With --keep, a later run can time the dashboard again without rebuilding the rollups.
SKIP_ROLLUPS = "--skip-rollups" in sys.argv
DAYS = 365
CHUNK = 1_000_000
RUNS = 7
NAME = "benchanalytics_dashboard"

# (path, language): a home, sections, services, news and pages in each language.
PAGES = [("/fr/", "fr"), ("/en/", "en")]
for _lang, _words in (
    ("fr", ("services", "nouvelles", "a-propos", "programmes", "carrieres", "evenements")),
    ("en", ("services", "news", "about", "programs", "careers", "events")),
):
    _count = 110 if _lang == "fr" else 88
    for _i in range(_count - len(_words)):
        _section = _words[_i % len(_words)]
        PAGES.append((f"/{_lang}/{_section}/page-{_i + 1}/", _lang))
    PAGES += [(f"/{_lang}/{w}/", _lang) for w in _words]
REFERRERS = [""] * 6 + [
    "google.com",
    "google.ca",
    "bing.com",
    "duckduckgo.com",
    "facebook.com",
    "m.facebook.com",
    "linkedin.com",
    "instagram.com",
    "ontario.ca",
    "canada.ca",
    "santeontario.ca",
    "ontariohealth.ca",
    "search.yahoo.com",
    "ecosia.org",
    "reddit.com",
    "x.com",
    "youtube.com",
    "radio-canada.ca",
    "cbc.ca",
    "ledroit.com",
    "ottawacitizen.com",
    "afo.ca",
    "aohc.org",
    "211ontario.ca",
    "indeed.com",
    "glassdoor.ca",
    "outlook.live.com",
    "mail.google.com",
    "teams.microsoft.com",
    "wikipedia.org",
]
# browser|major|OS|device, the most common first.
CLIENTS = (
    [f"Chrome|{v}|Windows|desktop" for v in range(131, 118, -1)]
    + [f"Chrome Mobile|{v}|Android|mobile" for v in range(131, 120, -1)]
    + [f"Mobile Safari|{v}|iOS|mobile" for v in (18, 17, 16, 15)]
    + [f"Edge|{v}|Windows|desktop" for v in range(131, 124, -1)]
    + [f"Firefox|{v}|Windows|desktop" for v in (133, 132, 131, 128, 115)]
    + [f"Safari|{v}|Mac OS X|desktop" for v in (18, 17, 16)]
    + [f"Chrome|{v}|Mac OS X|desktop" for v in (131, 130, 129)]
    + [f"Mobile Safari|{v}|iOS|tablet" for v in (18, 17, 16)]
    + [f"Samsung Internet|{v}|Android|mobile" for v in (27, 26, 25, 23)]
    + [f"Chrome|{v}|Android|tablet" for v in (131, 130)]
    + [f"Firefox|{v}|Linux|desktop" for v in (133, 128, 115)]
    + [f"Chrome|{v}|Chrome OS|desktop" for v in (131, 130)]
    + [f"Firefox Mobile|{v}|Android|mobile" for v in (133, 132)]
    + ["Opera|115|Windows|desktop", "Chrome|131|Linux|desktop", "Yandex Browser|24|Windows|desktop"]
)

SEED_SQL = """
INSERT INTO analytics_pageview (occurred_at, day, path, language, referrer_host, browser,
    browser_version, os, device, screen, entry, visitor)
SELECT (day + time '08:00') AT TIME ZONE 'America/Toronto' + r_time * interval '14 hours',
    day, split_part(page, '|', 1), split_part(page, '|', 2),
    CASE WHEN entry
        THEN (%(referrers)s::text[])[1 + floor(r_ref ^ 2 * %(n_referrers)s)::int]
        ELSE '' END,
    split_part(client, '|', 1), split_part(client, '|', 2), split_part(client, '|', 3),
    split_part(client, '|', 4),
    CASE split_part(client, '|', 4)
        WHEN 'mobile' THEN CASE WHEN r_screen < 0.97 THEN 'small' ELSE 'medium' END
        WHEN 'tablet' THEN CASE WHEN r_screen < 0.6 THEN 'medium' ELSE 'large' END
        ELSE (ARRAY['large', 'large', 'wide', 'wide', 'medium', ''])[1 + floor(r_screen * 6)::int]
    END,
    entry,
    ('x' || substr(md5(day::text || ':' || floor(r_visitor * 9000)::text), 1, 16))::bit(64)::bigint
FROM (
    SELECT %(first_day)s::date + (g %% %(days)s) AS day,
        (%(pages)s::text[])[1 + floor(random() ^ 2.5 * %(n_pages)s)::int] AS page,
        (%(clients)s::text[])[1 + floor(random() ^ 2 * %(n_clients)s)::int] AS client,
        random() < 0.35 AS entry,
        random() AS r_time, random() AS r_ref, random() AS r_screen, random() AS r_visitor
    FROM generate_series(%(start)s, %(stop)s) AS g
) AS drawn
"""


def _setup(database_url: str, data_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "csce.settings.dev"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DATA_DIR"] = data_dir
    sys.path.insert(0, str(REPO))
    import django

    django.setup()


def _seed(first_day) -> float:
    from django.db import connection

    from csce.analytics.models import PageView

    existing = PageView.objects.count()
    if existing == ROWS:
        print(f"reusing the {ROWS:,} page views kept by a previous run (--keep)")
        return 0.0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE analytics_pageview, analytics_dailycount, analytics_rolluprun")
        for start in range(0, ROWS, CHUNK):
            cursor.execute(
                SEED_SQL,
                {
                    "first_day": first_day,
                    "days": DAYS,
                    "pages": [f"{path}|{lang}" for path, lang in PAGES],
                    "n_pages": len(PAGES),
                    "clients": CLIENTS,
                    "n_clients": len(CLIENTS),
                    "referrers": REFERRERS,
                    "n_referrers": len(REFERRERS),
                    "start": start,
                    "stop": min(start + CHUNK, ROWS) - 1,
                },
            )
            print(f"  {min(start + CHUNK, ROWS):,} rows, {time.perf_counter() - started:.0f} s")
        cursor.execute("VACUUM ANALYZE analytics_pageview")
    elapsed = time.perf_counter() - started
    print(f"seeded {ROWS:,} page views in {elapsed:.1f} s ({ROWS / elapsed:,.0f} rows/s)")
    return elapsed


def _describe(first_day) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT path), count(DISTINCT referrer_host), "
            "count(DISTINCT (browser, browser_version)), count(DISTINCT os) "
            "FROM analytics_pageview WHERE day = %s",
            [first_day],
        )
        pages, referrers, versions, systems = cursor.fetchone()
        cursor.execute(
            "SELECT count(*), count(DISTINCT visitor) FROM analytics_pageview WHERE day = %s",
            [first_day],
        )
        views, visitors = cursor.fetchone()
    print(
        f"one day: {views:,} views, {visitors:,} unique visitors, {pages} pages, "
        f"{referrers} referrers, {versions} browser versions, {systems} OS"
    )


def _rollups(first_day, last_day) -> None:
    import datetime

    from django.utils import timezone

    from csce.analytics.models import DailyCount
    from csce.analytics.rollups import rollup_day, rollup_pending

    times = []
    started = time.perf_counter()
    day = first_day
    while day <= last_day:
        one = time.perf_counter()
        rollup_day(day)
        times.append(time.perf_counter() - one)
        day += datetime.timedelta(days=1)
    elapsed = time.perf_counter() - started
    print(
        f"rollup_day for {len(times)} days: {elapsed:.1f} s ({ROWS / elapsed:,.0f} events/s); "
        f"per day median {statistics.median(times) * 1000:.0f} ms, "
        f"worst {max(times) * 1000:.0f} ms; {DailyCount.objects.count():,} DailyCount rows"
    )
    nightly = []
    for _ in range(3):
        one = time.perf_counter()
        rollup_pending(timezone.now())
        nightly.append(time.perf_counter() - one)
    print(
        "nightly job rollup_pending (yesterday and today, raw table of "
        f"{ROWS:,} rows): median {statistics.median(nightly) * 1000:.0f} ms, "
        f"worst {max(nightly) * 1000:.0f} ms"
    )
    one_day = []
    for _ in range(3):
        one = time.perf_counter()
        rollup_day(last_day)
        one_day.append(time.perf_counter() - one)
    print(
        f"rollup_day(yesterday) alone: median {statistics.median(one_day) * 1000:.0f} ms, "
        f"worst {max(one_day) * 1000:.0f} ms"
    )


def _analyze() -> None:
    """What autovacuum does within a minute of a bulk insert. Without it, the planner
    believes the 185,000 fresh rollup rows are 5, and sorts them on disk (0.5 s) instead
    of hashing them; a site rolls up ~500 rows a night, its statistics stay current."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE analytics_dailycount")


def _dashboard(today) -> None:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    from csce.analytics.admin_views import StatisticsDashboardView
    from csce.analytics.dashboard import period_last_months, statistics_compute

    period = period_last_months(months=12, today=today)
    user = get_user_model().objects.filter(username="bench-statistics").first()
    if user is None:
        user = get_user_model().objects.create_superuser(
            "bench-statistics", "bench@example.org", None
        )
    view = StatisticsDashboardView.as_view()
    url = reverse("analytics_admin:dashboard")
    query = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    factory = RequestFactory()

    def one_request() -> tuple[float, int, int]:
        request = factory.get(url, query)
        request.user = user
        request.session = {}
        request._messages = []
        with translation.override("fr"), CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = view(request)
            response.render()
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        return elapsed, len(queries), len(response.content)

    one_request()  # imports, template compilation, translations: once per process
    cold, warm = [], []
    for _ in range(RUNS):
        cache.clear()
        cold.append(one_request())
    for _ in range(RUNS):
        warm.append(one_request())
    compute = []
    for _ in range(RUNS):
        started = time.perf_counter()
        statistics_compute(period=period)
        compute.append(time.perf_counter() - started)
    print(f"dashboard {period.start} to {period.end} ({period.days} days), {RUNS} runs each:")
    for label, runs in (("cold (cache cleared)", cold), ("warm (cached)", warm)):
        times = [r[0] * 1000 for r in runs]
        print(
            f"  {label}: median {statistics.median(times):.0f} ms, worst {max(times):.0f} ms, "
            f"{runs[-1][1]} SQL queries, {runs[-1][2]:,} bytes of HTML"
        )
    print(
        f"  statistics_compute alone (the rollup queries): median "
        f"{statistics.median(compute) * 1000:.0f} ms, worst {max(compute) * 1000:.0f} ms"
    )


def main() -> None:
    import datetime

    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/benchanalytics")
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL server (postgres://user@host:port/db).")
    admin = parsed._replace(path="/postgres").geturl()
    scratch = parsed._replace(path=f"/{NAME}").geturl()
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{NAME}"')
    data_dir = tempfile.mkdtemp(prefix="csce-bench-analytics-")
    try:
        env = {
            **os.environ,
            "DATABASE_URL": scratch,
            "DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "csce.settings.dev",
        }
        for command in ("migrate", "collectstatic"):  # as `manage.py serve` does
            subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
                [sys.executable, "manage.py", command, "--no-input", "-v0", "--skip-checks"],
                cwd=REPO,
                env=env,
                check=True,
            )
        _setup(scratch, data_dir)
        from django.utils import timezone

        today = timezone.localdate()
        first_day = today - datetime.timedelta(days=DAYS)
        last_day = today - datetime.timedelta(days=1)
        _seed(first_day)
        _describe(first_day)
        if not SKIP_ROLLUPS:
            _rollups(first_day, last_day)
        _analyze()
        _dashboard(today)
    finally:
        if "django" in sys.modules and os.environ.get("DATABASE_URL") == scratch:
            from django.db import connections

            connections.close_all()
        shutil.rmtree(data_dir, ignore_errors=True)
        if not KEEP:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')


if __name__ == "__main__":
    main()
