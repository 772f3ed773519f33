"""The newsletter's demo (make run): its topics in both languages and one draft about the
winter programs, which links to the site's own pages in each language and mails no one
(policy P3; CASL s.10)."""

from __future__ import annotations

import pytest

from csce.common.demo import demo_loaders
from csce.common.links import page_public_url
from csce.newsletter.demo import CAMPAIGN_TITLE, NEWS_SLUG, newsletter_demo_load
from csce.newsletter.models import Campaign, CampaignStatus, Subscriber, Topic
from csce.newsletter.rendering import Recipient, campaign_message
from csce.pages.factories import page_of_type
from csce.pages.models import NewsPage, ServiceIndexPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(site_home) -> dict:
    news = page_of_type(NewsPage, home=site_home, slug=NEWS_SLUG["fr"])
    services = ServiceIndexPage.objects.filter(locale=site_home.locale).first() or page_of_type(
        ServiceIndexPage, home=site_home
    )
    return {
        "fr": {"news": news, "services": services},
        "en": {
            "news": news.get_translation(_english()),
            "services": services.get_translation(_english()),
        },
    }


def _english():
    from wagtail.models import Locale

    return Locale.objects.get(language_code="en")


def test_the_loader_is_registered_after_the_pages_and_forms():
    names = [loader.name for loader in demo_loaders()]
    assert "newsletter" in names
    assert names.index("newsletter") > names.index("pages")


def test_the_demo_brings_topics_and_a_draft_linking_to_the_pages_of_each_language(pages):
    assert newsletter_demo_load() is True

    names = {t.key: (t.name, t.name_en) for t in Topic.objects.all()}
    assert names["programs"] == ("Programmes et ateliers", "Programs and workshops")
    assert len(names) == 3
    campaign = Campaign.objects.get(title=CAMPAIGN_TITLE)
    assert campaign.status == CampaignStatus.DRAFT
    assert "hiver" in campaign.subject
    assert "winter" in campaign.subject_en
    for language in ("fr", "en"):
        blocks = {block.block_type: block.value for block in campaign.body_in(language)}
        assert list(blocks) == ["text", "news", "button"]
        assert blocks["news"]["page"].specific == pages[language]["news"]
        assert blocks["button"]["page"].specific == pages[language]["services"]
    # No one is subscribed by a demo: every subscription needs its own confirmed consent.
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_draft_renders_in_each_language_with_its_links(pages, centre, language):
    newsletter_demo_load()
    campaign = Campaign.objects.get(title=CAMPAIGN_TITLE)
    message = campaign_message(
        campaign=campaign,
        recipient=Recipient(
            email="exemple@example.org",
            language=language,
            manage_url="http://testserver/preferences/",
            one_click_url="http://testserver/one-click/",
        ),
    )
    html = message.alternatives[0][0]
    assert page_public_url(pages[language]["news"]) in html
    assert page_public_url(pages[language]["services"]) in html
    words = {"fr": "Marche active en salle", "en": "Indoor walking"}[language]
    assert words in html
    assert words in message.body


def test_loading_twice_changes_nothing(pages):
    assert newsletter_demo_load() is True
    before = (Topic.objects.count(), Campaign.objects.count())
    assert newsletter_demo_load() is False
    assert (Topic.objects.count(), Campaign.objects.count()) == before


def test_without_the_news_article_the_draft_still_loads(site_home):
    assert newsletter_demo_load() is True
    campaign = Campaign.objects.get(title=CAMPAIGN_TITLE)
    assert "news" not in [block.block_type for block in campaign.body]
