"""The privacy notice and the newsletter (policy P3, P10; CASL s.10): the generated part
lists the newsletter with its retention in both languages, and the editors' text may
promise a newsletter because the system has one."""

from __future__ import annotations

import html

import pytest
from django.utils import translation
from wagtail.rich_text import RichText

from csce.common import policy
from csce.common.notice_rules import privacy_notice_body_problems
from csce.common.registry import personal_data_registry
from csce.pages.models import PrivacyNoticePage
from csce.privacy.factories import notice_html, notice_page_create
from csce.privacy.notice import notice_sections_build

pytestmark = pytest.mark.django_db

DAYS = policy.NEWSLETTER_UNCONFIRMED_DAYS
RETENTION = {
    "fr": f"un abonnement non confirmé dans un délai de {DAYS} jours est supprimé",
    "en": f"a subscription not confirmed within {DAYS} days is deleted",
}
FINGERPRINT = {
    "fr": "seule une empreinte codée de votre adresse est conservée",
    "en": "only a coded fingerprint of your address is kept",
}
WHO = {
    "fr": "Aucune autre entreprise",
    "en": "No other company",
}


@pytest.fixture
def notice(site_home) -> PrivacyNoticePage:
    return notice_page_create(home=site_home)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_notice_page_lists_the_newsletter_with_its_retention(client, notice, language):
    page = html.unescape(notice_html(client, language))
    assert 'data-notice-entry="newsletter"' in page
    assert RETENTION[language] in page
    assert FINGERPRINT[language] in page
    assert WHO[language] in page


def test_the_generated_sections_come_from_the_registry():
    keys = [source.key for source in notice_sections_build(language="fr").sources]
    assert "newsletter" in keys


TEXT = {
    "fr": "<p>Abonnez-vous à notre infolettre\u00a0: désabonnement en tout temps.</p>",
    "en": "<p>Subscribe to our newsletter: you can unsubscribe at any time.</p>",
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_notice_that_mentions_the_newsletter_can_be_published(notice, language):
    page = PrivacyNoticePage.objects.get(locale__language_code=language)
    page.body = [("paragraph", RichText(TEXT[language]))]
    with translation.override(language):
        revision = page.save_revision()
        revision.publish()
    page.refresh_from_db()
    assert page.live
    assert page.body.raw_data[0]["value"] == TEXT[language]


def test_the_promise_is_kept_only_because_the_newsletter_source_is_registered():
    raw = [{"type": "paragraph", "value": TEXT["fr"]}]
    assert privacy_notice_body_problems(raw_blocks=raw) == []
    source = personal_data_registry.get("newsletter")
    personal_data_registry.unregister("newsletter")
    try:
        with translation.override("en"):
            problems = privacy_notice_body_problems(raw_blocks=raw)
    finally:
        personal_data_registry.register(source)
    assert len(problems) == 1
    assert "a newsletter" in problems[0]
