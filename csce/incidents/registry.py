"""What the incidents app declares in the personal-data registry (csce/common/registry.py).

A breach record is a legal record (PIPEDA s.10.3: 24 months): the notices it holds are
found and exported for the person they went to, but an erasure request does not delete
them; the whole incident goes ``policy.BREACH_RECORD_RETENTION_DAYS`` after closing.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Min
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from csce.common import policy
from csce.common.crypto import blind_index
from csce.common.registry import PersonalDataSource, PersonalRecord

from .models import RECORD_RETENTION_DAYS, BreachNotice, Incident, IncidentStatus

SOURCE_KEY = "incidents"
NOTICE_TYPE = "incidents.breachnotice"


def _notices(email: str):
    index = blind_index(email)
    if not index:
        return BreachNotice.objects.none()
    return BreachNotice.objects.filter(email_index=index).select_related("incident").order_by("pk")


def incidents_find(*, email: str) -> list[PersonalRecord]:
    return [
        PersonalRecord(
            source=SOURCE_KEY,
            object_type=NOTICE_TYPE,
            object_id=str(notice.pk),
            created_at=notice.created_at,
            summary=str(
                _("Breach notice %(reference)s") % {"reference": notice.incident.reference}
            ),
        )
        for notice in _notices(email)
    ]


def incidents_export(*, email: str, actor=None, language: str = "fr") -> list[dict]:
    return [
        {
            "incident": notice.incident.reference,
            "email": notice.email,
            "name": notice.name,
            "language": notice.language,
            "notice": notice.get_state_display(),
            "sent": notice.sent_at.isoformat() if notice.sent_at else "",
        }
        for notice in _notices(email)
    ]


def incidents_purge(*, now: datetime.datetime, batch_size: int) -> int:
    """Incidents (with their timeline, scopes and notices) once closed for the record's
    lifetime. Each batch in its own short transaction."""
    limit = now - datetime.timedelta(days=RECORD_RETENTION_DAYS)
    expired = Incident.objects.filter(status=IncidentStatus.CLOSED, closed_at__lt=limit)
    deleted = 0
    while ids := list(expired.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            Incident.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    return deleted


def incidents_oldest():
    return Incident.objects.aggregate(first=Min("reported_at"))["first"]


_RETENTION = policy.interpolate_lazy(
    ngettext_lazy(
        "%(months)s month after the incident is closed (legal record of the breach).",
        "%(months)s months after the incident is closed (legal record of the breach).",
        "months",
    ),
    {"months": policy.PRIVACY_RECORD_RETENTION_MONTHS},
)

INCIDENTS_SOURCE = PersonalDataSource(
    key=SOURCE_KEY,
    label=_("Incidents and privacy breaches"),
    purpose=_(
        "Recording incidents and privacy breaches, notifying the people affected and "
        "reporting to the Information and Privacy Commissioner as the law requires."
    ),
    retention=_RETENTION,
    find=incidents_find,
    export=incidents_export,
    purge_expired=incidents_purge,
    oldest=incidents_oldest,
    erase_exception=policy.interpolate_lazy(
        ngettext_lazy(
            "Kept as the legal record of a privacy breach and of the notice sent, then "
            "deleted %(months)s month after the incident is closed.",
            "Kept as the legal record of a privacy breach and of the notice sent, then "
            "deleted %(months)s months after the incident is closed.",
            "months",
        ),
        {"months": policy.PRIVACY_RECORD_RETENTION_MONTHS},
    ),
    models=(
        "incidents.Incident",
        "incidents.IncidentEvent",
        "incidents.BreachNotice",
    ),
    retention_days=RECORD_RETENTION_DAYS,
    # PIPEDA s.10.3: a record of every breach of security safeguards, kept 24 months.
    legal_hold="PIPEDA s.10.3 and the Breach of Security Safeguards Regulations s.6",
)
