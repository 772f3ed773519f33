"""Pages for any app's tests: the few a test needs, rather than the whole demo site.

``site_home`` leaves the database as a fresh site serving one French home page and its
English translation (both languages, policy U); ``page_add`` puts a page of any type under
a parent, with its translations when asked. The demo's own test loads the whole demo.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.utils.text import slugify
from wagtail.models import Locale, Page, Site

from .demo import page_translation_create
from .models import CentreSettings, HomePage

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
