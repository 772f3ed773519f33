"""The incident register's screens (policy P8, R, X; PHIPA s.12; O. Reg. 329/04 s.6.3):
who reads and acts, what each action leaves on the timeline and in the access log, the
list's columns, filters and query budget, refused input."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from csce.accounts.factories import staff_sign_in
from csce.audit.models import AccessAction, AccessLogEntry
from csce.common.roles import (
    AED,
    COMMUNICATIONS,
    CONTENT,
    ED,
    PRIVACY_OFFICER,
    PROGRAM_STAFF,
    TECHNICAL_ADMIN,
)
from csce.incidents import register_views
from csce.incidents.factories import incident_create
from csce.incidents.models import (
    EventKind,
    Incident,
    IncidentEvent,
    IncidentKind,
    IncidentStatus,
    IpcSituation,
)

pytestmark = pytest.mark.django_db

SECRET = "Zorblax-77 a envoyé la liste de Mme Gagnon"
KEEPERS = [PRIVACY_OFFICER, AED, ED]
OTHERS = [CONTENT, COMMUNICATIONS, PROGRAM_STAFF, TECHNICAL_ADMIN]


def _detail(incident) -> str:
    return reverse("incidents:detail", args=[incident.pk])


def _past(**delta) -> str:
    return (timezone.localtime() - datetime.timedelta(**delta)).strftime("%Y-%m-%dT%H:%M")


def _actions(owner) -> dict[str, tuple[dict, str]]:
    """Each action's valid form, and the timeline entry it must leave."""
    return {
        "status": ({"status": "assessing", "note": "Nouveaux faits"}, EventKind.STATUS),
        "owner": ({"owner": str(owner.pk)}, EventKind.OWNER),
        "containment": ({"text": "Accès retiré au compte."}, EventKind.CONTAINMENT),
        "root_cause": ({"text": "Liste de diffusion mal choisie."}, EventKind.ROOT_CAUSE),
        "lessons": ({"text": "Relire le destinataire."}, EventKind.LESSONS),
        "note": ({"kind": "action", "text": "Appel au destinataire."}, EventKind.ACTION),
        "assess": (
            {
                "data_categories": ["contact", "health"],
                "health_information": "yes",
                "people_affected": "12",
                "phipa_category": "disclosed",
            },
            EventKind.ASSESSMENT,
        ),
        "ipc_checklist": ({"situations": ["stolen"], "confirm": "on"}, EventKind.IPC_CHECKLIST),
        "ipc_notified": (
            {"notified_at": _past(hours=2), "reference": "HR26-00042"},
            EventKind.IPC_NOTIFIED,
        ),
        # Last: after it the incident is no longer a breach.
        "kind": ({"kind": "security", "note": "Aucune donnée en cause."}, EventKind.KIND),
    }


@pytest.fixture
def breach():
    return incident_create(description=SECRET, kind=IncidentKind.PRIVACY_BREACH)


# --- who reads and who acts -----------------------------------------------------------


@pytest.mark.parametrize("role", KEEPERS)
def test_the_keepers_of_the_register_read_it_and_act(client, staff_user_make, breach, role):
    user = staff_user_make(role=role)
    staff_sign_in(client, user)
    for url in (reverse("incidents:index"), reverse("incidents:index_results"), _detail(breach)):
        assert client.get(url).status_code == 200, url
    for action, (data, kind) in _actions(owner=user).items():
        before = AccessLogEntry.objects.filter(action=AccessAction.CONTENT_ACTION).count()
        response = client.post(_detail(breach), {"action": action, **data})
        assert response.status_code == 302, (action, response.content.decode()[:2000])
        assert response["Location"] == _detail(breach)
        event = breach.events.order_by("-pk").first()
        assert (event.kind, event.actor) == (kind, user), action
        entry = AccessLogEntry.objects.filter(action=AccessAction.CONTENT_ACTION).order_by("-pk")[0]
        assert entry.actor_id == user.pk
        assert (entry.object_type, entry.object_id) == ("incidents.incident", str(breach.pk))
        assert entry.details["incident"] == kind
        assert AccessLogEntry.objects.filter(action=AccessAction.CONTENT_ACTION).count() == (
            before + 1
        )
    breach.refresh_from_db()
    assert breach.status == IncidentStatus.ASSESSING
    assert breach.assigned_to == user
    assert (breach.containment, breach.root_cause, breach.lessons) == (
        "Accès retiré au compte.",
        "Liste de diffusion mal choisie.",
        "Relire le destinataire.",
    )
    assert breach.data_categories == ["contact", "health"]
    assert (breach.health_information, breach.people_affected) == (True, 12)
    assert breach.phipa_category == "disclosed"
    assert breach.ipc_situations == ["stolen"]
    assert breach.ipc_must_be_notified is True
    assert breach.ipc_reference == "HR26-00042"
    assert breach.ipc_notified_at is not None


@pytest.mark.parametrize("role", OTHERS)
def test_every_other_role_gets_the_403_that_says_why_for_reads_and_writes(
    client, staff_user_make, breach, role
):
    user = staff_user_make(role=role)
    staff_sign_in(client, user)
    for url in (reverse("incidents:index"), reverse("incidents:index_results"), _detail(breach)):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Responsable de la protection de la vie privée" in response.content.decode()
        assert SECRET not in response.content.decode()
    events = breach.events.count()
    for action, (data, _kind) in _actions(owner=user).items():
        response = client.post(_detail(breach), {"action": action, **data})
        assert response.status_code == 403, action
    assert breach.events.count() == events
    breach.refresh_from_db()
    assert breach.status == IncidentStatus.REPORTED
    assert breach.containment == ""
    assert breach.ipc_assessed_at is None
    # Nothing was read either.
    assert not AccessLogEntry.objects.filter(
        action=AccessAction.PERSONAL_DATA_READ, actor_id=user.pk
    ).exists()


def test_the_register_is_in_the_menu_of_its_keepers_only(client, staff_user_make):
    link = f'"{reverse("incidents:index")}"'
    staff_sign_in(client, staff_user_make(role=ED))
    assert link in client.get(reverse("wagtailadmin_home")).content.decode()
    client.logout()
    staff_sign_in(client, staff_user_make(role=CONTENT))
    assert link not in client.get(reverse("wagtailadmin_home")).content.decode()


# --- one incident's page --------------------------------------------------------------


def test_opening_an_incident_is_one_read_in_the_access_log(client, staff_user_make, breach):
    user = staff_user_make(role=PRIVACY_OFFICER)
    staff_sign_in(client, user)
    response = client.get(_detail(breach))
    assert response.status_code == 200
    assert SECRET in response.content.decode()
    reads = AccessLogEntry.objects.filter(
        action=AccessAction.PERSONAL_DATA_READ,
        actor_id=user.pk,
        object_type="incidents.incident",
        object_id=str(breach.pk),
    )
    assert reads.count() == 1
    # The entry says why, never what was read.
    assert SECRET not in str(reads.get().details)
    # A form sent back with errors shows the page again: read again, logged again.
    client.post(_detail(breach), {"action": "note", "kind": "note", "text": ""})
    assert reads.count() == 2


def test_the_page_shows_the_facts_and_the_timeline_oldest_first(client, staff_user_make):
    reporter = staff_user_make(role=CONTENT, first_name="Rita", last_name="Rapport")
    officer = staff_user_make(role=PRIVACY_OFFICER, first_name="Olivier", last_name="Agent")
    with_time = datetime.datetime(2026, 3, 2, 14, 30, tzinfo=datetime.UTC)
    incident = incident_create(reporter=reporter, description=SECRET, now=with_time)
    staff_sign_in(client, officer)
    client.post(_detail(incident), {"action": "status", "status": "assessing", "note": "Vu"})
    client.post(_detail(incident), {"action": "note", "kind": "note", "text": "Suivi demandé"})
    html = client.get(_detail(incident)).content.decode()
    assert incident.reference in html
    assert "Atteinte à la vie privée" in html
    assert "Rita Rapport" in html
    # The language's way: « 2 mars 2026 à 9 h 30 » (Toronto time).
    assert "2 mars 2026 à 9\u00a0h\u00a030" in html
    timeline = html[html.index('id="incident-timeline"') :]
    reported, status, note = (
        timeline.index("Signalé"),
        timeline.index("Statut modifié"),
        timeline.index("Suivi demandé"),
    )
    assert reported < status < note
    assert "Olivier Agent" in timeline
    assert "De «\u00a0Signalé\u00a0» à «\u00a0En évaluation\u00a0»" in timeline


def test_the_ipc_line_says_in_words_what_the_checklist_concluded(client, staff_user_make, breach):
    staff_sign_in(client, staff_user_make(role=AED))
    assert "Liste de vérification non remplie" in client.get(_detail(breach)).content.decode()
    client.post(_detail(breach), {"action": "ipc_checklist", "confirm": "on"})
    breach.refresh_from_db()
    assert breach.ipc_must_be_notified is False
    assert (
        "Il n’est pas nécessaire d’aviser le CIPVP" in client.get(_detail(breach)).content.decode()
    )
    client.post(
        _detail(breach),
        {"action": "ipc_checklist", "situations": ["pattern", "discipline"], "confirm": "on"},
    )
    html = client.get(_detail(breach)).content.decode()
    assert "Le CIPVP doit être avisé" in html
    # The situations with their full wording.
    assert str(IpcSituation.PATTERN.label) in html or "Elle fait partie" in html


def test_the_checklist_offers_the_seven_situations_in_full(client, staff_user_make, breach):
    staff_sign_in(client, staff_user_make(role=PRIVACY_OFFICER, language="en"))
    html = client.get(_detail(breach)).content.decode()
    for situation in IpcSituation:
        assert f'value="{situation.value}"' in html
        with translation.override("en"):
            assert str(situation.label).replace("'", "&#x27;") in html


def test_breach_actions_are_not_offered_for_other_incidents(client, staff_user_make):
    incident = incident_create(kind=IncidentKind.SECURITY)
    staff_sign_in(client, staff_user_make(role=PRIVACY_OFFICER))
    html = client.get(_detail(incident)).content.decode()
    assert 'value="ipc_checklist"' not in html
    response = client.post(
        _detail(incident), {"action": "ipc_checklist", "situations": ["stolen"], "confirm": "on"}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.ipc_assessed_at is None


def test_the_workflow_offers_forward_back_to_assessing_and_reopening(client, staff_user_make):
    incident = incident_create()
    user = staff_user_make(role=ED)
    staff_sign_in(client, user)
    for status in ("contained", "notifying", "assessing", "closed"):
        response = client.post(_detail(incident), {"action": "status", "status": status})
        assert response.status_code == 302, status
    incident.refresh_from_db()
    assert (incident.status, incident.closed_by) == (IncidentStatus.CLOSED, user)
    # Closed: only a note, reopening and the IPC's notification remain.
    response = client.post(_detail(incident), {"action": "containment", "text": "Trop tard"})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.containment == ""
    response = client.post(
        _detail(incident), {"action": "status", "status": "assessing", "note": "Nouveau fait"}
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert (incident.status, incident.closed_at) == (IncidentStatus.ASSESSING, None)
    kinds = list(incident.events.values_list("kind", flat=True))
    assert kinds[-2:] == [EventKind.CLOSED, EventKind.REOPENED]
    assert incident.events.last().text == "Nouveau fait"


def test_a_status_outside_the_workflow_is_refused(client, staff_user_make):
    incident = incident_create()
    staff_sign_in(client, staff_user_make(role=PRIVACY_OFFICER))
    response = client.post(_detail(incident), {"action": "status", "status": "reported"})
    assert response.status_code == 400
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.REPORTED


# --- refused input --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "data", "kept"),
    [
        (
            "ipc_notified",
            {"notified_at": "2099-01-01T10:00", "reference": "HR-9"},
            "2099-01-01T10:00",
        ),
        ("ipc_checklist", {"situations": ["stolen", "aliens"], "confirm": "on"}, "aliens"),
        (
            "assess",
            {"health_information": "no", "people_affected": "-3", "phipa_category": "lost"},
            'value="-3"',
        ),
        ("containment", {"text": "x" * 10001}, "x" * 10001),
        ("note", {"kind": "note", "text": "avant\x00après"}, None),
        ("root_cause", {"text": "cause\x00cachée"}, None),
    ],
)
def test_a_bad_form_comes_back_with_what_was_typed(
    client, staff_user_make, breach, action, data, kept
):
    staff_sign_in(client, staff_user_make(role=PRIVACY_OFFICER))
    events = breach.events.count()
    response = client.post(_detail(breach), {"action": action, **data})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-message"' in html
    if kept and kept != "aliens":
        assert kept in html
    assert breach.events.count() == events
    saved = Incident.objects.get(pk=breach.pk)
    assert saved.ipc_notified_at is None
    assert saved.ipc_assessed_at is None
    assert saved.people_affected is None
    assert (saved.containment, saved.root_cause) == ("", "")
    assert "no-store" in response["Cache-Control"]


def test_the_ipc_notification_cannot_be_dated_in_the_future(client, staff_user_make, breach):
    staff_sign_in(client, staff_user_make(role=AED))
    tomorrow = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(_detail(breach), {"action": "ipc_notified", "notified_at": tomorrow})
    assert response.status_code == 400
    assert "ne peuvent pas être dans le futur" in response.content.decode()


# --- the list -------------------------------------------------------------------------


def test_nothing_of_the_register_is_kept_by_a_cache(client, staff_user_make, breach):
    staff_sign_in(client, staff_user_make(role=PRIVACY_OFFICER))
    for url in (reverse("incidents:index"), reverse("incidents:index_results"), _detail(breach)):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
    client.logout()
    staff_sign_in(client, staff_user_make(role=CONTENT))
    assert "no-store" in client.get(_detail(breach))["Cache-Control"]


def test_the_list_shows_no_free_text_and_is_not_a_read(client, staff_user_make, breach):
    user = staff_user_make(role=PRIVACY_OFFICER)
    staff_sign_in(client, user)
    html = client.get(reverse("incidents:index")).content.decode()
    assert breach.reference in html
    assert SECRET not in html
    assert not AccessLogEntry.objects.filter(action=AccessAction.PERSONAL_DATA_READ).exists()


def test_the_list_shows_open_incidents_by_default_and_filters(client, staff_user_make):
    open_breach = incident_create()
    security = incident_create(kind=IncidentKind.SECURITY)
    closed = incident_create(kind=IncidentKind.CONDUCT)
    Incident.objects.filter(pk=closed.pk).update(status=IncidentStatus.CLOSED)
    staff_sign_in(client, staff_user_make(role=AED))

    def shown(query: str = "") -> set[str]:
        html = client.get(reverse("incidents:index") + query).content.decode()
        return {i.reference for i in (open_breach, security, closed) if i.reference in html}

    assert shown() == {open_breach.reference, security.reference}
    assert shown("?state=closed") == {closed.reference}
    assert shown("?state=all") == {open_breach.reference, security.reference, closed.reference}
    assert shown("?kind=security") == {security.reference}
    assert shown("?status=closed") == {closed.reference}
    # The filter's words agree with « incidents » (masculine plural).
    html = client.get(reverse("incidents:index")).content.decode()
    assert all(word in html for word in ("Ouverts", "Fermés", "Ouverts et fermés"))


def test_the_list_says_whether_the_ipc_must_be_and_was_notified(client, staff_user_make):
    due = incident_create(ipc_situations=["stolen"], ipc_assessed_at=timezone.now())
    done = incident_create(
        ipc_situations=["stolen"],
        ipc_assessed_at=timezone.now(),
        ipc_notified_at=timezone.now() - datetime.timedelta(days=1),
    )
    needless = incident_create(ipc_situations=[], ipc_assessed_at=timezone.now())
    unassessed = incident_create()
    staff_sign_in(client, staff_user_make(role=PRIVACY_OFFICER))
    html = client.get(reverse("incidents:index")).content.decode()

    def row(incident) -> str:
        start = html.index(incident.reference)
        return html[start : html.index("</tr>", start)]

    assert "Le CIPVP doit être avisé\u00a0: pas encore avisé" in row(due)
    assert "Le CIPVP doit être avisé\u00a0: avisé le" in row(done)
    assert "Il n’est pas nécessaire d’aviser le CIPVP" in row(needless)
    assert "Liste de vérification non remplie" in row(unassessed)
    due_only = client.get(reverse("incidents:index") + "?state=all&ipc=due").content.decode()
    assert due.reference in due_only
    assert done.reference not in due_only
    assert needless.reference not in due_only


def test_the_time_from_detection_to_the_first_notice(client, staff_user_make):
    detected = timezone.now() - datetime.timedelta(days=5)
    notified = incident_create(
        detected_at=detected, first_notified_at=detected + datetime.timedelta(days=2, hours=3)
    )
    quick = incident_create(
        detected_at=detected, first_notified_at=detected + datetime.timedelta(minutes=40)
    )
    waiting = incident_create(detected_at=detected)
    security = incident_create(kind=IncidentKind.SECURITY)
    staff_sign_in(client, staff_user_make(role=PRIVACY_OFFICER))
    html = client.get(reverse("incidents:index")).content.decode()

    def row(incident) -> str:
        start = html.index(incident.reference)
        return html[start : html.index("</tr>", start)]

    assert "2 jours et 3 heures" in row(notified)
    assert "moins d’une heure" in row(quick)
    assert "Pas encore" in row(waiting)
    assert "Pas une atteinte à la vie privée" in row(security)
    assert "2 jours et 3 heures" in client.get(_detail(notified)).content.decode()


def test_the_lists_queries_do_not_grow_with_the_register(client, staff_user_make):
    owner = staff_user_make(role=PRIVACY_OFFICER)
    for _n in range(2):
        incident_create(assigned_to=owner)
    staff_sign_in(client, owner)
    url = reverse("incidents:index")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(12):
        incident_create(
            assigned_to=staff_user_make(role=AED) if n % 2 else owner,
            kind=IncidentKind.SECURITY if n % 3 else IncidentKind.PRIVACY_BREACH,
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
    assert len(few) <= 30


# --- the dashboard --------------------------------------------------------------------


def test_the_overview_counts_and_names_references_in_bounded_queries(django_assert_max_num_queries):
    due = incident_create(ipc_situations=["stolen"], ipc_assessed_at=timezone.now())
    notifying = incident_create(status=IncidentStatus.NOTIFYING)
    closed = incident_create(status=IncidentStatus.CLOSED)
    incident_create(kind=IncidentKind.SECURITY, status=IncidentStatus.NOTIFYING)
    with django_assert_max_num_queries(3):
        overview = register_views.register_overview()
    assert overview["open_count"] == 3
    assert closed.reference not in {r["reference"] for r in overview["ipc_due"]}
    assert [r["reference"] for r in overview["ipc_due"]] == [due.reference]
    assert overview["ipc_due_count"] == 1
    assert [r["reference"] for r in overview["notifying"]] == [notifying.reference]
    assert overview["notifying_count"] == 1


def test_other_parts_of_the_register_add_their_panels(client, staff_user_make, breach, monkeypatch):
    """The scope and notices slots: a panel appended to DETAIL_PANELS shows on a breach's
    page, with the context its function gives, in its slot's place."""
    seen = {}

    def context(*, request, incident):
        seen["incident"] = incident.pk
        return {"open_count": 7, "ipc_due_count": 0, "notifying_count": 0}

    panel = register_views.DetailPanel("incidents/admin/register/panel.html", context=context)
    monkeypatch.setitem(register_views.DETAIL_PANELS, "notices_panel", [panel])
    staff_sign_in(client, staff_user_make(role=PRIVACY_OFFICER))
    html = client.get(_detail(breach)).content.decode()
    assert seen == {"incident": breach.pk}
    assert 'id="incidents-register-heading"' in html
    assert html.index('id="breach-ipc"') < html.index('id="incidents-register-heading"')
    # Not on an incident that is no breach.
    security = incident_create(kind=IncidentKind.SECURITY)
    assert 'id="incidents-register-heading"' not in client.get(_detail(security)).content.decode()
    assert IncidentEvent.objects.filter(incident=security).count() == 1


def test_a_security_incident_found_to_be_a_breach_gets_the_breach_section(client, staff_user_make):
    """Policy P8: what was reported as a security incident turns out to expose personal
    data; changing its kind opens the breach's assessment, checklist and notices."""
    incident = incident_create(kind=IncidentKind.SECURITY)
    officer = staff_user_make(role=PRIVACY_OFFICER)
    staff_sign_in(client, officer)
    assert 'value="ipc_checklist"' not in client.get(_detail(incident)).content.decode()
    response = client.post(
        _detail(incident),
        {"action": "kind", "kind": "privacy_breach", "note": "Des adresses étaient visibles."},
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.is_breach
    event = incident.events.order_by("-pk").first()
    assert (event.kind, event.actor, event.details) == (
        EventKind.KIND,
        officer,
        {"from": "security", "to": "privacy_breach"},
    )
    assert 'value="ipc_checklist"' in client.get(_detail(incident)).content.decode()
    # The same kind again is not a change: refused in words, nothing written.
    response = client.post(_detail(incident), {"action": "kind", "kind": "privacy_breach"})
    assert response.status_code == 400
    assert incident.events.count() == 2
