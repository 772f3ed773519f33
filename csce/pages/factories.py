"""Pages for any app's tests: the few a test needs, rather than the whole demo site.

``site_home`` leaves the database as a fresh site serving one French home page and its
English translation (both languages, policy U); ``page_add`` puts a page of any type under
a parent, with its translations when asked. ``page_of_type`` builds a page of any public
type as full as the demo's (its body's blocks, what it lists) where the site puts it;
``site_every_page_type`` a small site with one of each, menus, opening hours
(``centre_hours_add``) and footer links (``footer_link_add``). Only the demo's smoke test
(``csce/pages/tests/test_demo.py``) loads the whole demo.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

from django.test import TestCase
from django.utils.text import slugify
from wagtail.models import Locale, Page, Site

from .demo import page_translation_create
from .models import (
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

SOURCE_LANGUAGE = "fr"
_numbers = itertools.count(1)


def site_home(
    *, translations: tuple[str, ...] = ("en",), centre: bool = True, **fields
) -> HomePage:
    """The default site's French home page, published, with its ``translations``; any
    other site content goes, so a test sees only the pages it builds. ``centre`` fills in
    the centre's name and phone number, which the layout shows."""
    from wagtail.contrib.redirects.models import Redirect

    CentreSettings.objects.all().delete()
    Redirect.objects.all().delete()
    Site.objects.all().delete()
    Page.objects.filter(depth=2).delete()
    root = Page.objects.get(depth=1)
    fields.setdefault("title", "Accueil")
    fields.setdefault("slug", "accueil")
    fields.setdefault("hero_title", "Des soins de santé en français")
    fields.setdefault("hero_text", "Notre équipe vous accompagne à chaque étape de la vie.")
    home = root.add_child(
        instance=HomePage(locale=Locale.objects.get(language_code=SOURCE_LANGUAGE), **fields)
    )
    site = Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
    for language in translations:
        translation_add(home, language=language, title="Home", slug="home")
    if centre:
        settings_ = CentreSettings.for_site(site)
        settings_.name = "Centre de santé communautaire de l'Estrie"
        settings_.short_name = "CSCE"
        settings_.phone = "613-555-0142"  # 613-555-01xx is reserved for fiction
        settings_.save()
    return home


def page_add(
    model: type[Page], *, parent: Page, translations: dict[str, dict] | None = None, **fields: Any
) -> Page:
    """A published page of ``model`` under ``parent``; ``translations`` maps a language to
    the translation's own fields (title, slug...), each placed under the parent's
    translation, as Wagtail Localize would."""
    n = next(_numbers)
    fields.setdefault("title", f"{model._meta.verbose_name} {n}".capitalize())
    fields.setdefault("slug", slugify(fields["title"]))
    if "body" in {field.name for field in model._meta.fields} and "body" not in fields:
        fields["body"] = [{"type": "paragraph", "value": f"<p>{fields['title']}</p>"}]
    page = parent.add_child(instance=model(locale=parent.locale, **fields))
    page.save_revision().publish()
    for language, translated in (translations or {}).items():
        translation_add(page, language=language, **translated)
    return model.objects.get(pk=page.pk)


def translation_add(page: Page, *, language: str = "en", **fields: Any) -> Page:
    """The published translation of ``page`` in ``language``: same translation key, so
    the language switcher and hreflang lead from one to the other."""
    translation = page_translation_create(
        source=page, locale=Locale.objects.get(language_code=language), fields=fields
    )
    translation = translation.specific_class.objects.get(pk=translation.pk)
    translation.save_revision().publish()
    return translation.specific_class.objects.get(pk=translation.pk)


# The demo centre's week: 8:30 to 16:30 on weekdays, until 20:00 on Thursdays.
WEEK_HOURS = (
    (0, datetime.time(8, 30), datetime.time(16, 30)),
    (1, datetime.time(8, 30), datetime.time(16, 30)),
    (2, datetime.time(8, 30), datetime.time(16, 30)),
    (3, datetime.time(8, 30), datetime.time(20, 0)),
    (4, datetime.time(8, 30), datetime.time(16, 30)),
)


def centre_hours_add(
    site: Site | None = None,
    *,
    hours: tuple[tuple[int, datetime.time, datetime.time], ...] = WEEK_HOURS,
) -> CentreSettings:
    """The centre's opening ``hours`` (weekday, opens, closes), shown in every footer."""
    settings_ = CentreSettings.for_site(site or Site.objects.get(is_default_site=True))
    for order, (weekday, opens, closes) in enumerate(hours):
        OpeningHours.objects.create(
            settings=settings_, sort_order=order, weekday=weekday, opens=opens, closes=closes
        )
    settings_.save()  # a new cache generation, as an editor's save makes
    return settings_


def footer_link_add(page: Page, *, site: Site | None = None) -> FooterLink:
    """A link to ``page`` in every footer; each visitor gets its translation."""
    settings_ = CentreSettings.for_site(site or Site.objects.get(is_default_site=True))
    link = FooterLink.objects.create(
        settings=settings_, page=page, sort_order=settings_.footer_links.count()
    )
    settings_.save()
    return link


def body_blocks(*, title: str, link: Page | None = None, label: str = "") -> list[dict]:
    """A page body with the blocks editors use: a heading, a paragraph, a callout, a
    question and, given a ``link``, a button to that page (as most demo pages have)."""
    blocks = [
        {"type": "heading", "value": {"text": title, "level": "h2"}},
        {"type": "paragraph", "value": f"<p>{title}.</p>"},
        {"type": "callout", "value": {"kind": "info", "title": title, "text": f"<p>{title}</p>"}},
        {"type": "question", "value": {"question": f"{title}?", "answer": f"<p>{title}</p>"}},
    ]
    if link is not None:
        blocks.append({"type": "button", "value": {"page": link.pk, "label": label or title}})
    return blocks


# Each page type's French and English title and slug, in the demo's words; a second page
# of a type under the same parent takes the next.
TEXTS: dict[type[Page], tuple[tuple[str, str, str, str], ...]] = {
    StandardPage: (("À propos", "a-propos", "About us", "about"),),
    ServiceIndexPage: (("Nos services", "services", "Our services", "services"),),
    ServicePage: (
        ("Soins primaires", "soins-primaires", "Primary care", "primary-care"),
        (
            "Santé mentale et counseling",
            "sante-mentale-et-counseling",
            "Mental health and counselling",
            "mental-health-and-counselling",
        ),
    ),
    NewsIndexPage: (("Nouvelles", "nouvelles", "News", "news"),),
    NewsPage: (
        (
            "Cliniques de vaccination",
            "cliniques-de-vaccination",
            "Vaccination clinics",
            "vaccination-clinics",
        ),
        (
            "Nouveau groupe pour proches aidants",
            "nouveau-groupe-proches-aidants",
            "New caregivers group",
            "new-caregivers-group",
        ),
        ("Notre nouveau site Web", "nouveau-site-web", "Our new website", "new-website"),
    ),
    ContactPage: (("Nous joindre", "nous-joindre", "Contact us", "contact"),),
    PrivacyNoticePage: (
        ("Avis de confidentialité", "avis-de-confidentialite", "Privacy notice", "privacy-notice"),
    ),
}
# The pages every visitor finds in the menu, as in the demo.
IN_MENUS = (StandardPage, ServiceIndexPage, NewsIndexPage, ContactPage)
# Where each page type sits: under the home page, or under its index.
INDEX_OF = {ServicePage: ServiceIndexPage, NewsPage: NewsIndexPage}


def page_of_type(model: type[Page], *, home: HomePage | None = None, **fields: Any) -> Page:
    """The French page of ``model``, published with its English translation, where the
    site puts it: under ``home`` (a fresh ``site_home`` when none is given), or under its
    services or news index (reused, or made); ``fields`` override the French page's.

    Like a demo page it has a summary, text in each of its fields, a body with every kind
    of block and, but for the contact page and the notice (as in the demo), a button to
    the home page in its language; and what it lists: an index its first service or
    article, the contact page a page under it (where forms go), the home page (``model``
    HomePage fills in ``home``) a service, an article and its button to the services.
    A privacy notice records its first version in each language, as once its publication
    is committed (policy V)."""
    home = home or site_home()
    if model is HomePage:
        return _home_fill(home)
    parent = home
    if model in INDEX_OF:
        index = INDEX_OF[model]
        parent = index.objects.child_of(home).first() or _page_pair(index, parent=home)[0]
    if model is PrivacyNoticePage:
        with TestCase.captureOnCommitCallbacks(execute=True):
            return _page_pair(model, parent=parent, **fields)[0]
    page, _translation = _page_pair(model, parent=parent, **fields)
    if model in INDEX_OF.values():
        child = next(child for child, index in INDEX_OF.items() if index is model)
        page_of_type(child, home=home)
    elif model is ContactPage:
        page_add(
            StandardPage,
            parent=page,
            title="Écrivez-nous",
            slug="ecrivez-nous",
            translations={"en": {"title": "Write to us", "slug": "write-to-us"}},
        )
    return model.objects.get(pk=page.pk)


def _page_pair(model: type[Page], *, parent: Page, **fields: Any) -> tuple[Page, Page]:
    """A page of ``model`` under ``parent`` and its English translation, in the words of
    the first ``TEXTS`` entry whose slug is free there."""
    taken = set(parent.get_children().values_list("slug", flat=True))
    fr_title, fr_slug, en_title, en_slug = next(
        (texts for texts in TEXTS[model] if texts[1] not in taken), TEXTS[model][-1]
    )
    if fr_slug in taken:
        n = next(_numbers)
        fr_slug, en_slug = f"{fr_slug}-{n}", f"{en_slug}-{n}"
    names = {field.name for field in model._meta.fields}
    homes = {language: _home_of(parent, language) for language in ("fr", "en")}
    french = {"title": fr_title, "slug": fr_slug, "search_description": f"{fr_title} : résumé."}
    english = {"title": en_title, "slug": en_slug, "search_description": f"{en_title}: summary."}
    for name in {"intro", "who_for", "how_to_access"} & names:
        french[name] = f"<p>{fr_title} : {name}.</p>"
        english[name] = f"<p>{en_title}: {name}.</p>"
    if "body" in names:
        # The demo's contact page and notice have no button; its other pages have one.
        button = model not in (ContactPage, PrivacyNoticePage)
        french["body"] = body_blocks(title=fr_title, link=homes["fr"] if button else None)
        english["body"] = body_blocks(title=en_title, link=homes["en"] if button else None)
    if model is ServicePage:
        french |= {"icon": "stethoscope", "cost": "Gratuit"}
        english["cost"] = "Free"
    if model is NewsPage:
        french["date"] = datetime.date(2026, 9, 22) + datetime.timedelta(days=30 * len(taken))
    french["show_in_menus"] = model in IN_MENUS
    page = page_add(model, parent=parent, translations={"en": english}, **(french | fields))
    return page, page.get_translation(_locale("en")).specific


def _home_of(page: Page, language: str) -> Page:
    home = page if page.depth == 2 else page.get_ancestors().get(depth=2)
    return (
        home if home.locale.language_code == language else home.get_translation(_locale(language))
    )


def _home_fill(home: HomePage) -> HomePage:
    """``home`` in both languages with what it shows: a service and an article (their
    indexes made when missing), its button to the services and a body."""
    page_of_type(ServicePage, home=home)
    page_of_type(NewsPage, home=home)
    labels = {"fr": "Découvrir nos services", "en": "Discover our services"}
    for page in (home, home.get_translation(_locale("en")).specific):
        language = page.locale.language_code
        services = ServiceIndexPage.objects.child_of(page).get()
        page.hero_link, page.hero_link_label = services, labels[language]
        page.search_description = f"{page.title} : {page.hero_title}"
        page.body = body_blocks(title=page.title, link=services, label=labels[language])
        page.save_revision().publish()
    return HomePage.objects.get(pk=home.pk)


@dataclass(frozen=True)
class SitePages:
    """The French page of each type ``site_every_page_type`` built; each has its English
    translation."""

    home: HomePage
    about: StandardPage
    services: ServiceIndexPage
    service: ServicePage
    news: NewsIndexPage
    article: NewsPage
    contact: ContactPage
    notice: PrivacyNoticePage


def site_every_page_type() -> SitePages:
    """A small site like the demo's, on a fresh ``site_home``: a page of every public type
    (``page_of_type``), two services and three articles with their own dates, each
    published in French with its English translation; about, services, news and contact
    in the menus; the centre's address, opening hours and footer links (the notice,
    contact)."""
    home = page_of_type(HomePage)
    about = page_of_type(StandardPage, home=home)
    page_of_type(ServicePage, home=home)
    page_of_type(NewsPage, home=home)
    page_of_type(NewsPage, home=home)
    contact = page_of_type(ContactPage, home=home)
    notice = page_of_type(PrivacyNoticePage, home=home)
    site = Site.objects.get(is_default_site=True)
    centre = CentreSettings.for_site(site)
    centre.street_address, centre.city, centre.postal_code = "450, rue Pitt", "Cornwall", "K6J 3R2"
    centre.save()
    centre_hours_add(site)
    footer_link_add(notice, site=site)
    footer_link_add(contact, site=site)
    services = ServiceIndexPage.objects.child_of(home).get()
    news = NewsIndexPage.objects.child_of(home).get()
    return SitePages(
        home=HomePage.objects.get(pk=home.pk),
        about=about,
        services=services,
        service=ServicePage.objects.child_of(services).order_by("path").first(),
        news=news,
        article=NewsPage.objects.child_of(news).order_by("path").first(),
        contact=contact,
        notice=notice,
    )


def _locale(language: str) -> Locale:
    return Locale.objects.get(language_code=language)


def image_create(*, title: str = "Photo", width: int = 1600, height: int = 900):
    """An image in the library, a real PNG of ``width`` × ``height`` pixels."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image
    from wagtail.images import get_image_model

    buffer = BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, format="PNG")
    file = ContentFile(buffer.getvalue(), name=f"{slugify(title) or 'image'}.png")
    return get_image_model().objects.create(title=title, file=file, width=width, height=height)


def share_image_set(*, image, alt: str, alt_en: str, site: Site | None = None) -> CentreSettings:
    """The centre's default share image, described in French and English."""
    settings_ = CentreSettings.for_site(site or Site.objects.get(is_default_site=True))
    settings_.share_image = image
    settings_.share_image_alt = alt
    settings_.share_image_alt_en = alt_en
    settings_.full_clean()
    settings_.save()
    return settings_
