"""The demo's privacy-rights portal, in French with its English translation, linked from
every footer (policy P10: the easiest way to exercise one's rights is one click away)."""

from __future__ import annotations

from typing import TextIO

from django.db import transaction
from wagtail.models import Locale, Site

from csce.pages.cache import site_generation_bump
from csce.pages.models import CentreSettings, FooterLink, HomePage

from .models import PrivacyRightsPage

PORTAL = {
    "fr": {
        "title": "Exercer vos droits",
        "slug": "exercer-vos-droits",
        "search_description": (
            "Voir, corriger ou supprimer vos renseignements personnels, retirer votre "
            "consentement ou porter plainte : une demande en deux minutes."
        ),
        "intro": (
            "<p>Vous avez le droit de savoir quels renseignements personnels le Centre "
            "détient à votre sujet et de décider de leur utilisation. Choisissez votre "
            "demande ci-dessous : nous vous envoyons un lien pour confirmer votre adresse, "
            "puis nous vous répondons.</p>"
        ),
    },
    "en": {
        "title": "Exercise your privacy rights",
        "slug": "exercise-your-privacy-rights",
        "search_description": (
            "See, correct or delete your personal information, withdraw your consent or "
            "make a complaint: a request in two minutes."
        ),
        "intro": (
            "<p>You have the right to know what personal information the Centre holds "
            "about you and to decide how it is used. Choose your request below: we send "
            "you a link to confirm your address, then we answer you.</p>"
        ),
    },
}


def privacy_portal_demo_load(*, stdout: TextIO | None = None) -> bool:
    """Add the portal under each home page once the demo site exists; never twice."""
    with transaction.atomic():
        if PrivacyRightsPage.objects.exists():
            return False
        homes = {
            code: HomePage.objects.filter(locale=locale).first()
            for code in PORTAL
            if (locale := Locale.objects.filter(language_code=code).first())
        }
        if homes.get("fr") is None:
            return False
        french = None
        for language, home in homes.items():
            if home is None:
                continue
            text = PORTAL[language]
            page = PrivacyRightsPage(
                title=text["title"],
                slug=text["slug"],
                search_description=text["search_description"],
                intro=text["intro"],
                locale=home.locale,
            )
            if french is not None:
                page.translation_key = french.translation_key
            home.add_child(instance=page)
            page.save_revision().publish()
            french = french or page
        site = Site.objects.filter(is_default_site=True).first()
        if site is not None:
            centre = CentreSettings.for_site(site)
            if not centre.footer_links.filter(page=french).exists():
                last = centre.footer_links.order_by("-sort_order").first()
                FooterLink.objects.create(
                    settings=centre,
                    page=french,
                    sort_order=(last.sort_order + 1) if last and last.sort_order is not None else 0,
                )
        # Footers cached while this transaction ran must not outlive it.
        transaction.on_commit(site_generation_bump)
    if stdout is not None:
        stdout.write("Created the privacy-rights portal in French and English.\n")
    return True
