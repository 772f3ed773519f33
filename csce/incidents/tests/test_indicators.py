"""The incident register's compliance indicators with the real database (policy P8, R,
X; O. Reg. 329/04 s.6.3, s.6.4): a breach the IPC must be told of and is not is red, an
open incident amber, none green; the yearly statistics amber from the reminder's date,
red past the due date, green once marked submitted."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from csce.accounts.factories import staff_user
from csce.common.compliance import AMBER, GREEN, RED, indicator_registry
from csce.common.roles import PRIVACY_OFFICER
from csce.incidents.factories import incident_create
from csce.incidents.indicators import ipc_report_read, open_incidents_read
from csce.incidents.models import Incident, IncidentKind, IncidentStatus, IpcSituation
from csce.incidents.statistics import ipc_report_mark_submitted

pytestmark = pytest.mark.django_db

TORONTO = ZoneInfo("America/Toronto")


def test_both_are_registered():
    keys = {indicator.key for indicator in indicator_registry}
    assert {"incidents.open", "incidents.ipc_report"} <= keys


def test_a_breach_the_ipc_must_hear_of_is_red_until_notified_then_amber_until_closed():
    now = timezone.now()
    assert open_incidents_read(now=now).level == GREEN
    breach = incident_create(description="Zorblax a vu le dossier", property_name="Quuxbook")
    reading = open_incidents_read(now=now)
    assert reading.level == AMBER
    assert breach.reference not in str(reading.summary)
    assert "Quuxbook" not in str(reading.summary)
    Incident.objects.filter(pk=breach.pk).update(
        ipc_assessed_at=now, ipc_situations=[IpcSituation.STOLEN]
    )
    assert open_incidents_read(now=now).level == RED
    # Closing does not report it.
    Incident.objects.filter(pk=breach.pk).update(status=IncidentStatus.CLOSED, closed_at=now)
    assert open_incidents_read(now=now).level == RED
    Incident.objects.filter(pk=breach.pk).update(ipc_notified_at=now)
    assert open_incidents_read(now=now).level == GREEN


def test_a_breach_assessed_as_not_for_the_ipc_is_not_red():
    now = timezone.now()
    breach = incident_create()
    Incident.objects.filter(pk=breach.pk).update(ipc_assessed_at=now, ipc_situations=[])
    assert open_incidents_read(now=now).level == AMBER
    incident_create(kind=IncidentKind.SECURITY)
    assert "2 incidents" in str(open_incidents_read(now=now).summary)


def test_the_yearly_statistics_are_amber_when_due_red_when_late_green_when_submitted():
    assert ipc_report_read(now=datetime.datetime(2027, 1, 10, 12, tzinfo=TORONTO)).level == GREEN
    reading = ipc_report_read(now=datetime.datetime(2027, 2, 1, 12, tzinfo=TORONTO))
    assert reading.level == AMBER
    assert "2026" in str(reading.summary)
    assert reading.action_url == "/admin/incidents/ipc-statistics/?year=2026"
    late = datetime.datetime(2027, 3, 2, 12, tzinfo=TORONTO)
    assert ipc_report_read(now=late).level == RED
    ipc_report_mark_submitted(year=2026, actor=staff_user(role=PRIVACY_OFFICER), now=late)
    assert ipc_report_read(now=late).level == GREEN
