"""The website statistics dashboard in Chromium (policy P5, R: the AED sees how the site is used).

A member of Communications reaches it from the admin menu, in French then in English,
over seeded rollups: axe finds nothing to fix (the charts, the forms, the open data
tables), the admin's strict CSP is never broken, the range form is filled and sent with
the keyboard (a wrong range first: its message next to the field, the values kept), a
chart's data table opens from the keyboard, and the CSV export downloads.
"""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

from csce.accounts.roles import COMMUNICATIONS

from .helpers import (
    axe_violations,
    csp_violations_listen,
    manage_shell,
    mfa_sign_in,
    role_account_create,
)

# Thirty days of rollups ending yesterday (the server's local day), in every dimension.
ROLLUPS_SEED = """
import datetime
from django.utils import timezone
from csce.analytics.models import DailyCount, RollupRun

yesterday = timezone.localdate() - datetime.timedelta(days=1)
rows = []
for offset in range(30):
    day = yesterday - datetime.timedelta(days=offset)
    def add(dimension, value="", language="", views=0, visitors=0):
        rows.append(DailyCount(day=day, dimension=dimension, language=language, value=value,
                               views=views, visitors=visitors))
    add("total", views=120 + offset, visitors=40 + offset % 7)
    add("page", "/fr/", "fr", 50, 20)
    add("page", "/fr/services/soins-a-domicile/", "fr", 30 + offset, 12)
    add("page", "/en/", "en", 25, 10)
    add("entry", "/fr/", "fr", 30, 20)
    add("referrer", "", views=70, visitors=25)
    add("referrer", "duckduckgo.com", views=50, visitors=15)
    add("browser", "Firefox", views=60, visitors=20)
    add("browser", "Chrome", views=60, visitors=20)
    add("browser_version", "Firefox 128", views=60, visitors=20)
    add("os", "Android", views=80, visitors=30)
    add("device", "mobile", views=80, visitors=30)
    add("device", "desktop", views=40, visitors=10)
    add("screen", "small", views=80, visitors=30)
    add("language", "fr", views=90, visitors=30)
    add("language", "en", views=30, visitors=10)
    RollupRun.objects.update_or_create(
        day=day, defaults={"rolled_up_at": timezone.now(), "events": 120}
    )
DailyCount.objects.filter(day__gte=yesterday - datetime.timedelta(days=29)).delete()
DailyCount.objects.bulk_create(rows)
"""

PREFERRED_LANGUAGE_SET = """
from django.contrib.auth import get_user_model
from wagtail.users.models import UserProfile
profile = UserProfile.get_for_user(get_user_model().objects.get(username=username))
profile.preferred_language = language
profile.save()
"""

WORDS = {
    "fr": {
        "title": "Statistiques du site",
        "data": "Voir les données",
        "error": "La fin de la période précède son début.",
        "file": "statistiques-du-site-",
    },
    "en": {"title": "Website statistics", "data": "Show the data"},
}


def _type_date(page, selector: str, day: datetime.date) -> None:
    """Type a date into a native date input with the keyboard, segment by segment. The
    order of the segments follows Chromium's own locale (month, day, year here, whatever
    the page's language): each order is tried until the input holds the date."""
    field = page.locator(selector)
    for order in ("%m%d%Y", "%Y%m%d", "%d%m%Y"):
        field.evaluate("input => input.blur()")
        field.focus()
        page.keyboard.type(day.strftime(order))
        if field.input_value() == day.isoformat():
            return
    raise AssertionError(f"{selector} holds {field.input_value()!r}, not {day}")


def test_communications_reads_the_statistics_in_french_and_english(browser, site_server):
    manage_shell(site_server, ROLLUPS_SEED)
    yesterday = datetime.datetime.now(ZoneInfo("America/Toronto")).date() - datetime.timedelta(
        days=1
    )
    week_start = yesterday - datetime.timedelta(days=6)
    username, password = role_account_create(site_server, role=COMMUNICATIONS, language="fr")
    context = browser.new_context(base_url=site_server["url"], locale="en-CA")
    page = context.new_page()
    page.set_default_timeout(30_000)
    csp_violations: list[str] = []
    csp_violations_listen(page, csp_violations)
    try:
        mfa_sign_in(page, username, password, {})
        # Reached from the menu, in the member's language (not the browser's).
        page.locator("#wagtail-sidebar a[href='/admin/analytics/']").click()
        page.wait_for_url(re.compile(r"/admin/analytics/$"))
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == "fr"
        assert WORDS["fr"]["title"] in page.locator("h1").inner_text()
        assert page.locator("svg[role=img]").count() == 12
        assert axe_violations(page) == []

        # A wrong range, typed and sent with the keyboard: told next to the field, kept.
        _type_date(page, "#id_start", week_start)
        _type_date(page, "#id_end", week_start - datetime.timedelta(days=1))
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"\?start="))
        page.wait_for_load_state("networkidle")
        end_field = page.locator(".w-field__wrapper", has=page.locator("#id_end"))
        assert WORDS["fr"]["error"] in end_field.inner_text()
        assert page.locator("#id_start").input_value() == week_start.isoformat()
        assert page.locator("svg[role=img]").count() == 0
        assert axe_violations(page) == []

        # Corrected: the last seven days.
        _type_date(page, "#id_end", yesterday)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"end={yesterday.isoformat()}"))
        page.wait_for_load_state("networkidle")
        assert page.locator("#id_start").input_value() == week_start.isoformat()
        assert page.locator("svg[role=img]").count() == 12

        # A chart's data table opens from the keyboard.
        summary = page.locator("#daily-heading ~ details summary")
        summary.focus()
        page.keyboard.press("Enter")
        table = page.locator("#daily-heading ~ details table")
        assert table.is_visible()
        assert table.locator("tbody tr").count() == 7
        assert axe_violations(page) == []

        with page.expect_download() as download:
            page.locator(f"a[href*='/admin/analytics/export/?start={week_start}']").click()
        name = download.value.suggested_filename
        assert name == f"{WORDS['fr']['file']}{week_start}-{yesterday}.csv"
        assert download.value.path().read_bytes().startswith(b"\xef\xbb\xbf")

        # The same screen in English, once the member prefers it.
        manage_shell(
            site_server, f"username, language = {username!r}, 'en'\n{PREFERRED_LANGUAGE_SET}"
        )
        page.reload()
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == "en"
        assert WORDS["en"]["title"] in page.locator("h1").inner_text()
        for summary in page.get_by_text(WORDS["en"]["data"], exact=True).all():
            summary.click()  # every data table open: axe checks them too
        assert page.locator("details[open]").count() == 12
        assert axe_violations(page) == []
        # At 200 % zoom of a 1280-pixel screen: the charts scroll sideways, still clean.
        page.set_viewport_size({"width": 640, "height": 900})
        assert axe_violations(page) == []
        assert csp_violations == []
    finally:
        context.close()
