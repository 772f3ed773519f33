"""Versions of the privacy notice (PHIPA s.16; policy P3, V).

Publishing the notice records a version with its summary; a change of the live system
records an automatic one that says which sections changed; past versions stay readable
by visitors in their language; consent records get the version in force; the dashboard
shows the next review to the Privacy Officer and the AED.
"""

from __future__ import annotations

import datetime
import html as html_lib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale

from csce.accounts.factories import staff_sign_in
from csce.accounts.roles import AED, COMMUNICATIONS, PRIVACY_OFFICER
from csce.common import registry
from csce.common.schedule import job_schedule
from csce.privacy.models import PrivacyNoticeVersion, Processor, ProcessorCategory
from csce.privacy.notice_versions import notice_versions_check

from .test_notice import QUERY_BUDGET, notice_html, notice_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice_site(notice_site_shared):
    """Every test here reads the notice: its site is built once for the module."""
    return notice_site_shared


def latest(language: str) -> PrivacyNoticeVersion:
    return PrivacyNoticeVersion.objects.filter(language=language).order_by("-number").first()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_publishing_the_notice_records_a_version_with_its_summary(
    notice_site, client, staff_user_make, language, django_capture_on_commit_callbacks
):
    editor = staff_user_make(role=AED)
    page = notice_page(language)
    before = latest(language)
    page.change_summary = {"fr": "Ajout des sondages.", "en": "Surveys added."}[language]
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision(user=editor).publish(user=editor)
    version = latest(language)
    assert version.number == before.number + 1
    assert version.summary == page.change_summary
    assert version.automatic is False
    assert version.published_by == editor
    assert page.title in version.html
    assert 'data-section="processors"' in version.html
    assert version.sections_hash == before.sections_hash  # the live system did not change
    html = notice_html(client, language)
    assert f'data-notice-version="{version.number}"' in html
    assert f"{page.url}?versions" in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_processor_change_records_an_automatic_version_naming_the_section(
    notice_site, client, language, django_capture_on_commit_callbacks
):
    before = latest(language)
    with django_capture_on_commit_callbacks(execute=True):
        Processor.objects.create(
            locale=Locale.objects.get(language_code="fr"),
            name="Sauvegardes Zéphyr",
            category=ProcessorCategory.OTHER,
            data_received="Copies chiffrées",
            purpose="Restaurer le site",
            location="Sherbrooke, Canada",
        )
    version = latest(language)
    assert version.number == before.number + 1
    assert version.automatic
    names = {"fr": "les tiers qui reçoivent des renseignements", "en": "third parties"}
    assert names[language] in version.summary
    assert {"fr": "témoins", "en": "cookies"}[language] not in version.summary
    assert "Sauvegardes Zéphyr" in version.html
    # Nothing else changed: checking again records nothing.
    assert notice_versions_check() == []


@pytest.mark.parametrize("language", ["fr", "en"])
def test_past_versions_stay_readable_in_their_own_language(
    notice_site, client, language, django_capture_on_commit_callbacks
):
    old = latest(language)
    with django_capture_on_commit_callbacks(execute=True):
        Processor.objects.update(active=False)
        Processor.objects.first().save()  # one save sends the signal
    new = latest(language)
    assert new.number == old.number + 1
    url = notice_page(language).url
    listing = client.get(f"{url}?versions")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert f'<html lang="{language}">' in text
    for version in PrivacyNoticeVersion.objects.filter(language=language):
        assert f"?version={version.number}" in text
    page_old = client.get(f"{url}?version={old.number}").content.decode()
    assert f'data-notice-version="{old.number}"' in page_old
    assert html_lib.unescape(old.html[:200]) in html_lib.unescape(page_old)
    assert 'name="robots" content="noindex"' in page_old
    other = "en" if language == "fr" else "fr"
    other_old = latest(other)
    assert other_old.html not in page_old
    assert client.get(f"{url}?version=999").status_code == 404
    assert client.get(f"{url}?version=abc").status_code == 404


@pytest.mark.parametrize(
    "number", [str(10**30), "-1", "0", "abc", "", "²", "１", " 1", "1e3", "2147483648"]
)
def test_a_version_number_out_of_range_or_not_a_number_is_not_found(notice_site, client, number):
    url = notice_page("fr").url
    assert client.get(url, {"version": number}).status_code == 404


@pytest.mark.parametrize("query", ["?versions", "?version=1"])
def test_version_pages_stay_within_the_query_budget(notice_site, client, query):
    url = notice_page("en").url + query
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert len(queries) <= QUERY_BUDGET, "\n".join(q["sql"][:200] for q in queries)


def test_consent_records_get_the_version_in_force(notice_site, django_capture_on_commit_callbacks):
    for language in ("fr", "en"):
        assert registry.notice_version_in_force(language=language) == latest(language).number
    with django_capture_on_commit_callbacks(execute=True):
        Processor.objects.first().delete()
    assert registry.notice_version_in_force(language="fr") == latest("fr").number


def test_the_daily_job_records_the_first_version_then_nothing(notice_site):
    job = job_schedule.get("check_privacy_notice")
    PrivacyNoticeVersion.objects.all().delete()
    job.run()
    assert set(PrivacyNoticeVersion.objects.values_list("language", "number")) == {
        ("fr", 1),
        ("en", 1),
    }
    job.run()  # twice, or on two nodes: one version
    assert PrivacyNoticeVersion.objects.count() == 2


def _dashboard(client, user) -> str:
    staff_sign_in(client, user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", [PRIVACY_OFFICER, AED])
def test_the_dashboard_shows_versions_and_next_review_to_who_supervises(
    notice_site, client, staff_user_make, role
):
    today = timezone.localdate()
    french, english = notice_page("fr"), notice_page("en")
    type(french).objects.filter(pk=french.pk).update(next_review=today - datetime.timedelta(days=3))
    type(english).objects.filter(pk=english.pk).update(
        next_review=today + datetime.timedelta(days=10)
    )
    html = _dashboard(client, staff_user_make(role=role))
    panel = html[html.index('aria-labelledby="privacy-notice-heading"') :]
    panel = panel[: panel.index("</section>")]
    assert 'data-review-state="overdue"' in panel
    assert 'data-review-state="soon"' in panel
    assert "Révision en retard" in panel or "Review overdue" in panel
    assert "10" in panel
    assert f"Version {latest('fr').number}" in panel


def test_the_dashboard_panel_is_not_shown_to_other_roles(notice_site, client, staff_user_make):
    html = _dashboard(client, staff_user_make(role=COMMUNICATIONS))
    assert "privacy-notice-heading" not in html
