"""Incidents for tests and the demo: reported through the service, as staff would."""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import BreachNotice, Incident, IncidentKind
from .services import incident_report


def incident_create(
    *,
    reporter=None,
    kind: str = IncidentKind.PRIVACY_BREACH,
    description: str = "Un courriel d'inscriptions est parti au mauvais destinataire.",
    property_name: str = "Site web",
    now: datetime.datetime | None = None,
    **fields,
) -> Incident:
    incident = incident_report(
        reporter=reporter,
        kind=kind,
        description=description,
        property_name=property_name,
        now=now or timezone.now(),
    )
    if fields:
        for name, value in fields.items():
            setattr(incident, name, value)
        incident.save()
    return incident


def notice_create(*, incident: Incident, email: str, language: str = "fr", **fields):
    return BreachNotice.objects.create(incident=incident, email=email, language=language, **fields)
