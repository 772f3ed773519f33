"""The privacy notice's "collected automatically" section comes from this app's registry
entry (policy P3, P4, P5)."""

import html as html_lib

import pytest
from django.utils import translation

from csce.analytics.registry import analytics_notice
from csce.pages.factories import page_of_type
from csce.pages.models import PrivacyNoticePage
from csce.privacy.factories import notice_html

LANGUAGES = ["fr", "en"]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_notice_describes_the_statistics_from_the_registry(client, language):
    page_of_type(PrivacyNoticePage)
    html = notice_html(client, language)
    section = html[html.index('data-section="automatic"') : html.index('data-section="cookies"')]
    section = " ".join(html_lib.unescape(section).split())
    with translation.override(language):
        (entry,) = analytics_notice()
        texts = [str(entry.title), str(entry.collected), str(entry.purpose), str(entry.retention)]
    with translation.override("en"):
        english = [str(entry.title), str(entry.collected)]
    for text in texts:
        assert " ".join(text.split()) in section, text[:60]
    if language == "fr":
        assert texts[:2] != english  # said in French, not left in English
    else:
        # The salt destroyed, the truncated address and the 90 days, in words.
        assert "salt is destroyed at the end of each day" in section
        assert "the first part of your IP address" in section
        assert "Each page view: 90 days." in section
