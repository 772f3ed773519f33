"""The register's writes with the real database (policy P8, R; PHIPA s.12; O. Reg.
329/04 s.6.3; PIPEDA s.10.3): numbering, the timeline, the workflow and retention."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from csce.accounts.factories import staff_user
from csce.audit.models import AccessLogEntry
from csce.common import policy
from csce.common.roles import CONTENT, PRIVACY_OFFICER
from csce.incidents import services
from csce.incidents.factories import incident_create, notice_create
from csce.incidents.models import (
    BreachNotice,
    EventKind,
    Incident,
    IncidentEvent,
    IncidentStatus,
    IpcSituation,
)
from csce.incidents.registry import INCIDENTS_SOURCE

pytestmark = pytest.mark.django_db

SECRET = "Zorblax-42 a vu le dossier de Mme Gagnon"


def test_a_report_is_numbered_by_year_and_starts_its_timeline_with_who_reported_it():
    reporter = staff_user(role=CONTENT)
    with time_machine.travel(datetime.datetime(2026, 12, 31, 12, tzinfo=datetime.UTC)):
        first = incident_create(reporter=reporter)
        second = incident_create(reporter=reporter)
    with time_machine.travel(datetime.datetime(2027, 1, 2, 12, tzinfo=datetime.UTC)):
        third = incident_create(reporter=reporter)
    assert [first.reference, second.reference, third.reference] == [
        "INC-2026-0001",
        "INC-2026-0002",
        "INC-2027-0001",
    ]
    event = first.events.get()
    assert (event.kind, event.actor) == (EventKind.REPORTED, reporter)
    assert first.status == IncidentStatus.REPORTED
    assert first.detected_at == first.reported_at


def test_what_was_reported_is_encrypted_at_rest_and_never_in_the_access_log():
    incident = incident_create(description=SECRET)
    services.incident_text_set(
        incident=incident, field="containment", text=SECRET, actor=staff_user()
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT description, containment FROM incidents_incident")
        stored = cursor.fetchone()
        cursor.execute("SELECT text FROM incidents_incidentevent")
        texts = [row[0] for row in cursor.fetchall()]
    assert all("Zorblax" not in value for value in [*stored, *texts])
    assert Incident.objects.get().description == SECRET
    assert not any("Zorblax" in str(entry.details) for entry in AccessLogEntry.objects.all())


def test_the_workflow_records_each_change_and_closing_says_who_and_when():
    officer = staff_user(role=PRIVACY_OFFICER)
    incident = incident_create()
    for status in ("assessing", "contained", "notifying", "closed"):
        services.incident_status_change(incident=incident, status=status, actor=officer)
    incident.refresh_from_db()
    assert incident.closed_by == officer
    assert incident.closed_at is not None
    services.incident_status_change(incident=incident, status="assessing", actor=officer)
    incident.refresh_from_db()
    assert incident.closed_at is None
    kinds = list(incident.events.values_list("kind", flat=True))
    assert kinds == ["reported", "status", "status", "status", "closed", "reopened"]
    with pytest.raises(services.IncidentError):
        services.incident_status_change(incident=incident, status="assessing", actor=officer)
    with pytest.raises(services.IncidentError):
        services.incident_status_change(incident=incident, status="lost", actor=officer)


def test_the_ipc_checklist_says_whether_the_commissioner_must_be_notified():
    officer = staff_user(role=PRIVACY_OFFICER)
    incident = incident_create()
    assert incident.ipc_must_be_notified is None  # not assessed yet
    services.ipc_checklist_complete(incident=incident, situations=[], actor=officer)
    assert incident.ipc_must_be_notified is False
    services.ipc_checklist_complete(
        incident=incident,
        situations=[IpcSituation.SIGNIFICANT, IpcSituation.STOLEN],
        actor=officer,
    )
    assert incident.ipc_must_be_notified is True
    assert incident.ipc_situations == ["stolen", "significant"]  # the regulation's order
    with pytest.raises(services.IncidentError):
        services.ipc_checklist_complete(incident=incident, situations=["bored"], actor=officer)
    with pytest.raises(services.IncidentError):
        services.ipc_notified_record(
            incident=incident,
            notified_at=timezone.now() + datetime.timedelta(days=1),
            reference="",
            actor=officer,
        )


def test_a_closed_incident_is_kept_24_months_then_purged_with_its_timeline_and_notices():
    officer = staff_user(role=PRIVACY_OFFICER)
    start = timezone.now()
    kept = incident_create(now=start)
    closed = incident_create(now=start)
    notice_create(incident=closed, email="marie@example.org")
    services.incident_status_change(incident=closed, status="closed", actor=officer)
    just_before = start + datetime.timedelta(days=policy.BREACH_RECORD_RETENTION_DAYS - 1)
    assert INCIDENTS_SOURCE.purge_expired(now=just_before, batch_size=10) == 0
    after = start + datetime.timedelta(days=policy.BREACH_RECORD_RETENTION_DAYS + 1)
    assert INCIDENTS_SOURCE.purge_expired(now=after, batch_size=10) == 1
    assert list(Incident.objects.all()) == [kept]
    assert not BreachNotice.objects.exists()
    assert not IncidentEvent.objects.filter(incident_id=closed.pk).exists()


def test_the_privacy_portal_finds_and_exports_a_notice_but_an_erasure_keeps_the_record():
    incident = incident_create()
    notice_create(incident=incident, email="Marie@Example.org", name="Marie")
    found = INCIDENTS_SOURCE.find(email="marie@example.org")
    # The summary is in the active language (French by default, with the catalogue).
    assert [record.summary for record in found] == [f"Avis d’atteinte {incident.reference}"]
    exported = INCIDENTS_SOURCE.export(email="marie@example.org")
    assert exported[0]["incident"] == incident.reference
    assert INCIDENTS_SOURCE.erase is None
    assert INCIDENTS_SOURCE.erase_exception
    assert INCIDENTS_SOURCE.find(email="someone.else@example.org") == []
