"""The demo's processors register, in French with its English translations (policy F: the
hosting company and the web analytics service are the only third parties named by the
policy; the e-mail delivery service carries the site's messages)."""

from __future__ import annotations

import datetime
import uuid
from typing import TextIO

from django.db import transaction
from wagtail.models import Locale

from .models.records import Processor, ProcessorCategory

PROCESSORS = [
    {
        "category": ProcessorCategory.HOSTING,
        "agreement_date": datetime.date(2026, 1, 15),
        "agreement_reference": "HEB-2026-01",
        "fr": {
            "name": "Hébergement Laurentides inc. (exemple)",
            "data_received": (
                "Les fichiers et la base de données du site, dont les formulaires reçus, "
                "chiffrés ; les sauvegardes chiffrées."
            ),
            "purpose": (
                "Faire fonctionner le site Web et le protéger ; supprimer les données "
                "recueillies selon nos règles de conservation."
            ),
            "location": "Montréal (Québec), Canada",
        },
        "en": {
            "name": "Hébergement Laurentides inc. (example)",
            "data_received": (
                "The website's files and database, including the forms received, encrypted; "
                "encrypted backups."
            ),
            "purpose": (
                "Running and protecting the website; deleting collected data according to "
                "our retention rules."
            ),
            "location": "Montréal, Quebec, Canada",
        },
    },
    {
        "category": ProcessorCategory.ANALYTICS,
        "agreement_date": datetime.date(2026, 1, 15),
        "agreement_reference": "HEB-2026-01",
        "fr": {
            "name": "Mesure d'audience du Centre, chez Hébergement Laurentides (exemple)",
            "data_received": (
                "Les pages consultées, la famille du navigateur, le système d'exploitation "
                "et le type d'appareil, sans témoin et sans adresse IP complète."
            ),
            "purpose": "Compter les visites de nos pages pour améliorer le site.",
            "location": "Montréal (Québec), Canada",
        },
        "en": {
            "name": "The Centre's audience measurement, at Hébergement Laurentides (example)",
            "data_received": (
                "The pages visited, the browser family, the operating system and the type "
                "of device, without cookies and without the full IP address."
            ),
            "purpose": "Counting visits to our pages to improve the website.",
            "location": "Montréal, Quebec, Canada",
        },
    },
    {
        "category": ProcessorCategory.EMAIL,
        "agreement_date": datetime.date(2026, 2, 2),
        "agreement_reference": "COUR-2026-02",
        "fr": {
            "name": "Courrielleur Nord inc. (exemple)",
            "data_received": (
                "L'adresse courriel des destinataires et le contenu des messages que le site "
                "envoie (accusés de réception, confirmations, réponses)."
            ),
            "purpose": "Livrer les courriels du site.",
            "location": "Toronto (Ontario), Canada",
        },
        "en": {
            "name": "Courrielleur Nord inc. (example)",
            "data_received": (
                "Recipients' e-mail addresses and the content of the messages the website "
                "sends (acknowledgements, confirmations, answers)."
            ),
            "purpose": "Delivering the website's e-mails.",
            "location": "Toronto, Ontario, Canada",
        },
    },
]


def processors_demo_load(*, stdout: TextIO | None = None) -> bool:
    """Create the demo processors in French and English; nothing when any exists."""
    with transaction.atomic():
        if Processor.objects.exists():
            return False
        locales = {code: Locale.objects.filter(language_code=code).first() for code in ("fr", "en")}
        if locales["fr"] is None:
            return False
        created = 0
        for item in PROCESSORS:
            key = uuid.uuid4()
            for code, locale in locales.items():
                if locale is None:
                    continue
                Processor.objects.create(
                    translation_key=key,
                    locale=locale,
                    category=item["category"],
                    agreement_date=item["agreement_date"],
                    agreement_reference=item["agreement_reference"],
                    **item[code],
                )
                created += 1
    if stdout is not None:
        stdout.write(f"Created {created} demo processors in French and English.\n")
    return True
