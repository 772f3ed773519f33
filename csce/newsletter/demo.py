"""The demo's newsletter: its topics in French and English, and one draft campaign about
the centre's winter programs, ready for Communications to review and send (policy P3).

No subscriber is created: a demo must not hold anyone's address, even an invented one,
and every subscription needs the person's own confirmed consent (CASL s.10).
"""

from __future__ import annotations

from typing import TextIO

from django.db import transaction
from wagtail.models import Locale

from csce.pages.models import NewsPage, ServiceIndexPage

from .models import Campaign, Topic

TOPICS = (
    ("centre", "Nouvelles du centre", "Centre news"),
    ("programs", "Programmes et ateliers", "Programs and workshops"),
    ("health", "Santé et prévention", "Health and prevention"),
)

CAMPAIGN_TITLE = "Programmes d'hiver 2027"
# The news article the campaign points to, when the pages' demo has it.
NEWS_SLUG = {"fr": "nouveau-groupe-proches-aidants"}

CAMPAIGN = {
    "fr": {
        "subject": "Nos programmes d'hiver commencent en janvier",
        "text": (
            "<h2>Bouger, cuisiner, prendre soin de soi\u00a0: l'hiver au Centre</h2>"
            "<p>Les journées raccourcissent, mais le Centre reste animé. Dès la semaine du "
            "11 janvier, nos programmes d'hiver reprennent, tous gratuits et offerts en "
            "français\u00a0:</p>"
            "<ul>"
            "<li><b>Marche active en salle</b>, les lundis et jeudis de 10 h à 11 h, au "
            "gymnase de l'école Notre-Dame\u00a0: pour garder la forme sans glisser sur la "
            "glace.</li>"
            "<li><b>Cuisine santé à petit prix</b>, un mercredi sur deux de 17 h 30 à "
            "19 h 30\u00a0: des soupes et des plats d'hiver nourrissants, préparés en "
            "groupe avec notre diététiste.</li>"
            "<li><b>Mieux dormir, mieux vivre l'hiver</b>, une série de quatre rencontres "
            "animées par notre équipe de santé mentale, les mardis à 13 h 30.</li>"
            "</ul>"
            "<p>Les places sont limitées\u00a0: inscrivez-vous en ligne ou au 613 555-0100.</p>"
        ),
        "news_text": (
            "Vous prenez soin d'un proche\u202f? Notre groupe d'entraide se réunit un mercredi "
            "sur deux, tout l'hiver."
        ),
        "button": "Voir tous nos services",
    },
    "en": {
        "subject": "Our winter programs start in January",
        "text": (
            "<h2>Move, cook, take care of yourself: winter at the Centre</h2>"
            "<p>The days are getting shorter, but the Centre stays busy. Starting the week "
            "of January 11, our winter programs are back, all free and offered in "
            "French:</p>"
            "<ul>"
            "<li><b>Indoor walking</b>, Mondays and Thursdays from 10 to 11 a.m., in the "
            "Notre-Dame school gym: stay fit without slipping on the ice.</li>"
            "<li><b>Healthy cooking on a budget</b>, every other Wednesday from 5:30 to "
            "7:30 p.m.: hearty winter soups and dishes, cooked together with our "
            "dietitian.</li>"
            "<li><b>Sleep better, live winter better</b>, a series of four meetings led by "
            "our mental health team, Tuesdays at 1:30 p.m.</li>"
            "</ul>"
            "<p>Places are limited: register online or call 613-555-0100.</p>"
        ),
        "news_text": (
            "Caring for a loved one? Our support group meets every other Wednesday, all "
            "winter long."
        ),
        "button": "See all our services",
    },
}


def _news_page(language: str) -> NewsPage | None:
    french = NewsPage.objects.filter(slug=NEWS_SLUG["fr"], locale__language_code="fr").first()
    if french is None:
        return None
    if language == "fr":
        return french
    return (
        NewsPage.objects.filter(
            translation_key=french.translation_key, locale__language_code=language
        ).first()
        or french
    )


def _services_page(language: str) -> ServiceIndexPage | None:
    locale = Locale.objects.filter(language_code=language).first()
    return ServiceIndexPage.objects.filter(locale=locale).order_by("path").first()


def campaign_demo_body(language: str) -> list[dict]:
    """The campaign's blocks in ``language``, as raw StreamField data."""
    words = CAMPAIGN[language]
    body: list[dict] = [{"type": "text", "value": words["text"]}]
    news = _news_page(language)
    if news is not None:
        body.append({"type": "news", "value": {"page": news.pk, "text": words["news_text"]}})
    services = _services_page(language)
    if services is not None:
        body.append(
            {
                "type": "button",
                "value": {"label": words["button"], "page": services.pk, "url": ""},
            }
        )
    return body


def newsletter_demo_load(*, stdout: TextIO | None = None) -> bool:
    """Topics and the winter draft; False, changing nothing, when they exist."""
    if Campaign.objects.filter(title=CAMPAIGN_TITLE).exists():
        return False
    with transaction.atomic():
        for order, (key, french, english) in enumerate(TOPICS):
            Topic.objects.get_or_create(
                key=key, defaults={"name": french, "name_en": english, "sort_order": order}
            )
        campaign = Campaign.objects.create(
            title=CAMPAIGN_TITLE,
            subject=CAMPAIGN["fr"]["subject"],
            subject_en=CAMPAIGN["en"]["subject"],
            body=campaign_demo_body("fr"),
            body_en=campaign_demo_body("en"),
        )
        campaign.topics.set(Topic.objects.filter(key__in=["programs", "health"]))
    if stdout is not None:
        stdout.write("Newsletter: topics and a draft campaign about the winter programs.\n")
    return True
