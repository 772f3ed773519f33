"""The website statistics dashboard and its CSV export (policy P4, F): who enters, the
range form, the comparison, the tables' numbers, the CSV, both languages, and the cost
of a year of rollups (a few queries, then none on the rollups until they change)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from csce.accounts import roles
from csce.accounts.factories import staff_sign_in, staff_user
from csce.analytics import charts
from csce.analytics.dashboard import (
    MAX_RANGE_DAYS,
    Period,
    period_default,
    period_last_months,
    statistics_cache_warm,
    statistics_read,
)
from csce.analytics.models import DailyCount, Dimension, RollupRun

pytestmark = pytest.mark.django_db

DASHBOARD = "analytics_admin:dashboard"
EXPORT = "analytics_admin:export"


def sign_in(client, *, role: str | None = None, language: str = "fr", superuser=False):
    user = staff_user(
        username=f"stats-{(role or 'super')[:12]}-{language}",
        email="stats@example.org",
        role=role,
        superuser=superuser,
        language=language,
        verified=False,
    )
    staff_sign_in(client, user)
    return user


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def count(when, dimension=Dimension.TOTAL, value="", language="", *, views, visitors):
    return DailyCount(
        day=day(when) if isinstance(when, str) else when,
        dimension=dimension,
        language=language,
        value=value,
        views=views,
        visitors=visitors,
    )


def rolled_up(*days) -> None:
    """What the rollup job leaves beside its counts: one run per day."""
    now = timezone.now()
    for when in days:
        RollupRun.objects.update_or_create(
            day=day(when) if isinstance(when, str) else when,
            defaults={"rolled_up_at": now, "events": 1},
        )


@pytest.fixture
def november():
    """Three days of November 2026 and the three days before them, in every dimension."""
    rows = [
        # The previous period: 29 to 31 October.
        count("2026-10-29", views=10, visitors=4),
        count("2026-10-30", views=20, visitors=6),
        count("2026-10-31", views=30, visitors=10),
        # The range: 1 to 3 November.
        count("2026-11-01", views=30, visitors=10),
        count("2026-11-02", views=50, visitors=12),
        count("2026-11-03", views=10, visitors=5),
    ]
    for when, extra in (("2026-11-01", 0), ("2026-11-02", 5), ("2026-11-03", 1)):
        rows += [
            count(when, Dimension.PAGE, "/fr/", "fr", views=7 + extra, visitors=3),
            count(when, Dimension.PAGE, "/fr/services/", "fr", views=2, visitors=1),
            count(when, Dimension.PAGE, "/en/", "en", views=4, visitors=2),
            count(when, Dimension.ENTRY, "/fr/", "fr", views=3, visitors=3),
            count(when, Dimension.REFERRER, "", views=5, visitors=2),
            count(when, Dimension.REFERRER, "duckduckgo.com", views=3 + extra, visitors=1),
            count(
                when, Dimension.REFERRER, '=HYPERLINK("http://evil.example")', views=1, visitors=1
            ),
            count(when, Dimension.BROWSER, "Firefox", views=6, visitors=2),
            count(when, Dimension.BROWSER_VERSION, "Firefox 128", views=6, visitors=2),
            count(when, Dimension.OS, "Linux", views=6, visitors=2),
            count(when, Dimension.DEVICE, "mobile", views=8, visitors=3),
            count(when, Dimension.DEVICE, "desktop", views=4, visitors=2),
            count(when, Dimension.SCREEN, "small", views=8, visitors=3),
            count(when, Dimension.LANGUAGE, "fr", views=9 + extra, visitors=4),
            count(when, Dimension.LANGUAGE, "en", views=4, visitors=2),
            count(when, Dimension.PAGE, "-2+3", "fr", views=1, visitors=1),
            count(when, Dimension.PAGE, "@SUM(A1)", "en", views=1, visitors=1),
        ]
    DailyCount.objects.bulk_create(rows)
    rolled_up("2026-11-01", "2026-11-02", "2026-11-03")
    return Period(start=day("2026-11-01"), end=day("2026-11-03"))


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 12, tzinfo=datetime.UTC))
    return datetime.date(2026, 11, 20)


def query(period: Period, **extra) -> dict:
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), **extra}


def text_of(response) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def table_rows(response, caption_start: str) -> list[list[str]]:
    """The rows (header cell, then data cells) of the table whose caption starts so."""
    html = response.content.decode()
    for table in re.findall(r"<table.*?</table>", html, flags=re.S):
        caption = re.search(r"<caption>(.*?)</caption>", table, flags=re.S)
        if caption and unescape(caption.group(1)).strip().startswith(caption_start):
            body = re.search(r"<tbody>(.*?)</tbody>", table, flags=re.S).group(1)
            return [
                [
                    re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", cell))).strip()
                    for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
                ]
                for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
            ]
    raise AssertionError(f"no table captioned {caption_start!r}")


# --- who enters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (roles.AED, 200),
        (roles.COMMUNICATIONS, 200),
        (roles.ED, 403),
        (roles.CONTENT, 403),
        (roles.PRIVACY_OFFICER, 403),
        (roles.PROGRAM_STAFF, 403),
        (roles.TECHNICAL_ADMIN, 403),
    ],
)
def test_only_the_aed_and_communications_see_the_statistics(client, role, status):
    sign_in(client, role=role)
    assert client.get(reverse(DASHBOARD)).status_code == status
    assert client.get(reverse(EXPORT)).status_code == status
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    # The menu item is offered only to those who may open it.
    assert (reverse(DASHBOARD) in home) is (status == 200)


def test_the_403_says_who_reads_the_statistics_and_shows_no_number(client, november):
    sign_in(client, role=roles.CONTENT, language="en")
    response = client.get(reverse(DASHBOARD), query(november))
    assert response.status_code == 403
    assert "Assistant Executive Director and Communications" in response.content.decode()
    assert "duckduckgo.com" not in response.content.decode()


def test_the_break_glass_superuser_sees_them(client):
    sign_in(client, superuser=True)
    assert client.get(reverse(DASHBOARD)).status_code == 200


# --- the range ---------------------------------------------------------------------------


def test_the_default_range_is_the_last_30_complete_days(client, today):
    sign_in(client, role=roles.AED)
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    assert response.context["period"] == Period(start=day("2026-10-21"), end=day("2026-11-19"))
    assert period_default(today=today).days == 30
    html = response.content.decode()
    assert 'type="date"' in html
    assert 'value="2026-10-21"' in html
    assert 'value="2026-11-19"' in html
    assert "les 30 derniers jours complets" in text_of(response)
    # The presets: the default one is marked as the current range.
    current = re.findall(r'<a [^>]*aria-current="true"[^>]*>([^<]+)</a>', html)
    assert [c.strip() for c in current] == ["30 derniers jours"]


def test_presets_name_their_dates(client, today):
    sign_in(client, role=roles.AED, language="en")
    presets = {p["label"]: p["url"] for p in client.get(reverse(DASHBOARD)).context["presets"]}
    assert presets["Last 7 days"].endswith("start=2026-11-13&end=2026-11-19")
    assert presets["Last 90 days"].endswith("start=2026-08-22&end=2026-11-19")
    assert presets["Last 12 months"].endswith("start=2025-11-20&end=2026-11-19")


def test_twelve_months_from_the_end_of_february_of_a_leap_year():
    period = period_last_months(months=12, today=day("2024-03-01"))
    assert period == Period(start=day("2023-03-01"), end=day("2024-02-29"))
    # The previous period has as many days (366), not the same dates a year before.
    assert period.previous() == Period(start=day("2022-02-28"), end=day("2023-02-28"))


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("2026-11-10", "2026-11-01", "end", "La fin de la période précède son début."),
        ("2023-01-01", "2026-11-19", "end", "Choisissez une période d’au plus trois ans"),
        ("2026-02-31", "2026-11-01", "start", "Saisissez une date comme"),
        ("demain", "2026-11-01", "start", "Saisissez une date comme"),
        ("2026-11-01", "2026-11-21", "end", "Choisissez aujourd’hui ou un jour antérieur."),
        ("1999-12-31", "2000-01-02", "start", "Choisissez un jour à partir du"),
        ("0001-01-01", "0001-01-02", "start", "Choisissez un jour à partir du"),
        ("99999-01-01", "2026-11-01", "start", "Saisissez une date comme"),
        ("", "2026-11-01", "start", "Champ requis."),
    ],
)
def test_a_wrong_range_is_explained_next_to_its_field_and_kept(
    client, today, start, end, field, message
):
    sign_in(client, role=roles.COMMUNICATIONS)
    response = client.get(reverse(DASHBOARD), {"start": start, "end": end})
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    html = response.content.decode()
    # The message is in the field's own block, and what was typed is still there.
    block = html.split(f'name="{field}"')[0].rsplit("w-field__wrapper", 1)[1]
    assert message in unescape(block)
    assert f'value="{start}"' in html or start == ""
    assert f'value="{end}"' in html
    assert "<svg" not in html.split("</form>", 1)[1]  # no chart of a range that is not valid


def test_the_export_of_a_wrong_range_returns_to_the_form(client, today):
    sign_in(client, role=roles.AED)
    response = client.get(reverse(EXPORT), {"start": "2026-11-10", "end": "2026-11-01"})
    assert response.status_code == 302
    assert response["Location"].endswith("?start=2026-11-10&end=2026-11-01")


def test_the_longest_range_allowed_is_three_years(client, today):
    sign_in(client, role=roles.AED)
    end = day("2026-11-19")
    start = end - datetime.timedelta(days=MAX_RANGE_DAYS - 1)
    response = client.get(reverse(DASHBOARD), {"start": start, "end": end})
    assert response.status_code == 200
    assert len(response.context["series_rows"]) == MAX_RANGE_DAYS


# --- the numbers -------------------------------------------------------------------------


def test_the_comparison_adds_the_daily_rows_of_each_period(client, today, november):
    sign_in(client, role=roles.AED, language="en")
    response = client.get(reverse(DASHBOARD), query(november))
    assert response.status_code == 200
    views, visitors = response.context["comparisons"]
    # 30 + 50 + 10 views against 10 + 20 + 30: up 50 %; visitors 27 against 20: up 35 %.
    assert (views["value"], views["previous"], views["direction"]) == ("90", "60", "up")
    assert (visitors["value"], visitors["previous"]) == ("27", "20")
    text = text_of(response)
    assert "Up 50.0% from 60 in the previous period." in text
    assert "Up 35.0% from 20 in the previous period." in text
    assert "October 29, 2026 to October 31, 2026" in text
    assert "counted per day" in text  # what visitors over several days mean


def test_a_fall_is_said_in_words(client, today):
    DailyCount.objects.bulk_create(
        [count("2026-11-01", views=10, visitors=8), count("2026-11-02", views=5, visitors=8)]
    )
    sign_in(client, role=roles.AED)
    response = client.get(reverse(DASHBOARD), {"start": "2026-11-02", "end": "2026-11-02"})
    views, visitors = response.context["comparisons"]
    assert views["direction"] == "down"
    assert "En baisse de 50,0" in views["sentence"]
    assert visitors["direction"] == "same"
    assert "Inchangé" in visitors["sentence"]


def test_nothing_to_compare_with_is_said_too(client, today, november):
    sign_in(client, role=roles.AED, language="en")
    response = client.get(reverse(DASHBOARD), {"start": "2026-10-29", "end": "2026-11-03"})
    assert response.context["comparisons"][0]["direction"] is None
    assert "Nothing to compare with" in text_of(response)


def test_the_tables_hold_the_sums_of_the_range(client, today, november):
    sign_in(client, role=roles.AED, language="en")
    response = client.get(reverse(DASHBOARD), query(november))
    assert table_rows(response, "Views and visitors per day") == [
        ["November 1, 2026", "30", "10"],
        ["November 2, 2026", "50", "12"],
        ["November 3, 2026", "10", "5"],
    ]
    assert table_rows(response, "Most viewed pages in French") == [
        ["/fr/", "27", "9", "75.0%"],
        ["/fr/services/", "6", "3", "16.7%"],
        ["-2+3", "3", "3", "8.3%"],
    ]
    assert table_rows(response, "Most viewed pages in English")[0] == ["/en/", "12", "6", "80.0%"]
    referrers = table_rows(response, "Referring sites")
    # As many views: more visitors first.
    assert referrers[0] == ["Direct or unknown", "15", "6", "45.5%"]
    assert referrers[1] == ["duckduckgo.com", "15", "3", "45.5%"]
    assert table_rows(response, "Devices") == [
        ["Phone", "24", "9", "66.7%"],
        ["Computer", "12", "6", "33.3%"],
    ]
    assert table_rows(response, "Screen sizes") == [["Small (under 576 px)", "24", "9", "100.0%"]]
    assert table_rows(response, "Views per language") == [
        ["French", "33", "12", "73.3%"],
        ["English", "12", "6", "26.7%"],
    ]
    html = response.content.decode()
    # Each chart is an image with a name and a description, and its table is one click away.
    assert html.count('role="img"') == 1 + 1 + 10  # daily, share, ten breakdowns
    assert html.count("<details") == html.count("<summary>Show the data</summary>") == 12
    assert "FR 73.3%" in html  # the share inside its part of the bar


def test_the_line_chart_draws_one_point_per_day_and_dated_ticks(client, today, november):
    sign_in(client, role=roles.AED)
    response = client.get(reverse(DASHBOARD), query(november))
    line = response.context["line"]
    assert len(line["lines"]["views"].split()) == 3
    assert [t["label"] for t in line["x_ticks"]] == ["1er nov.", "2 nov.", "3 nov."]
    html = response.content.decode()
    assert 'stroke-dasharray="9 6"' in html  # visitors: dashed, not only another colour
    assert (
        " style=" not in html.split('<div class="csce-stats">', 1)[1]
    )  # strict CSP: no inline style


def test_one_day_draws_dots(client, today, november):
    sign_in(client, role=roles.AED)
    response = client.get(reverse(DASHBOARD), {"start": "2026-11-02", "end": "2026-11-02"})
    assert response.status_code == 200
    assert set(response.context["line"]["dots"]) == {"views", "visitors"}


def test_an_empty_range_says_so_in_words(client, today):
    sign_in(client, role=roles.COMMUNICATIONS, language="en")
    response = client.get(reverse(DASHBOARD), {"start": "2026-09-01", "end": "2026-09-30"})
    assert response.status_code == 200
    words = "No visits were recorded from September 1, 2026 to September 30, 2026"
    assert words in text_of(response)
    assert 'role="img"' not in response.content.decode()


def test_the_dashboard_speaks_french_by_default(client, today, november):
    sign_in(client, role=roles.COMMUNICATIONS)
    response = client.get(reverse(DASHBOARD), query(november))
    text = text_of(response)
    assert "Statistiques du site" in text
    assert "En hausse de 50,0" in text
    assert "Direct ou inconnu" in text
    assert "Téléphone" in text
    assert "Voir les données" in text
    first_day = table_rows(response, "Vues et visiteurs par jour")[0]
    assert first_day == ["1er novembre 2026", "30", "10"]


def _charts_and_tables(response) -> str:
    return response.content.decode().split('<div class="csce-stats">', 1)[1].split("</main>")[0]


def test_a_year_of_rollups_is_a_few_queries_then_cached(client, today):
    """A year of rollups: a few hundred rows a day, read by aggregate queries only."""
    end = day("2026-11-19")
    rows = []
    for offset in range(365):
        when = end - datetime.timedelta(days=offset)
        rows.append(count(when, views=1000 + offset, visitors=400))
        for n in range(40):
            rows.append(count(when, Dimension.PAGE, f"/fr/page-{n}/", "fr", views=n, visitors=1))
        for n in range(10):
            rows.append(count(when, Dimension.REFERRER, f"site{n}.example", views=3, visitors=1))
            rows.append(count(when, Dimension.BROWSER_VERSION, f"Firefox {n}", views=3, visitors=1))
    DailyCount.objects.bulk_create(rows, batch_size=2000)
    rolled_up(end)
    sign_in(client, role=roles.AED)
    year = {"start": "2025-11-20", "end": "2026-11-19"}
    client.get(reverse("wagtailadmin_home"))  # the session and the user are warm

    with CaptureQueriesContext(connection) as first:
        response = client.get(reverse(DASHBOARD), year)
    assert response.status_code == 200
    rollup_reads = [q["sql"] for q in first if "analytics_dailycount" in q["sql"]]
    assert len(rollup_reads) == 2  # the daily totals, and one GROUP BY for every breakdown
    assert all("GROUP BY" in sql or "group by" in sql.lower() for sql in rollup_reads)
    assert not [q for q in first if "analytics_pageview" in q["sql"]]
    # The rollups' version, then the two reads; the rest is the admin's own furniture
    # (session, second factor, permissions, menu), the same on every admin screen.
    assert len([q for q in first if "analytics_" in q["sql"]]) == 3
    assert len(first) <= 30, "\n".join(q["sql"][:150] for q in first)
    assert table_rows(response, "Pages les plus vues en français")[0] == [
        "/fr/page-39/",
        "14 235",
        "365",
        "5,0 %",
    ]

    with CaptureQueriesContext(connection) as second:
        again = client.get(reverse(DASHBOARD), year)
    assert _charts_and_tables(again) == _charts_and_tables(response)
    assert [q["sql"] for q in second if "analytics_" in q["sql"]] == [
        q["sql"] for q in first if "analytics_rolluprun" in q["sql"]
    ]
    assert len(second) == len(first) - 2


def test_the_other_language_reuses_the_numbers(client, today, november):
    sign_in(client, role=roles.AED)
    client.get(reverse(DASHBOARD), query(november))
    english = Client()
    sign_in(english, role=roles.COMMUNICATIONS, language="en")
    with CaptureQueriesContext(connection) as queries:
        response = english.get(reverse(DASHBOARD), query(november))
    assert "Up 50.0% from 60" in text_of(response)
    assert not [q for q in queries if "analytics_dailycount" in q["sql"]]


def test_the_presets_can_be_computed_ahead(today, november):
    periods = statistics_cache_warm(today=today)
    assert [p.days for p in periods] == [7, 30, 90, 365]
    with CaptureQueriesContext(connection) as queries:
        for period in periods:
            statistics_read(period=period)
    assert not [q for q in queries if "analytics_dailycount" in q["sql"]]


def test_a_new_rollup_shows_at_once(client, today, november):
    sign_in(client, role=roles.AED, language="en")
    assert statistics_read(period=november)["totals"]["views"] == 90
    DailyCount.objects.filter(dimension=Dimension.TOTAL, day=day("2026-11-03")).update(views=110)
    assert statistics_read(period=november)["totals"]["views"] == 90  # cached
    rolled_up("2026-11-03")  # the day rolled up again
    response = client.get(reverse(DASHBOARD), query(november))
    assert response.context["comparisons"][0]["value"] == "190"


# --- the CSV export ----------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads UTF-8 with the byte-order mark
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def test_the_csv_holds_the_range_in_the_staff_members_language(client, today, november):
    sign_in(client, role=roles.COMMUNICATIONS)
    response = client.get(reverse(EXPORT), query(november))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="statistiques-du-site-2026-11-01-2026-11-03.csv"'
    )
    rows = _csv(response)
    assert rows[0] == ["Tableau", "Jour ou valeur", "Langue", "Vues", "Visiteurs"]
    assert rows[1] == ["Totaux", "1er novembre 2026 au 3 novembre 2026", "", "90", "27"]
    assert rows[2][0] == "Totaux, période précédente"
    assert rows[2][3:] == ["60", "20"]
    assert ["Totaux quotidiens", "2026-11-02", "", "50", "12"] in rows
    assert ["Pages", "/fr/", "fr", "27", "9"] in rows
    assert ["Sites d’origine", "Direct ou inconnu", "", "15", "6"] in rows
    assert ["Appareils", "Téléphone", "", "24", "9"] in rows
    assert ["Langues", "Français", "", "33", "12"] in rows


def test_the_csv_defuses_spreadsheet_formulas_from_visitors(client, today, november):
    sign_in(client, role=roles.AED, language="en")
    rows = _csv(client.get(reverse(EXPORT), query(november)))
    values = [row[1] for row in rows]
    assert '\'=HYPERLINK("http://evil.example")' in values
    assert "'-2+3" in values
    assert "'@SUM(A1)" in values
    assert not [v for v in values if v.startswith(("=", "+", "-", "@"))]
    assert rows[0] == ["Table", "Day or value", "Language", "Views", "Visitors"]


def test_the_dashboard_links_to_the_csv_of_its_range(client, today, november):
    sign_in(client, role=roles.AED)
    response = client.get(reverse(DASHBOARD), query(november))
    assert response.context["export_url"] == (reverse(EXPORT) + "?start=2026-11-01&end=2026-11-03")
    assert response.context["export_url"].replace("&", "&amp;") in response.content.decode()


# --- the charts' geometry ----------------------------------------------------------------


def test_nice_steps_keep_round_ticks():
    assert [charts.nice_step(v) for v in (0, 0.3, 1, 3, 7, 12, 230, 2400)] == [
        1,
        1,
        1,
        5,
        10,
        20,
        250,
        2500,
    ]


def test_bars_are_proportional_and_long_labels_are_cut():
    chart = charts.bar_chart(
        rows=[
            {"label": "/fr/" + "x" * 80, "value": 200, "value_label": "200"},
            {"label": "/en/", "value": 50, "value_label": "50"},
        ]
    )
    first, second = chart["bars"]
    assert float(first["width"]) == 4 * float(second["width"])
    assert len(first["label"]) == charts.BAR_LABEL_CHARS
    assert first["label"].endswith("…")


def test_page_addresses_and_site_names_are_escaped_on_the_dashboard(client, today, november):
    """Rows stored before only page paths were kept, or markup in a referrer's path, show
    as text: the dashboard never runs what a browser sent (policy M)."""
    markup = "<script>alert(1)</script>"
    DailyCount.objects.bulk_create(
        [
            count("2026-11-02", Dimension.PAGE, f"/fr/{markup}/", "fr", views=90, visitors=9),
            count("2026-11-02", Dimension.REFERRER, f"{markup}.example", views=90, visitors=9),
        ]
    )
    sign_in(client, role=roles.AED, language="en")
    html = client.get(reverse(DASHBOARD), query(november)).content.decode()
    assert markup not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
