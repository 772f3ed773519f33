"""Every ``datetime`` attribute is a valid HTML date or date-and-time string, which
screen readers, search engines and calendars read (WCAG 4.1.1, parsing)."""

from __future__ import annotations

import datetime
import re
import zoneinfo

import pytest

from csce.common.templatetags.html_time import html_datetime
from csce.pages.factories import site_every_page_type
from csce.pages.models import NewsIndexPage, NewsPage, PrivacyNoticePage
from csce.privacy.models import PrivacyNoticeVersion

# HTML's valid date, time, local and global date and time strings (seconds: at most three
# decimals).
DATE = r"\d{4,}-\d{2}-\d{2}"
TIME = r"\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?"
ZONE = r"(?:Z|[+-]\d{2}:?\d{2})"
VALID = re.compile(rf"(?:{DATE}|{TIME}|{DATE}[T ]{TIME}{ZONE}?)")
ATTRIBUTE = re.compile(r"""\sdatetime=(["'])(.*?)\1""")

pytestmark = pytest.mark.django_db


def test_a_time_with_microseconds_becomes_whole_seconds_with_its_offset(settings):
    settings.TIME_ZONE = "America/Toronto"
    moment = datetime.datetime(2026, 12, 3, 19, 5, 0, 123456, tzinfo=datetime.UTC)
    assert html_datetime(moment) == "2026-12-03T14:05:00-05:00"
    local = moment.astimezone(zoneinfo.ZoneInfo("America/Toronto"))
    assert VALID.fullmatch(html_datetime(local))
    assert html_datetime(datetime.date(2026, 12, 3)) == "2026-12-03"
    assert html_datetime(None) == ""


def _paths() -> list[str]:
    paths = [f"/{language}/" for language in ("fr", "en")]
    paths += [page.get_url() for page in NewsPage.objects.live()]
    for notice in PrivacyNoticePage.objects.live():
        url = notice.get_url()
        language = notice.locale.language_code
        paths += [url, f"{url}?versions"]
        paths += [
            f"{url}?version={number}"
            for number in PrivacyNoticeVersion.objects.filter(language=language).values_list(
                "number", flat=True
            )
        ]
    paths += [page.get_url() for page in NewsIndexPage.objects.live()]
    return paths


def test_every_datetime_attribute_of_the_public_pages_is_valid_html(client):
    site_every_page_type()  # news, the notice and its first versions, in both languages
    # A published version with microseconds, as every publication records.
    published = PrivacyNoticeVersion.objects.values_list("published_at", flat=True)
    assert any(moment.microsecond for moment in published)
    seen = []
    for path in _paths():
        response = client.get(path)
        assert response.status_code == 200, path
        for _quote, value in ATTRIBUTE.findall(response.content.decode()):
            seen.append(value)
            assert VALID.fullmatch(value), f"{path}: datetime={value!r}"
    assert any("T" in value for value in seen), "no date and time was checked"
