"""The demo loader builds a French site whose English pages are linked, published translations."""

from __future__ import annotations

import datetime
import io
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Locale, Page, Revision, Site

from csce.common.demo import demo_load_all
from csce.common.links import site_record_address
from csce.common.testing import kept_for_module
from csce.pages.cache import live_public
from csce.pages.demo import demo_content_load
from csce.pages.models import (
    PAGE_TYPES,
    CentreSettings,
    ContactPage,
    FooterLink,
    HomePage,
    NewsIndexPage,
    NewsPage,
    OpeningHours,
    PrivacyNoticePage,
    ServiceIndexPage,
    ServicePage,
    StandardPage,
)
from csce.pages.tests.test_privacy_notice import PLACEHOLDER, PROMISES, REAL

FRENCH_SLUGS = {
    "accueil",
    "a-propos",
    "services",
    "soins-primaires",
    "promotion-de-la-sante",
    "sante-mentale-et-counseling",
    "programmes-communautaires",
    "nouvelles",
    "cliniques-de-vaccination-automne-2026",
    "nouveau-groupe-proches-aidants",
    "nouveau-site-web",
    "nous-joindre",
    "accessibilite",
    "utilisation-acceptable",
    "avis-de-confidentialite",
}
PLACEHOLDERS = re.compile(r"lorem|ipsum|\bTODO\b|\bTBD\b|\bFIXME\b|xxx|\{|\}", re.IGNORECASE)

pytestmark = pytest.mark.django_db


@pytest.fixture
def locales():
    return {code: Locale.objects.get(language_code=code) for code in ("fr", "en")}


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker) -> str:
    """The whole demo, loaded once for this module the way `make run` loads it, inside a
    transaction rolled back when the module ends (each test runs in a savepoint within
    it); what its loader said. No other test module builds the demo."""
    out = io.StringIO()
    with kept_for_module(django_db_blocker):
        demo_load_all(stdout=out)
        yield out.getvalue()


@pytest.fixture
def loaded(demo_loaded, db) -> str:
    """The demo site, for one test, and what its loader said."""
    return demo_loaded


def _content_pages(language: str | None = None):
    pages = Page.objects.filter(depth__gt=1).order_by("path")
    if language:
        pages = pages.filter(locale__language_code=language)
    return pages


def _strings(value):
    """Every text an editor wrote in a page's fields, StreamField blocks included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "id":
                yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _snapshot() -> dict:
    return {
        "pages": list(
            Page.objects.order_by("pk").values(
                "pk",
                "title",
                "slug",
                "url_path",
                "live",
                "locale_id",
                "translation_key",
                "latest_revision_id",
                "last_published_at",
            )
        ),
        "revisions": Revision.objects.count(),
        "sites": list(Site.objects.values()),
        "settings": list(CentreSettings.objects.values()),
        "hours": list(OpeningHours.objects.values()),
        "footer": list(FooterLink.objects.values()),
        "redirects": Redirect.objects.count(),
    }


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
def test_every_page_type_exists_in_both_languages_as_live_linked_translations(
    loaded, locales, model
):
    french = list(model.objects.filter(locale=locales["fr"]))
    english = model.objects.filter(locale=locales["en"])
    assert french, f"no French {model.__name__}"
    assert english.count() == len(french)
    for page in french:
        translation = page.get_translation(locales["en"])
        assert translation in english
        for each in (page, translation):
            assert each.live
            assert not each.has_unpublished_changes
            assert each.live_revision_id is not None, f"{each.title} has no published revision"
        assert translation.title != page.title, "the English page kept its French title"
        # The English tree mirrors the French one: same parent, in its own language.
        if page.depth > 2:
            assert translation.get_parent().translation_key == page.get_parent().translation_key
            assert translation.get_parent().locale_id == locales["en"].pk


def test_the_default_site_serves_the_french_home_and_the_welcome_page_is_gone(loaded, locales):
    site = Site.objects.get(is_default_site=True)
    assert Site.objects.count() == 1
    # At the public address, so that Wagtail's page links agree with the e-mails'.
    assert (site.hostname, site.port) == site_record_address(settings.SITE_URL)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert home.locale == locales["fr"]
    assert home.get_translation(locales["en"]).depth == home.depth == 2
    assert not Page.objects.filter(title__icontains="Welcome to your new Wagtail site").exists()
    assert "Deleted Wagtail's default page" in loaded


def test_french_pages_have_french_slugs_and_english_pages_english_ones(loaded):
    # This app's pages; the other apps' demo pages (forms) are checked by their own tests.
    ours = ContentType.objects.get_for_models(*PAGE_TYPES).values()
    french = set(_content_pages("fr").filter(content_type__in=ours).values_list("slug", flat=True))
    english = set(_content_pages("en").filter(content_type__in=ours).values_list("slug", flat=True))
    assert french == FRENCH_SLUGS
    assert len(english) == len(french)
    assert french & english == {"services"}


def test_links_lead_to_pages_in_the_same_language(loaded):
    for home in HomePage.objects.all():
        assert isinstance(home.hero_link.specific, ServiceIndexPage)
        assert home.hero_link.locale_id == home.locale_id
        assert home.hero_link_label
    buttons = 0
    for page in _content_pages().specific():
        for block in getattr(page, "body", []):
            if block.block_type == "button":
                buttons += 1
                assert block.value["page"].locale_id == page.locale_id, page.url_path
    assert buttons > 10


def test_every_page_has_a_summary_and_no_placeholder_text(loaded):
    for page in _content_pages().specific():
        assert 20 < len(page.search_description) <= 250, page.url_path
        data = page.serializable_data()
        if hasattr(page, "body"):
            data["body"] = list(page.body.raw_data)  # the blocks, not their JSON text
        texts = list(_strings(data))
        found = [m.group() for text in texts for m in PLACEHOLDERS.finditer(text)]
        assert not found, f"{page.url_path}: {found}"


def test_menus_hold_about_services_news_and_contact_in_each_language(loaded):
    for home in HomePage.objects.all():
        in_menu = [type(p.specific) for p in home.get_children().in_menu().order_by("path")]
        assert in_menu == [StandardPage, ServiceIndexPage, NewsIndexPage, ContactPage]


def test_services_and_news_are_complete(loaded):
    for language in ("fr", "en"):
        services = ServicePage.objects.filter(locale__language_code=language)
        assert {s.icon for s in services} >= {"stethoscope", "heart", "speech", "people"}
        for service in services:
            assert service.who_for
            assert service.how_to_access
            assert service.cost
        dates = NewsPage.objects.filter(locale__language_code=language).values_list(
            "date", flat=True
        )
        assert len(dates) == 3
        assert all(datetime.date(2026, 9, 22) <= d <= datetime.date(2026, 12, 20) for d in dates)


def test_an_empty_site_gets_the_demo(empty_site):
    out = io.StringIO()
    assert demo_content_load(stdout=out) is True
    assert HomePage.objects.count() == 2
    assert "Deleted Wagtail's default page" in out.getvalue()


def test_loading_creates_no_redirects_from_draft_paths(
    empty_site, django_capture_on_commit_callbacks
):
    # Wagtail creates redirects on commit when a page's slug changes: the English pages
    # must get their own slugs when they are created, not by renaming French copies.
    with django_capture_on_commit_callbacks(execute=True):
        demo_content_load()
    assert not Redirect.objects.exists()


def test_the_privacy_notice_text_holds_no_address_the_generated_part_shows_it(empty_site, settings):
    settings.PRIVACY_OFFICER_EMAIL = "vie.privee@csce.example"
    demo_content_load()
    for notice in PrivacyNoticePage.objects.all():
        assert notice.live
        assert "@" not in str(notice.body)


def test_the_centres_settings_have_contacts_opening_hours_and_footer_links(loaded, locales):
    centre = CentreSettings.for_site(Site.objects.get(is_default_site=True))
    assert centre.name == "Centre de santé communautaire de l'Estrie"
    assert centre.short_name == "CSCE"
    assert centre.city == "Cornwall"
    assert re.fullmatch(r"613-555-01\d\d", centre.phone), "only fictional numbers"
    assert centre.email == ""
    hours = {h.weekday: (h.opens, h.closes) for h in centre.opening_hours.all()}
    assert sorted(hours) == [0, 1, 2, 3, 4]
    assert hours[3] == (datetime.time(8, 30), datetime.time(20, 0))
    assert hours[0] == (datetime.time(8, 30), datetime.time(16, 30))
    footer = [link.page.specific for link in centre.footer_links.order_by("sort_order")]
    # The pages app's four come first; other apps' demos may add theirs after (privacy portal).
    assert [type(p) for p in footer[:4]] == [
        PrivacyNoticePage,
        StandardPage,
        StandardPage,
        ContactPage,
    ]
    assert [p.slug for p in footer[1:3]] == ["accessibilite", "utilisation-acceptable"]
    assert all(p.live and p.locale == locales["fr"] for p in footer)


def test_loading_twice_creates_nothing_and_changes_nothing(loaded):
    before = _snapshot()
    out = io.StringIO()
    assert demo_content_load(stdout=out) is False
    assert _snapshot() == before
    assert out.getvalue() == ""


def test_an_existing_home_page_is_left_alone(empty_site):
    root = Page.objects.get(depth=1)
    root.add_child(
        instance=HomePage(title="Maison", slug="maison", hero_title="Bienvenue", hero_text="Texte")
    )
    before = _snapshot()
    assert demo_content_load() is False
    assert _snapshot() == before


def test_the_command_says_what_it_did(empty_site):
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    assert "Demo content loaded." in out.getvalue()
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    assert out.getvalue().strip() == "Existing content found: nothing was loaded or changed."


def test_every_live_demo_page_renders_in_its_language(loaded, client):
    """The smoke test of the whole demo: every page, whatever app made it, answers 200."""
    pages = [page.specific for page in Page.objects.filter(depth__gt=1).live()]
    assert {page.locale.language_code for page in pages} == {"fr", "en"}
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert f'<html lang="{page.locale.language_code}"' in response.content.decode()


# --- A visitor finds every page of the demo from its home page ------------------------
CLICKS = 3


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _same_site_paths(html: str) -> set[str]:
    parser = _Links()
    parser.feed(html)
    paths = set()
    for href in parser.hrefs:
        parts = urlsplit(urldefrag(href).url)
        if parts.scheme not in ("", "http", "https") or not parts.path.startswith("/"):
            continue
        if parts.netloc and parts.hostname not in ("testserver", "localhost", "127.0.0.1"):
            continue
        paths.add(parts.path)
    return paths


def _crawl(client, start: str, *, not_followed: set[str]) -> dict[str, int]:
    """Breadth-first from ``start``: every path reached, with the clicks it took."""
    reached = {start: 0}
    frontier = [start]
    for clicks in range(1, CLICKS + 1):
        following = []
        for path in frontier:
            if path in not_followed:
                continue
            response = client.get(path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for target in _same_site_paths(response.content.decode()):
                if target not in reached:
                    reached[target] = clicks
                    following.append(target)
        frontier = following
    return reached


def _public_pages(language: str) -> dict[str, str]:
    pages = live_public(Page.objects.filter(locale__language_code=language, depth__gt=2))
    return {page.get_url(): page.title for page in pages.specific()}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_live_page_is_within_three_clicks_of_the_home_page(loaded, client, language):
    """Every page of the demo, whatever app made it (forms, programs, the portal...), is
    found from its home page in three clicks or fewer, through the menus and the pages'
    own links (policy C: the site's content is there to be found; policy P1-P4: every
    form and program serves a purpose the visitor must reach)."""
    # The privacy notice names every form because the law asks it to (policy P3): that is
    # no way to find one, so its links are not followed.
    notices = {page.get_url() for page in PrivacyNoticePage.objects.live()}
    reached = _crawl(client, f"/{language}/", not_followed=notices)
    missing = {url: title for url, title in _public_pages(language).items() if url not in reached}
    assert not missing, f"not reachable in {CLICKS} clicks from /{language}/: {missing}"


def test_each_page_file_has_its_translation_and_the_body_syntax_is_checked(tmp_path):
    from csce.pages.demo import DEMO_PAGES, demo_page_read, demo_site_read

    sources = sorted(path.name.removesuffix(".fr.md") for path in DEMO_PAGES.glob("*.fr.md"))
    translations = sorted(path.name.removesuffix(".en.md") for path in DEMO_PAGES.glob("*.en.md"))
    assert sources == translations
    _fields, body = demo_page_read(DEMO_PAGES / "primary_care.fr.md")
    assert [item[0] for item in body][:3] == ["h2", "p", "h3"]
    assert ("button", "contact", "Prendre rendez-vous") in body
    # A translation that moves its page, or a block nobody knows, is refused by name.
    (tmp_path / "home.fr.md").write_text('+++\ntype = "HomePage"\ntitle = "Accueil"\n+++\n')
    (tmp_path / "home.en.md").write_text('+++\ntitle = "Home"\nparent = "x"\n+++\n')
    with pytest.raises(ValueError, match=r"home\.en\.md.*parent"):
        demo_site_read(tmp_path)
    (tmp_path / "home.en.md").write_text('+++\ntitle = "Home"\n+++\n\n!! what is this\n')
    with pytest.raises(ValueError, match=r"home\.en\.md.*what is this"):
        demo_site_read(tmp_path)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_demo_notice_promises_nothing_the_system_lacks_and_shows_the_real_address(
    loaded, client, language
):
    page = PrivacyNoticePage.objects.get(locale__language_code=language)
    html = client.get(page.get_url()).content.decode()
    body = html[html.index("<main") : html.index("data-notice-generated")]
    assert not PROMISES.search(body), PROMISES.search(body)
    assert "@" not in body, "no address in the editors' text"
    assert PLACEHOLDER not in html
    generated = html[html.index("data-notice-generated") :]
    assert f'href="mailto:{REAL}"' in generated


def test_the_newsletter_demo_is_a_draft_about_live_pages_and_subscribes_no_one(loaded):
    """Policy P3; CASL s.10: the demo's campaign points to the demo's own pages in each
    language, and no address is subscribed without its own confirmed consent."""
    from csce.newsletter.models import Campaign, CampaignStatus, Subscriber

    campaign = Campaign.objects.get()
    assert campaign.status == CampaignStatus.DRAFT
    for language in ("fr", "en"):
        linked = [
            block.value["page"].specific
            for block in campaign.body_in(language)
            if block.block_type in ("news", "button")
        ]
        assert [type(page) for page in linked] == [NewsPage, ServiceIndexPage]
        assert all(page.live and page.locale.language_code == language for page in linked)
    assert not Subscriber.objects.exists()
