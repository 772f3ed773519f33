"""The incident register's intake for other apps (csce/common/incident_intake.py): a
report of a concern escalated by a moderator becomes an incident, reported by that
moderator, with the same alerts as any report (policy R, U)."""

from __future__ import annotations

from django.urls import reverse

from csce.common.incident_intake import IncidentIntake

from .models import Incident, IncidentKind
from .services import incident_report_submit

# A moderator escalates what a visitor saw: a security matter or a conduct one.
ESCALATION_KINDS = (IncidentKind.SECURITY, IncidentKind.CONDUCT, IncidentKind.PRIVACY_BREACH)


def _open(*, reporter, kind: str, description: str, property_name: str = "") -> str:
    sent = incident_report_submit(
        reporter=reporter, kind=kind, description=description, property_name=property_name
    )
    return sent.incident.reference


def _kinds() -> list[tuple[str, str]]:
    return [(str(kind.value), str(kind.label)) for kind in ESCALATION_KINDS]


def _url(*, reference: str) -> str:
    incident = Incident.objects.filter(reference=reference).only("pk").first()
    return reverse("incidents:detail", args=[incident.pk]) if incident else ""


INCIDENT_INTAKE = IncidentIntake(open=_open, kinds=_kinds, url=_url)
