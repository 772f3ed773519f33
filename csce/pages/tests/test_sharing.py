"""Sharing (policy C, O, P2): every page's Open Graph and Twitter-card tags, in both
languages and on our own host, and the social post drafts' per-network counts."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page

from csce.media.models import Consent, Licence
from csce.media.services import media_rights_set
from csce.pages import sharing, social_posts
from csce.pages.factories import (
    image_create,
    page_add,
    page_of_type,
    share_image_set,
)
from csce.pages.models import (
    PAGE_TYPES,
    CentreSettings,
    NewsPage,
    ServiceIndexPage,
    StandardPage,
)

pytestmark = pytest.mark.django_db

QUERY_BUDGET = 8
LOCALES = {"fr": "fr_CA", "en": "en_CA"}


class _MetaParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("property") or attrs.get("name")
        if tag == "meta" and name and "content" in attrs:
            self.meta.setdefault(name, []).append(attrs["content"])


def meta_of(response) -> dict[str, list[str]]:
    assert response.status_code == 200
    parser = _MetaParser()
    parser.feed(response.content.decode())
    return parser.meta


def one(meta, name) -> str:
    assert len(meta.get(name, [])) == 1, f"{name}: {meta.get(name)}"
    return meta[name][0]


def _page(model, language):
    return model.objects.live().filter(locale__language_code=language).order_by("path").first()


def _site_url(path: str) -> str:
    return settings.SITE_URL + path


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_type_carries_its_share_tags_in_its_language(client, model, language):
    page_of_type(model)
    page = _page(model, language)
    meta = meta_of(client.get(page.get_url()))

    assert one(meta, "og:title") == (page.seo_title or page.title)
    assert one(meta, "twitter:title") == (page.seo_title or page.title)
    assert one(meta, "og:description") == page.search_description
    assert one(meta, "twitter:description") == page.search_description
    assert one(meta, "og:url") == _site_url(page.get_url())
    assert one(meta, "og:site_name") == "Centre de santé communautaire de l'Estrie"
    assert one(meta, "og:locale") == LOCALES[language]
    other = "en" if language == "fr" else "fr"
    assert meta["og:locale:alternate"] == [LOCALES[other]]
    assert one(meta, "og:type") == ("article" if model is NewsPage else "website")
    # No image anywhere yet: the small card, and no image tag pointing at nothing.
    assert one(meta, "twitter:card") == "summary"
    assert "og:image" not in meta
    assert "twitter:image" not in meta


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_news_article_states_its_times(client, language):
    page_of_type(NewsPage)
    article = _page(NewsPage, language)
    meta = meta_of(client.get(article.get_url()))
    french = _page(NewsPage, "fr")
    assert one(meta, "article:published_time") == article.date.isoformat()
    assert article.date == french.date  # the date is the article's, in both languages
    modified = datetime.datetime.fromisoformat(one(meta, "article:modified_time"))
    assert modified == article.last_published_at


def test_a_page_without_translation_has_no_locale_alternate(site_home, client):
    page = page_add(StandardPage, parent=site_home, search_description="Seulement en français.")
    meta = meta_of(client.get(page.get_url()))
    assert one(meta, "og:locale") == "fr_CA"
    assert "og:locale:alternate" not in meta


def test_the_description_falls_back_to_the_intro_then_to_the_centres(site_home, client):
    centre = CentreSettings.for_site(site_home.get_site())
    centre.description = "Des soins en français pour toute la famille."
    centre.description_en = "Care in French for the whole family."
    centre.save()
    index = page_add(
        ServiceIndexPage,
        parent=site_home,
        intro="<p>Nos <b>services</b> &amp; programmes.</p>",
        translations={"en": {"title": "Services", "slug": "services"}},
    )
    assert one(meta_of(client.get(index.get_url())), "og:description") == (
        "Nos services & programmes."
    )
    plain = page_add(
        StandardPage,
        parent=site_home,
        translations={"en": {"title": "Plain", "slug": "plain"}},
    )
    english = plain.get_translation(Locale.objects.get(language_code="en"))
    assert one(meta_of(client.get(plain.get_url())), "og:description") == centre.description
    assert one(meta_of(client.get(english.get_url())), "og:description") == centre.description_en


def test_the_centres_share_image_stands_for_pages_without_their_own(site_home, client):
    share_image_set(
        image=image_create(title="Façade", width=1600, height=900),
        alt="La façade du centre, rue Principale.",
        alt_en="The centre's front, on Main Street.",
    )
    page_of_type(StandardPage, home=site_home)
    for language, alt in (
        ("fr", "La façade du centre, rue Principale."),
        ("en", "The centre's front, on Main Street."),
    ):
        meta = meta_of(client.get(_page(StandardPage, language).get_url()))
        image = one(meta, "og:image")
        assert image.startswith(settings.SITE_URL + "/"), image
        assert ".fill-1200x630" in image
        assert one(meta, "twitter:image") == image
        assert one(meta, "og:image:alt") == alt
        assert one(meta, "twitter:image:alt") == alt
        assert (one(meta, "og:image:width"), one(meta, "og:image:height")) == ("1200", "630")
        assert one(meta, "twitter:card") == "summary_large_image"


def credited(image):
    """An image the publication gate lets through (policy C: credit and licence)."""
    media_rights_set(
        media=image, credit="Photo : CSCE", licence=Licence.OWN, consent=Consent.NONE_IDENTIFIABLE
    )
    return image


def test_a_pages_own_image_wins_and_a_decorative_one_is_skipped(site_home, client):
    share_image_set(image=image_create(title="Défaut"), alt="Défaut", alt_en="Default")
    decorative = credited(image_create(title="Motif"))
    photo = credited(image_create(title="Clinique", width=800, height=600))
    page = page_add(
        StandardPage,
        parent=site_home,
        body=[
            {"type": "image", "value": {"image": decorative.pk, "decorative": True}},
            {
                "type": "image",
                "value": {"image": photo.pk, "alt_text": "Une infirmière et un enfant."},
            },
        ],
    )
    meta = meta_of(client.get(page.get_url()))
    assert one(meta, "og:image") == _site_url(photo.get_rendition("fill-1200x630").url)
    assert one(meta, "og:image:alt") == "Une infirmière et un enfant."
    # A smaller original keeps its own size, cropped to the same shape.
    width, height = int(one(meta, "og:image:width")), int(one(meta, "og:image:height"))
    assert width <= 800
    assert abs(width / height - 1200 / 630) < 0.02


def test_an_image_whose_file_is_gone_falls_back_to_the_centres(site_home, client):
    share_image_set(image=image_create(title="Défaut"), alt="Défaut", alt_en="Default")
    photo = credited(image_create(title="Perdue"))
    page = page_add(
        StandardPage,
        parent=site_home,
        body=[{"type": "image", "value": {"image": photo.pk, "alt_text": "Perdue."}}],
    )
    Path(photo.file.path).unlink()
    meta = meta_of(client.get(page.get_url()))
    assert one(meta, "og:image:alt") == "Défaut"


def test_an_image_served_from_another_host_is_not_offered(settings):
    settings.SITE_URL = "https://csce.example"
    assert sharing.own_host_url("/media/images/a.png") == "https://csce.example/media/images/a.png"
    assert sharing.own_host_url("https://csce.example/media/a.png") == (
        "https://csce.example/media/a.png"
    )
    assert sharing.own_host_url("https://cdn.elsewhere.example/a.png") is None
    assert sharing.own_host_url("//cdn.elsewhere.example/a.png") is None


def test_a_forged_host_never_reaches_the_share_tags(site_home, client, settings):
    settings.SITE_URL = "https://csce.example"
    meta = meta_of(client.get("/fr/", headers={"host": "evil.example"}))
    assert one(meta, "og:url") == "https://csce.example/fr/"


def test_the_share_image_needs_its_description_in_both_languages(site_home):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        share_image_set(image=image_create(), alt="Une photo", alt_en=" ")
    assert set(refused.value.message_dict) == {"share_image_alt_en"}


@pytest.mark.parametrize(
    ("language", "title"), [("fr", "Signaler un problème"), ("en", "Report a concern")]
)
def test_views_that_are_not_pages_share_their_own_title(site_home, client, language, title):
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        path = reverse("moderation_report")
    meta = meta_of(client.get(path))
    assert one(meta, "og:title") == title
    assert one(meta, "og:url") == _site_url(path)
    assert one(meta, "og:locale") == LOCALES[language]
    assert meta["og:locale:alternate"] == [LOCALES["en" if language == "fr" else "fr"]]


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda m: m.__name__)
def test_share_tags_keep_every_page_type_within_its_query_budget(site_home, client, model):
    share_image_set(image=image_create(title="Défaut"), alt="Défaut", alt_en="Default")
    page = page_of_type(model, home=site_home)
    for language in ("fr", "en"):
        path = _page(model, language).get_url()
        client.get(path)  # the first visit makes the renditions and fills the caches
        with CaptureQueriesContext(connection) as queries:
            meta = meta_of(client.get(path))
        assert "og:image" in meta
        assert len(queries) <= QUERY_BUDGET, "\n".join(q["sql"][:200] for q in queries)
    assert page.pk


def test_publishing_a_new_summary_shows_in_the_next_share(site_home, client):
    page = page_add(StandardPage, parent=site_home, search_description="Avant.")
    client.get(page.get_url())
    page.search_description = "Après."
    page.save_revision().publish()
    assert one(meta_of(client.get(page.get_url())), "og:description") == "Après."


def test_the_social_post_is_translated_with_the_article(site_home):
    from wagtail_localize.segments import StringSegmentValue
    from wagtail_localize.segments.extract import extract_segments

    article = page_of_type(NewsPage, home=site_home)
    article.social_post = "Cliniques de vaccination cet automne."
    article.save_revision().publish()
    segments = extract_segments(Page.objects.get(pk=article.pk).specific)
    strings = {
        segment.path: segment.string.render_text()
        for segment in segments
        if isinstance(segment, StringSegmentValue)
    }
    assert strings["social_post"] == "Cliniques de vaccination cet automne."
    english = article.get_translation(Locale.objects.get(language_code="en")).specific
    english.social_post = "Vaccination clinics."
    english.save_revision().publish()
    article.refresh_from_db()
    english.refresh_from_db()
    assert (article.social_post, english.social_post) == (
        "Cliniques de vaccination cet automne.",
        "Vaccination clinics.",
    )


# --- Counts ---------------------------------------------------------------------------


def _network(key: str) -> social_posts.Network:
    return next(n for n in social_posts.SOCIAL_NETWORKS if n.key == key)


def _length(text: str, key: str) -> int:
    return social_posts.post_length(text=text, network=_network(key))


def test_plain_text_counts_its_characters_everywhere():
    text = "Cliniques de vaccination"
    assert {c.network.key: c.length for c in social_posts.post_counts(text=text)} == {
        n.key: len(text) for n in social_posts.networks_shown()
    }


def test_a_link_counts_23_on_x_and_mastodon_whatever_its_length():
    link = "https://csce.example/fr/nouvelles/cliniques-de-vaccination-a-l-automne/"
    text = f"Venez nous voir : {link}."
    assert _length(text, "x") == len("Venez nous voir : .") + 23
    assert _length(text, "mastodon") == len("Venez nous voir : .") + 23
    assert _length(text, "facebook") == len(text)
    assert _length("www.csce.example", "x") == 23
    assert _length("https://a.example et https://b.example", "x") == 23 + 4 + 23


def test_accents_count_once_however_they_are_typed():
    composed = "Santé"
    decomposed = "Sante\u0301"
    for key in ("x", "bluesky", "facebook"):
        assert _length(composed, key) == _length(decomposed, key) == 5


@pytest.mark.parametrize(
    ("text", "x", "bluesky", "facebook"),
    [
        ("👍", 2, 1, 1),
        ("👍🏽", 2, 1, 2),  # with a skin tone
        ("👨‍👩‍👧", 2, 1, 5),  # a family: three emoji joined
        ("🇨🇦", 2, 1, 2),  # a flag: two regional letters
        ("1️⃣", 2, 1, 3),  # a keycap
        ("❤️", 2, 1, 2),
        ("健康", 4, 2, 2),  # CJK counts 2 on X
        # Typographic quotes and dashes count 1 on X, the euro sign 2.
        ("“oui” — 5 €", 12, 11, 11),
    ],
)
def test_emoji_and_scripts_count_as_each_network_counts_them(text, x, bluesky, facebook):
    assert (_length(text, "x"), _length(text, "bluesky"), _length(text, "facebook")) == (
        x,
        bluesky,
        facebook,
    )


def test_over_the_limit_is_said_in_words():
    from django.utils import translation

    counts = {c.network.key: c for c in social_posts.post_counts(text="a" * 282)}
    assert counts["x"].over
    assert counts["x"].remaining == -2
    assert not counts["bluesky"].over
    assert counts["bluesky"].remaining == 18
    with translation.override("en"):
        assert counts["x"].status == "2 characters over the limit"
        assert counts["bluesky"].status == "18 characters left"
    with translation.override("fr"):
        assert counts["x"].status == "2 caractères de trop"
        single = social_posts.post_counts(text="a" * 279)[0]
        assert single.status == "1 caractère restant"


def test_the_editors_rules_are_the_servers_table():
    rules = social_posts.post_rules()
    assert [n["key"] for n in rules["networks"]] == [n.key for n in social_posts.networks_shown()]
    assert {n["key"]: n["limit"] for n in rules["networks"]}["x"] == 280
    assert rules["link_pattern"] == social_posts.LINK_PATTERN


def test_the_editor_shows_the_servers_counts_when_it_opens(site_home, client):
    from csce.accounts.factories import staff_sign_in, staff_user

    article = page_of_type(NewsPage, home=site_home)
    article.social_post = "x" * 290
    article.save_revision()
    staff_sign_in(client, staff_user(superuser=True, username="redactrice"))
    html = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert "data-social-post" in html
    assert "pages/js/social-post.js" in html
    row = re.search(r'<tr data-network="x"[^>]*>(.*?)</tr>', html, re.S)
    assert 'class="social-post__over"' in row.group(0)
    assert "<td data-length>290</td>" in row.group(1)
    assert "10 caractères de trop" in row.group(1)
    bluesky = re.search(r'<tr data-network="bluesky"[^>]*>(.*?)</tr>', html, re.S).group(1)
    assert "10 caractères restants" in bluesky
