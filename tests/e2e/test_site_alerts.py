"""Site alerts in a real browser: the banner in each language, its named region, axe clean,
without JavaScript, and gone once deleted (policy P2)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from axe_playwright_python.sync_playwright import Axe

from .helpers import AXE_OPTIONS, REPO

ALERTS = [
    ("urgent", "Avis d’ébullition de l’eau pour tout le quartier.", "Boil-water advisory."),
    ("closure", "Le centre est fermé aujourd’hui : tempête.", "The centre is closed today: storm."),
    ("information", "Horaire des fêtes : fermé le 25 décembre.", "Holiday hours: closed Dec. 25."),
]
CREATE = """
import datetime, json, sys
from django.utils import timezone
from wagtail.models import Page
from csce.pages.models import NewsPage, SiteAlert
news = NewsPage.objects.live().filter(locale__language_code="fr").order_by("path").first()
for kind, french, english in json.loads(sys.argv[1]):
    alert = SiteAlert(
        kind=kind, text_fr=french, text_en=english, link_page=news,
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        ends_at=timezone.now() + datetime.timedelta(hours=2),
    )
    alert.full_clean()
    alert.save()
"""
DELETE = """
from csce.pages.models import SiteAlert
for alert in SiteAlert.objects.all():
    alert.delete()
"""


def _run(site_server, code: str, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}", *args],
        cwd=REPO,
        env=site_server["env"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture
def alerts(site_server):
    """Three live alerts, one of each kind, made the way staff save them; deleted after."""
    import json

    _run(site_server, CREATE, json.dumps(ALERTS))
    yield ALERTS
    _run(site_server, DELETE)


@pytest.mark.parametrize(
    ("path", "language", "region", "column"),
    [("/fr/", "fr", "Avis importants", 1), ("/en/", "en", "Important notices", 2)],
)
def test_the_banner_speaks_the_pages_language_and_passes_axe(
    page, alerts, path, language, region, column
):
    for visit in (path, f"{path}no-such-page/"):
        page.goto(visit)
        banner = page.get_by_role("region", name=region)
        assert banner.is_visible()
        texts = banner.inner_text()
        for alert in alerts:
            assert alert[column] in texts
            assert alert[3 - column] not in texts, "only the page's language"
        # Most pressing first; each kind said in words.
        assert texts.index(alerts[0][column]) < texts.index(alerts[2][column])
        assert banner.get_by_role("link").count() == len(alerts)
        # The skip link stays the first thing a keyboard reaches.
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
        results = Axe().run(page, options=AXE_OPTIONS)
        assert results.violations_count == 0, results.generate_report()


def test_the_banner_needs_no_javascript_and_sets_no_cookie(browser, site_server, alerts):
    context = browser.new_context(base_url=site_server["url"], java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/fr/")
        assert alerts[1][1] in page.get_by_role("region", name="Avis importants").inner_text()
        assert context.cookies() == []
    finally:
        context.close()


def test_a_deleted_alert_is_gone_from_the_next_page(page, site_server, alerts):
    page.goto("/en/")
    assert page.get_by_role("region", name="Important notices").count() == 1
    _run(site_server, DELETE)
    page.goto("/en/")
    assert page.get_by_role("region", name="Important notices").count() == 0
