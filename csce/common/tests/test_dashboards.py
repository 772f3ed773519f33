"""Each role's admin home starts with its own work (policy R, P10, S), and no role sees
another's panels: Communications and Program staff their inboxes and today's sessions,
the Privacy Officer the requests near their deadline and the privacy topic's inquiries,
the AED what awaits approval first, then the exceptions; the Privacy Officer, the AED
and the Executive Director the incident register (policy P8; O. Reg. 329/04 s.6.3)."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Workflow

from csce.accounts import roles
from csce.accounts.factories import staff_sign_in
from csce.audit.models import AccessAction, AccessLogEntry
from csce.common.factories import post_form
from csce.incidents.factories import incident_create
from csce.incidents.models import IncidentKind, IncidentStatus
from csce.privacy.factories import (
    INQUIRY_NAME,
    privacy_contact_form_create,
    privacy_inquiry_send,
    privacy_request_make,
)
from csce.submissions.factories import (
    inquiry_post_data,
    program_page_create,
    registration_post_data,
    services_index_create,
)
from csce.submissions.models import Submission

pytestmark = pytest.mark.django_db

INBOXES = 'id="inbox-today-heading"'
SESSIONS = 'id="sessions-today-heading"'
PRIVACY = 'id="privacy-requests-heading"'
APPROVALS = 'id="awaiting-review-section"'
BREAK_GLASS = 'id="superuser-use-heading"'
INCIDENTS = 'id="incidents-register-heading"'
PANELS = (INBOXES, SESSIONS, PRIVACY, APPROVALS, BREAK_GLASS, INCIDENTS)


@pytest.fixture(autouse=True)
def morning():
    """Ten in the morning of today, in the centre's time zone, the clock running: the
    day's session at 18:30 is still ahead (run in the evening, the session would have
    started and its form would refuse the registration)."""
    ten = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    with time_machine.travel(ten, tick=True):
        yield


@pytest.fixture
def day(client, site_home):
    """A day's work waiting: an overdue and a new inquiry for Communications, a session
    today with one person registered, a privacy-topic inquiry, privacy requests due in
    five days and overdue, a page submitted for approval."""
    contact = privacy_contact_form_create(home=site_home)
    assert post_form(client, contact, inquiry_post_data(contact)).status_code == 200
    late = Submission.objects.get()
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    Submission.objects.filter(pk=late.pk).update(
        created_at=ten_days_ago, due_at=ten_days_ago + datetime.timedelta(days=2)
    )
    assert post_form(client, contact, inquiry_post_data(contact)).status_code == 200
    assert privacy_inquiry_send(client, page=contact).status_code == 200

    program = program_page_create(parent=services_index_create(home=site_home))
    session = program.sessions.order_by("sort_order").first()
    today = timezone.localtime().replace(hour=18, minute=30, second=0, microsecond=0)
    session.starts_at, session.ends_at = today, today + datetime.timedelta(hours=2)
    session.save()
    assert post_form(client, program, registration_post_data(program, session)).status_code == 200

    now = timezone.now()
    near = privacy_request_make(verified_at=now - datetime.timedelta(days=25))
    overdue = privacy_request_make(verified_at=now - datetime.timedelta(days=40))

    # The register: a breach the IPC must be told of, one whose people are being
    # notified, a security incident, and a closed one.
    ipc_due = incident_create(ipc_situations=["stolen"], ipc_assessed_at=now)
    notifying = incident_create(status=IncidentStatus.NOTIFYING)
    incident_create(kind=IncidentKind.SECURITY)
    incident_create(status=IncidentStatus.CLOSED)

    workflow = Workflow.objects.get(name=roles.WORKFLOW_NAME)
    author = contact.owner or None
    contact.title = "Écrivez-nous (nouveau)"
    contact.save_revision(user=author)
    workflow.start(contact, author)
    return {
        "program": program,
        "session": session,
        "near": near,
        "overdue": overdue,
        "ipc_due": ipc_due,
        "notifying": notifying,
    }


def _home(client, user) -> str:
    staff_sign_in(client, user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def _panels(html: str) -> list[str]:
    """The panels shown, in page order."""
    found = sorted((html.index(panel), panel) for panel in PANELS if panel in html)
    return [panel for _at, panel in found]


def test_communications_starts_with_new_and_overdue_items_and_todays_sessions(
    client, staff_user_make, day
):
    html = _home(client, staff_user_make(role=roles.COMMUNICATIONS))
    assert _panels(html) == [INBOXES, SESSIONS]
    assert "1 élément en retard pour la première réponse" in html
    assert "2 nouveaux éléments" in html
    late = Submission.objects.order_by("created_at").first()
    assert reverse("submissions_admin:detail", args=[late.pk]) in html
    # Today's session with its count; no roster link for an inbox that is not theirs.
    assert "Atelier cuisine" in html
    assert "1 / 2" in html
    assert reverse("submissions_admin:session_roster", args=[day["session"].pk]) not in html
    # Counts and form titles only: no sender's name, so no read to log.
    assert INQUIRY_NAME not in html
    assert "Marie Tremblay" not in html
    assert not AccessLogEntry.objects.filter(action=AccessAction.PERSONAL_DATA_READ).exists()


def test_program_staff_see_their_sessions_roster_link(client, staff_user_make, day):
    html = _home(client, staff_user_make(role=roles.PROGRAM_STAFF))
    assert _panels(html) == [INBOXES, SESSIONS]
    assert reverse("submissions_admin:session_roster", args=[day["session"].pk]) in html
    # Their inbox holds the registration, none of the contact form's items.
    assert "1 nouvel élément" in html
    assert "0 élément en retard" in html
    assert "18\u00a0h\u00a030" in html


def test_the_privacy_officer_sees_deadlines_and_the_privacy_topic(client, staff_user_make, day):
    html = _home(client, staff_user_make(role=roles.PRIVACY_OFFICER))
    assert _panels(html)[:2] == [PRIVACY, INCIDENTS]
    assert INBOXES not in html
    assert SESSIONS not in html
    assert day["near"].reference in html
    assert day["overdue"].reference in html
    assert "5 jours restants" in html
    assert "1 demande reçue par le sujet" in html
    assert INQUIRY_NAME not in html


def test_the_aed_sees_approvals_first_then_the_exceptions(client, staff_user_make, day):
    breaker = staff_user_make(superuser=True, first_name="Brise", last_name="Glace")
    staff_sign_in(client, breaker)
    client.get(reverse("wagtailadmin_home"))
    client.logout()
    html = _home(client, staff_user_make(role=roles.AED))
    shown = _panels(html)
    assert shown[0] == APPROVALS
    assert shown.index(INCIDENTS) < shown.index(BREAK_GLASS)
    assert INBOXES not in shown
    assert SESSIONS not in shown
    assert PRIVACY not in shown
    assert "Écrivez-nous (nouveau)" in html
    # The break-glass table names the person, never an account number.
    table = html[html.index(BREAK_GLASS) :]
    assert "Brise Glace" in table
    assert not re.search(r">\s*#\d+\s*<", table)


def test_a_deleted_break_glass_account_is_said_so(client, staff_user_make):
    breaker = staff_user_make(superuser=True)
    staff_sign_in(client, breaker)
    client.get(reverse("wagtailadmin_home"))
    client.logout()
    number = breaker.pk
    breaker.delete()
    html = _home(client, staff_user_make(role=roles.AED))
    assert re.search(rf"Compte supprimé nº\s{number}\b", html)


def test_the_executive_director_starts_with_the_incident_register(client, staff_user_make, day):
    """Their first screen: counts and references only, so not a read of personal data."""
    html = _home(client, staff_user_make(role=roles.ED))
    assert _panels(html) == [INCIDENTS]
    panel = html[html.index(INCIDENTS) :]
    assert "3 incidents ouverts" in panel
    assert "1 atteinte dont le CIPVP doit être avisé, pas encore avisé" in panel
    assert "1 atteinte dont les personnes touchées sont en train d’être avisées" in panel
    assert reverse("incidents:detail", args=[day["ipc_due"].pk]) in panel
    assert reverse("incidents:detail", args=[day["notifying"].pk]) in panel
    assert day["ipc_due"].description not in html
    assert not AccessLogEntry.objects.filter(action=AccessAction.PERSONAL_DATA_READ).exists()


@pytest.mark.parametrize("role", [roles.CONTENT, roles.TECHNICAL_ADMIN, roles.ED])
def test_other_roles_see_none_of_these_panels(client, staff_user_make, day, role):
    html = _home(client, staff_user_make(role=role))
    for panel in (INBOXES, SESSIONS, PRIVACY):
        assert panel not in html
    assert (INCIDENTS in html) == (role == roles.ED)


def test_the_panels_queries_are_bounded(client, staff_user_make, day, site_home):
    user = staff_user_make(role=roles.PROGRAM_STAFF)
    staff_sign_in(client, user)
    client.get(reverse("wagtailadmin_home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("wagtailadmin_home"))
    # Ten more items and sessions today cost no more queries.
    for _n in range(10):
        Submission.objects.create(
            page=day["program"],
            form_title="Atelier cuisine",
            kind="registration",
            inbox=Group.objects.get(name=roles.PROGRAM_STAFF),
            expires_at=timezone.now() + datetime.timedelta(days=30),
            due_at=timezone.now() - datetime.timedelta(days=1),
            answers=[],
        )
    for n in range(5):
        other = program_page_create(parent=day["program"].get_parent(), slug=f"atelier-{n}")
        other.sessions.update(starts_at=day["session"].starts_at)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("wagtailadmin_home"))
    assert len(many) <= len(few) + 2


def test_the_incident_panels_queries_are_bounded(client, staff_user_make, day):
    staff_sign_in(client, staff_user_make(role=roles.ED))
    client.get(reverse("wagtailadmin_home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("wagtailadmin_home"))
    # Fifteen more breaches to tell the IPC of and to notify: the panel names ten of each.
    for _n in range(15):
        incident_create(ipc_situations=["stolen"], ipc_assessed_at=timezone.now())
        incident_create(status=IncidentStatus.NOTIFYING)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert len(many) == len(few)
    assert "16 atteintes dont le CIPVP doit être avisé" in html
