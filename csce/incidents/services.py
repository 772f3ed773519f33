"""The incident register's writes (policy P8, R, X; PHIPA s.12; O. Reg. 329/04 s.6.3).

Every change goes through these functions: each writes its timeline entry (attributed,
timestamped; free text encrypted) and its access-log entry (codes and ids only) in the
same transaction as the change.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common.references import yearly_numbered_create, yearly_reference_next

from .alerts import AlertRecipient, incident_alert_send, incident_alerts_allowed
from .models import (
    EventKind,
    Incident,
    IncidentEvent,
    IncidentKind,
    IncidentStatus,
    IpcSituation,
)
from .property_links import property_match

REFERENCE_PREFIX = "INC"
OBJECT_TYPE = "incidents.incident"

# Policy P8: the register's workflow. Any open status may go back to assessing (new facts)
# or forward; a closed incident is reopened into assessing.
STATUS_ORDER = [s.value for s in IncidentStatus]


class IncidentError(ValueError):
    """A change the register refuses, said in the staff member's language."""


def _reference_next(*, year: int) -> str:
    return yearly_reference_next(model=Incident, prefix=REFERENCE_PREFIX, year=year)


def incident_event_add(
    *, incident: Incident, kind: str, actor=None, text: str = "", details: dict | None = None
) -> IncidentEvent:
    """One timeline entry, and its access-log entry (the action's code, never the text)."""
    event = IncidentEvent.objects.create(
        incident=incident, kind=kind, actor=actor, text=text, details=details or {}
    )
    access_log_record(
        action=AccessAction.CONTENT_ACTION,
        actor=actor,
        object_type=OBJECT_TYPE,
        object_id=str(incident.pk),
        details={"incident": kind, **(details or {})},
    )
    return event


def incident_report(
    *,
    reporter,
    kind: str,
    description: str,
    occurred_at: datetime.datetime | None = None,
    property_name: str = "",
    online_property=None,
    now: datetime.datetime | None = None,
) -> Incident:
    """A staff member reports an incident (policy R): it is numbered, enters the register
    as "reported" with the reporter's account and the moment as its detection."""
    if kind not in IncidentKind.values:
        raise IncidentError(kind)
    now = now or timezone.now()
    with transaction.atomic():
        incident = yearly_numbered_create(
            model=Incident,
            year=timezone.localtime(now).year,
            fields={
                "kind": kind,
                "description": description,
                "occurred_at": occurred_at,
                "property_name": property_name,
                "online_property": online_property,
                "reported_by": reporter,
                "reported_at": now,
                "detected_at": now,
            },
            next_reference=lambda year: _reference_next(year=year),
        )
        incident_event_add(
            incident=incident, kind=EventKind.REPORTED, actor=reporter, details={"kind": kind}
        )
    return incident


@dataclass(frozen=True)
class ReportSent:
    incident: Incident
    alerted: list[AlertRecipient]  # in the order they were told


def incident_report_submit(
    *,
    reporter,
    kind: str,
    description: str,
    occurred_at: datetime.datetime | None = None,
    property_name: str = "",
    online_property=None,
) -> ReportSent:
    """What a staff member's report does (policy R, P8): the incident enters the register
    and the ED, the AED and the Privacy Officer are told at once, in one transaction, so
    a report never exists without its alerts in the outbox. Who was told is kept on the
    "reported" entry of the timeline (user ids, and whether the officer's address was)."""
    with transaction.atomic():
        incident = incident_report(
            reporter=reporter,
            kind=kind,
            description=description,
            occurred_at=occurred_at,
            property_name=property_name,
            online_property=online_property,
        )
        # A flood from one account keeps every report but holds the e-mails.
        allowed = incident_alerts_allowed(reporter=reporter)
        alerted = incident_alert_send(incident=incident) if allowed else []
        told = {
            "alerted": [r.user.pk for r in alerted if r.user is not None],
            "officer_address": any(r.user is None for r in alerted),
        }
        event = incident.events.get(kind=EventKind.REPORTED)
        event.details = {**event.details, **told}
        event.save(update_fields=["details"])
    return ReportSent(incident=incident, alerted=alerted)


def incident_status_change(*, incident: Incident, status: str, actor, note: str = "") -> Incident:
    """Move the incident through the workflow; closing records who and when, reopening
    clears it."""
    if status not in STATUS_ORDER or status == incident.status:
        raise IncidentError(status)
    previous = incident.status
    now = timezone.now()
    with transaction.atomic():
        incident.status = status
        fields = ["status", "updated_at"]
        if status == IncidentStatus.CLOSED:
            incident.closed_at, incident.closed_by = now, actor
            fields += ["closed_at", "closed_by"]
        elif previous == IncidentStatus.CLOSED:
            incident.closed_at, incident.closed_by = None, None
            fields += ["closed_at", "closed_by"]
        incident.save(update_fields=fields)
        kind = {
            IncidentStatus.CLOSED: EventKind.CLOSED,
        }.get(status, EventKind.REOPENED if previous == IncidentStatus.CLOSED else EventKind.STATUS)
        incident_event_add(
            incident=incident,
            kind=kind,
            actor=actor,
            text=note,
            details={"from": previous, "to": status},
        )
    return incident


def incident_kind_change(*, incident: Incident, kind: str, actor, note: str = "") -> Incident:
    """What the incident turned out to be (a security incident found to be a privacy
    breach gets the breach's section; policy P8), with its timeline entry."""
    if kind not in IncidentKind.values or kind == incident.kind:
        raise IncidentError(kind)
    previous = incident.kind
    with transaction.atomic():
        incident.kind = kind
        incident.save(update_fields=["kind", "updated_at"])
        incident_event_add(
            incident=incident,
            kind=EventKind.KIND,
            actor=actor,
            text=note,
            details={"from": previous, "to": kind},
        )
    return incident


def incident_owner_set(*, incident: Incident, owner, actor) -> Incident:
    with transaction.atomic():
        incident.assigned_to = owner
        incident.save(update_fields=["assigned_to", "updated_at"])
        incident_event_add(
            incident=incident,
            kind=EventKind.OWNER,
            actor=actor,
            details={"owner": owner.pk if owner else None},
        )
    return incident


# The free-text parts of the register, each with its timeline entry.
TEXT_FIELDS = {
    "containment": EventKind.CONTAINMENT,
    "root_cause": EventKind.ROOT_CAUSE,
    "lessons": EventKind.LESSONS,
}


def incident_text_set(*, incident: Incident, field: str, text: str, actor) -> Incident:
    """Containment steps, root cause or lessons learned: the field holds the latest text,
    the timeline every version."""
    if field not in TEXT_FIELDS:
        raise IncidentError(field)
    with transaction.atomic():
        setattr(incident, field, text)
        incident.save(update_fields=[field, "updated_at"])
        incident_event_add(incident=incident, kind=TEXT_FIELDS[field], actor=actor, text=text)
    return incident


def incident_note_add(*, incident: Incident, text: str, actor, kind: str = EventKind.NOTE):
    """A note or an action taken, on the timeline."""
    if kind not in (EventKind.NOTE, EventKind.ACTION):
        raise IncidentError(kind)
    return incident_event_add(incident=incident, kind=kind, actor=actor, text=text)


def breach_assess(
    *,
    incident: Incident,
    actor,
    data_categories: list[str],
    health_information: bool | None,
    people_affected: int | None,
    phipa_category: str,
) -> Incident:
    """The breach's facts (PHIPA s.12; the yearly counts read ``phipa_category`` of the
    breaches that involve health information)."""
    with transaction.atomic():
        incident.data_categories = sorted(set(data_categories))
        incident.health_information = health_information
        incident.people_affected = people_affected
        incident.phipa_category = phipa_category
        incident.save(
            update_fields=[
                "data_categories",
                "health_information",
                "people_affected",
                "phipa_category",
                "updated_at",
            ]
        )
        incident_event_add(
            incident=incident,
            kind=EventKind.ASSESSMENT,
            actor=actor,
            details={
                "categories": incident.data_categories,
                "health": health_information,
                "people": people_affected,
                "phipa": phipa_category,
            },
        )
    return incident


def ipc_checklist_complete(*, incident: Incident, situations: list[str], actor) -> Incident:
    """O. Reg. 329/04 s.6.3(1): the officer goes through the seven situations; any one
    that applies means the IPC must be notified."""
    unknown = set(situations) - set(IpcSituation.values)
    if unknown:
        raise IncidentError(", ".join(sorted(unknown)))
    ordered = [s for s in IpcSituation.values if s in situations]
    with transaction.atomic():
        incident.ipc_situations = ordered
        incident.ipc_assessed_at = timezone.now()
        incident.save(update_fields=["ipc_situations", "ipc_assessed_at", "updated_at"])
        incident_event_add(
            incident=incident,
            kind=EventKind.IPC_CHECKLIST,
            actor=actor,
            details={"situations": ordered, "must_notify": bool(ordered)},
        )
    return incident


def ipc_notified_record(
    *, incident: Incident, notified_at: datetime.datetime, reference: str, actor
) -> Incident:
    """When the IPC was notified, and its file number if it gave one."""
    if notified_at > timezone.now():
        raise IncidentError("future")
    with transaction.atomic():
        incident.ipc_notified_at = notified_at
        incident.ipc_reference = reference
        incident.save(update_fields=["ipc_notified_at", "ipc_reference", "updated_at"])
        incident_event_add(
            incident=incident,
            kind=EventKind.IPC_NOTIFIED,
            actor=actor,
            details={"at": notified_at.isoformat()},
        )
    return incident


def incidents_link_to_registry() -> int:
    """Link each incident that names its property in free text only to the registry's
    entry that text names (policy O: name, handle or address, without case or accents),
    as the migration did for the incidents recorded before the registry; run when a
    property is saved, since the AED fills the registry after those incidents exist. An
    ambiguous or unknown text stays as it is. Returns how many were linked."""
    properties = list(Incident._meta.get_field("online_property").related_model.objects.all())
    if not properties:
        return 0
    linked = 0
    unlinked = (
        Incident.objects.filter(online_property__isnull=True)
        .exclude(property_name="")
        .only("pk", "property_name")
    )
    for incident in unlinked.iterator():
        pk = property_match(incident.property_name, properties)
        if pk is not None:
            linked += Incident.objects.filter(pk=incident.pk, online_property__isnull=True).update(
                online_property_id=pk
            )
    return linked
