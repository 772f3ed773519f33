"""The website statistics dashboard in the Wagtail admin, and its CSV export (policy P4:
counts only, never a visitor). Only holders of ``analytics.view_statistics`` (the AED
and Communications, csce/accounts/roles.py) enter; everyone else gets a 403 (policy F).

The numbers come from ``dashboard.statistics_read`` (rollups only, cached); this module
turns them into words, charts and tables in the staff member's language.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from csce.common.admin_views import PermissionRequiredMixin
from csce.common.spreadsheet import spreadsheet_text
from csce.common.typography import date_display

from . import charts
from .admin_forms import StatisticsRangeForm
from .dashboard import (
    CACHE_SECONDS,
    Period,
    change_percent,
    period_last_days,
    period_last_months,
    statistics_cache_key,
    statistics_read,
)
from .models import Device, Dimension, Screen

VIEW_PERMISSION = "analytics.view_statistics"
# Each bar chart and its table show the first rows; the CSV export has them all.
TOP_ROWS = 10
# Spreadsheets run a cell that starts with one of these as a formula (CSV injection);
# paths and referring sites come from visitors.
LANGUAGE_NAMES = {"fr": _("French"), "en": _("English")}
# The first column of each breakdown's table.
COLUMNS = {
    Dimension.PAGE: _("Page"),
    Dimension.ENTRY: _("Page"),
    Dimension.REFERRER: _("Referring site"),
    Dimension.BROWSER: _("Browser"),
    Dimension.BROWSER_VERSION: _("Browser version"),
    Dimension.OS: _("Operating system"),
    Dimension.DEVICE: _("Device"),
    Dimension.SCREEN: _("Screen size"),
    Dimension.LANGUAGE: _("Language"),
}

# (anchor, title, help, dimension, page language or None for all)
SECTIONS = [
    (
        "pages-fr",
        _("Most viewed pages in French"),
        _("Views of each French page."),
        Dimension.PAGE,
        "fr",
    ),
    (
        "pages-en",
        _("Most viewed pages in English"),
        _("Views of each English page."),
        Dimension.PAGE,
        "en",
    ),
    (
        "entry",
        _("Entry pages"),
        _("The first page of a visit: where people arrive from another site or a link."),
        Dimension.ENTRY,
        None,
    ),
    (
        "referrers",
        _("Referring sites"),
        _(
            "The site a visitor came from. “Direct or unknown” counts typed addresses, "
            "bookmarks, e-mail and apps, and sites that do not say where a visitor came from."
        ),
        Dimension.REFERRER,
        None,
    ),
    ("browsers", _("Browsers"), _("Views per web browser."), Dimension.BROWSER, None),
    (
        "browser-versions",
        _("Browser versions"),
        _("Views per browser and major version: old versions tell what the site must support."),
        Dimension.BROWSER_VERSION,
        None,
    ),
    ("os", _("Operating systems"), _("Views per operating system."), Dimension.OS, None),
    (
        "devices",
        _("Devices"),
        _("Views per kind of device, told by the browser."),
        Dimension.DEVICE,
        None,
    ),
    (
        "screens",
        _("Screen sizes"),
        _("Views per width of the browser window."),
        Dimension.SCREEN,
        None,
    ),
    (
        "languages",
        _("Languages"),
        _("Views of the pages in each language."),
        Dimension.LANGUAGE,
        None,
    ),
]


class StatisticsPermissionMixin(PermissionRequiredMixin):
    permission = VIEW_PERMISSION
    forbidden_reason = _(
        "The website statistics are read by the Assistant Executive Director and Communications."
    )


# --- words and numbers in the staff member's language -----------------------------------


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def _percent(value: float) -> str:
    return gettext("%(percent)s%%") % {"percent": number_format(round(value, 1), decimal_pos=1)}


def _day(day) -> str:
    return date_display(day)


def _range(period: Period) -> str:
    return gettext("%(start)s to %(end)s") % {"start": _day(period.start), "end": _day(period.end)}


def value_label(dimension: str, value: str) -> str:
    """How a stored value reads on the dashboard and in the CSV."""
    if dimension == Dimension.REFERRER:
        return value or gettext("Direct or unknown")
    if dimension == Dimension.DEVICE and value in Device.values:
        return str(Device(value).label)
    if dimension == Dimension.SCREEN and value in Screen.values:
        return str(Screen(value).label)
    if dimension == Dimension.LANGUAGE and value in LANGUAGE_NAMES:
        return str(LANGUAGE_NAMES[value])
    return value or gettext("Unknown")


def _comparison(*, name: str, current: int, previous: int, has_previous: bool) -> dict:
    change = change_percent(current=current, previous=previous)
    values = {"previous": _number(previous)}
    if not has_previous or change is None:
        direction = None
        sentence = gettext("Nothing to compare with: no visits in the previous period.")
    elif change > 0:
        direction = "up"
        values["change"] = _percent(change)
        sentence = gettext("Up %(change)s from %(previous)s in the previous period.") % values
    elif change < 0:
        direction = "down"
        values["change"] = _percent(-change)
        sentence = gettext("Down %(change)s from %(previous)s in the previous period.") % values
    else:
        direction = "same"
        sentence = gettext("Unchanged from the previous period (%(previous)s).") % values
    return {
        "name": name,
        "value": _number(current),
        "previous": _number(previous),
        "direction": direction,
        "sentence": sentence,
    }


def _breakdown_rows(stats: dict, dimension: str, language: str | None) -> list[dict]:
    merged: dict[str, list[int]] = {}
    for row_language, value, views, visitors in stats["breakdowns"].get(dimension, []):
        if language is not None and row_language != language:
            continue
        sums = merged.setdefault(value, [0, 0])
        sums[0] += views
        sums[1] += visitors
    total_views = sum(views for views, _visitors in merged.values())
    rows = sorted(merged.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
    return [
        {
            "value": value,
            "label": value_label(dimension, value),
            "views": views,
            "visitors": visitors,
            "views_label": _number(views),
            "visitors_label": _number(visitors),
            "share_label": _percent(views * 100 / total_views) if total_views else "",
        }
        for value, (views, visitors) in rows
    ]


def _tick_label(period: Period):
    """How the chart names a day: « déc. 2026 » over a long range, « 3 déc. » (with the
    year when the range spans two) otherwise."""
    if period.days > 120:
        return lambda day: date_display(day, day=False, abbreviated=True)
    with_year = period.start.year != period.end.year
    return lambda day: date_display(day, year=with_year, abbreviated=True)


def _language_share(stats: dict) -> dict:
    rows = _breakdown_rows(stats, Dimension.LANGUAGE, None)
    order = {"fr": 0, "en": 1}
    rows.sort(key=lambda row: order.get(row["value"], 2))
    parts = [
        {
            "value": row["views"],
            "label": row["label"],
            "css": row["value"] if row["value"] in order else "other",
            "short": f"{(row['value'] or '?').upper()} {row['share_label']}",
            "text": gettext("%(language)s: %(share)s of views (%(views)s)")
            % {"language": row["label"], "share": row["share_label"], "views": row["views_label"]},
        }
        for row in rows
        if row["views"]
    ]
    return {"rows": rows, "chart": charts.share_chart(parts=parts) if parts else None}


def dashboard_context(*, stats: dict, period: Period) -> dict:
    """Everything the template shows for ``stats`` of ``period``, labels translated."""
    previous = period.previous()
    has_previous = stats["previous"]["days_with_data"] > 0
    totals = stats["totals"]
    series = stats["series"]
    days = [row[0] for row in series]
    busiest = max(series, key=lambda row: (row[1], -row[0].toordinal())) if series else None
    line = charts.line_chart(
        days=days,
        series={"views": [row[1] for row in series], "visitors": [row[2] for row in series]},
        day_label=_tick_label(period),
        number_label=_number,
    )
    sections = []
    for anchor, title, help_text, dimension, language in SECTIONS:
        rows = _breakdown_rows(stats, dimension, language)
        shown = rows[:TOP_ROWS]
        sections.append(
            {
                "id": anchor,
                "title": title,
                "help": help_text,
                "column": COLUMNS[dimension],
                "rows": shown,
                "count": len(rows),
                "more": len(rows) > len(shown),
                "chart": charts.bar_chart(
                    rows=[
                        {"label": r["label"], "value": r["views"], "value_label": r["views_label"]}
                        for r in shown
                    ]
                ),
            }
        )
    return {
        "period": period,
        "period_label": _range(period),
        "previous_label": _range(previous),
        "has_data": totals["views"] > 0,
        "comparisons": [
            _comparison(
                name=gettext("Views"),
                current=totals["views"],
                previous=stats["previous"]["views"],
                has_previous=has_previous,
            ),
            _comparison(
                name=gettext("Visitors"),
                current=totals["visitors"],
                previous=stats["previous"]["visitors"],
                has_previous=has_previous,
            ),
        ],
        "line": line,
        "line_summary": (
            gettext(
                "From %(start)s to %(end)s: %(views)s views and %(visitors)s visitors. "
                "The busiest day was %(day)s, with %(day_views)s views."
            )
            % {
                "start": _day(period.start),
                "end": _day(period.end),
                "views": _number(totals["views"]),
                "visitors": _number(totals["visitors"]),
                "day": _day(busiest[0]),
                "day_views": _number(busiest[1]),
            }
            if busiest and totals["views"]
            else ""
        ),
        "series_rows": [
            {
                "day": day,
                "label": _day(day),
                "views": _number(views),
                "visitors": _number(visitors),
            }
            for day, views, visitors in series
        ],
        "sections": sections,
        "share": _language_share(stats),
    }


def dashboard_shown(*, period: Period) -> dict:
    """``dashboard_context`` of ``period`` in the active language, cached with the numbers
    it comes from (the same key, one per language): a second opening formats nothing."""
    key = statistics_cache_key(period=period)
    shown_key = f"{key}:{get_language()}"
    shown = cache.get(shown_key)
    if shown is None:
        shown = dashboard_context(stats=statistics_read(period=period, key=key), period=period)
        cache.set(shown_key, shown, CACHE_SECONDS)
    return shown


def _presets(*, today, current: Period | None) -> list[dict]:
    url = reverse("analytics_admin:dashboard")
    presets = [
        (gettext("Last 7 days"), period_last_days(days=7, today=today)),
        (gettext("Last 30 days"), period_last_days(days=30, today=today)),
        (gettext("Last 90 days"), period_last_days(days=90, today=today)),
        (gettext("Last 12 months"), period_last_months(months=12, today=today)),
    ]
    return [
        {
            "label": label,
            "url": f"{url}?{urlencode({'start': p.start.isoformat(), 'end': p.end.isoformat()})}",
            "current": p == current,
        }
        for label, p in presets
    ]


class StatisticsDashboardView(StatisticsPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "analytics/admin/dashboard.html"
    page_title = _("Website statistics")
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        today = timezone.localdate()
        form = StatisticsRangeForm(request.GET, today=today)
        context = self.get_context_data(form=form)
        period = form.period() if form.is_valid() else None
        context["presets"] = _presets(today=today, current=period)
        if period is None:
            return self.render_to_response(context, status=400)
        context.update(dashboard_shown(period=period))
        context["export_url"] = (
            reverse("analytics_admin:export")
            + "?"
            + urlencode({"start": period.start.isoformat(), "end": period.end.isoformat()})
        )
        return self.render_to_response(context)

    def render_to_response(self, context, status=200, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response.status_code = status
        return response


def _csv_cell(value):
    if not isinstance(value, str):
        return value
    return spreadsheet_text(value)


def statistics_csv(*, stats: dict, period: Period) -> str:
    """The range's totals, daily series and every breakdown, one table column first, in
    the active language; cells that a spreadsheet would run are made text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            gettext("Table"),
            gettext("Day or value"),
            gettext("Language"),
            gettext("Views"),
            gettext("Visitors"),
        ]
    )
    totals = gettext("Totals")
    writer.writerow(
        [totals, _range(period), "", stats["totals"]["views"], stats["totals"]["visitors"]]
    )
    writer.writerow(
        [
            gettext("Totals, previous period"),
            _range(period.previous()),
            "",
            stats["previous"]["views"],
            stats["previous"]["visitors"],
        ]
    )
    daily = gettext("Daily totals")
    for day, views, visitors in stats["series"]:
        writer.writerow([daily, day.isoformat(), "", views, visitors])
    for dimension in Dimension:
        if dimension == Dimension.TOTAL:
            continue
        for language, value, views, visitors in stats["breakdowns"].get(dimension.value, []):
            writer.writerow(
                [
                    _csv_cell(str(dimension.label)),
                    _csv_cell(value_label(dimension, value)),
                    _csv_cell(language),
                    views,
                    visitors,
                ]
            )
    return buffer.getvalue()


class StatisticsExportView(StatisticsPermissionMixin, View):
    def get(self, request, *args, **kwargs):
        form = StatisticsRangeForm(request.GET, today=timezone.localdate())
        if not form.is_valid():
            # The dashboard shows what is wrong, next to the field, with the typed values.
            return redirect(f"{reverse('analytics_admin:dashboard')}?{request.GET.urlencode()}")
        period = form.period()
        content = statistics_csv(stats=statistics_read(period=period), period=period)
        # The byte-order mark makes Excel read the file as UTF-8 (accents, « », …).
        response = HttpResponse("\ufeff" + content, content_type="text/csv; charset=utf-8")
        # Translators: start of the CSV file name; ASCII letters, digits and hyphens only.
        name = gettext("website-statistics")
        response["Content-Disposition"] = (
            f'attachment; filename="{name}-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}.csv"'
        )
        return response
