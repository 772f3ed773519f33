"""The form "Report an incident" through the HTTP client (policy R, X, P8): every role
reports; the report is stored encrypted with its reporter; the ED, the AED and the Privacy
Officer are each e-mailed once, in their language, a link and no detail (delivered to a
real SMTP server); the reporter never reaches the register; bad input comes back with what
was typed (400), a database that refuses the write says so (503), never a 500."""

from __future__ import annotations

import datetime
import socket
from html import unescape

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from csce.accounts.factories import staff_sign_in, staff_user
from csce.audit.models import AccessLogEntry
from csce.common.crypto import blind_index
from csce.common.roles import (
    AED,
    COMMUNICATIONS,
    CONTENT,
    ED,
    PRIVACY_OFFICER,
    PROGRAM_STAFF,
    TECHNICAL_ADMIN,
)
from csce.common.testing import database_read_only, database_text_dump, hostile_form_values
from csce.incidents import alerts
from csce.incidents.factories import incident_create
from csce.incidents.forms import DESCRIPTION_MAX_LENGTH
from csce.incidents.models import EventKind, Incident, IncidentStatus
from csce.incidents.report_views import OWN_REPORTS_SHOWN, SENT_SESSION_KEY
from csce.outbox.models import OutboxMessage, OutboxState

pytestmark = pytest.mark.django_db

REPORT = "incident_report:report"
SENT = "incident_report:sent"
ROLES = [CONTENT, PROGRAM_STAFF, COMMUNICATIONS, TECHNICAL_ADMIN, AED, ED, PRIVACY_OFFICER]
# Words of a report that must stay in the register: never in an e-mail, a log or a page
# the reporter's colleagues see.
SECRET = "Zorblax-42 a envoyé la liste des inscrits de Mme Gagnon au mauvais courriel"
SECRET_WORDS = ["Zorblax", "Gagnon", "inscrits", "mauvais courriel"]
PROPERTY = "Quuxbook du programme jeunesse"


def _report_data(**overrides) -> dict:
    data = {
        "kind": "privacy_breach",
        "description": SECRET,
        "occurred_at": "2026-03-14T09:30",
        "property_name": PROPERTY,
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def _signed_in(client, *, role=CONTENT, **fields):
    user = staff_user(role=role, **fields)
    staff_sign_in(client, user)
    return user


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def keepers():
    """The register's keepers, each with their admin language, and two accounts that are
    not told: a former Executive Director and an AED without an address."""
    return {
        ED: staff_user(role=ED, language="fr", email="direction@csce.example"),
        AED: staff_user(role=AED, language="en", email="adjointe@csce.example"),
        PRIVACY_OFFICER: staff_user(
            role=PRIVACY_OFFICER, language="en", email="agente.vie.privee@csce.example"
        ),
        "former": staff_user(role=ED, email="ancienne@csce.example", is_active=False),
        "no address": staff_user(role=AED, email=""),
    }


# --- every role reports ---------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@time_machine.travel(datetime.datetime(2026, 3, 14, 15, tzinfo=datetime.UTC))
def test_every_role_opens_the_form_and_sends_a_report(client, role):
    reporter = _signed_in(client, role=role)
    page = client.get(reverse(REPORT))
    assert page.status_code == 200
    assert _no_store(page)
    html = page.content.decode()
    assert 'name="description"' in html
    assert html.count('type="radio" name="kind"') == 5

    response = client.post(reverse(REPORT), _report_data())
    assert response.status_code == 302
    assert response["Location"] == reverse(SENT)

    incident = Incident.objects.get()
    assert incident.reference == "INC-2026-0001"
    assert incident.reported_by == reporter
    assert incident.kind == "privacy_breach"
    assert incident.status == IncidentStatus.REPORTED
    assert incident.description == SECRET
    assert incident.property_name == PROPERTY
    assert timezone.localtime(incident.occurred_at).replace(tzinfo=None) == datetime.datetime(
        2026, 3, 14, 9, 30
    )
    # Encrypted at rest: whoever reads a copy of the database does not read the report.
    assert "Zorblax" not in database_text_dump()

    sent = client.get(response["Location"])
    assert sent.status_code == 200
    assert _no_store(sent)
    assert "INC-2026-0001" in sent.content.decode()


def test_the_confirmation_gives_the_reference_who_was_told_and_what_happens_next(client, keepers):
    _signed_in(client, role=PROGRAM_STAFF, language="en")
    response = client.post(reverse(REPORT), _report_data(), follow=True)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    incident = Incident.objects.get()
    assert f"Your report {incident.reference} is received" in html
    for keeper, role in ((ED, "Executive Director"), (AED, "Assistant Executive Director")):
        assert f"{keepers[keeper].get_full_name()} ({role})" in html
    assert f"{keepers[PRIVACY_OFFICER].get_full_name()} (Privacy Officer)" in html
    assert f"The Privacy Officer's address ({settings.PRIVACY_OFFICER_EMAIL})" in html
    assert keepers["former"].get_full_name() not in html
    assert keepers["no address"].get_full_name() not in html
    assert "What happens next" in html
    # The confirmation names the report, never what it says.
    for word in [*SECRET_WORDS, PROPERTY]:
        assert word not in html


def test_the_confirmation_in_french_says_the_same_in_french(client, keepers):
    _signed_in(client, language="fr")
    html = unescape(client.post(reverse(REPORT), _report_data(), follow=True).content.decode())
    reference = Incident.objects.get().reference
    assert f"Votre signalement {reference} est reçu" in html
    assert "Ce qui se passe ensuite" in html
    assert f"{keepers[ED].get_full_name()} (Direction générale)" in html


def test_the_confirmation_says_to_tell_someone_when_no_one_could_be_e_mailed(client, settings):
    settings.PRIVACY_OFFICER_EMAIL = settings.PRIVACY_OFFICER_EMAIL_PLACEHOLDER
    _signed_in(client, language="en")
    html = client.post(reverse(REPORT), _report_data(), follow=True).content.decode()
    assert "No one could be told by e-mail" in html
    assert Incident.objects.count() == 1


def test_the_confirmation_shows_only_the_reporters_own_report(client):
    other = incident_create(reporter=staff_user(role=CONTENT), description=SECRET)
    _signed_in(client)
    assert client.get(reverse(SENT))["Location"] == reverse(REPORT)  # nothing sent yet
    session = client.session
    session[SENT_SESSION_KEY] = other.pk
    session.save()
    response = client.get(reverse(SENT))
    assert response.status_code == 302
    assert response["Location"] == reverse(REPORT)


def test_who_was_told_is_kept_on_the_reported_entry_of_the_timeline(client, keepers):
    reporter = _signed_in(client)
    client.post(reverse(REPORT), _report_data())
    event = Incident.objects.get().events.get(kind=EventKind.REPORTED)
    assert event.actor == reporter
    assert sorted(event.details["alerted"]) == sorted(
        keepers[role].pk for role in (ED, AED, PRIVACY_OFFICER)
    )
    assert event.details["officer_address"] is True
    # The access log has the report's code and ids, never its words.
    assert AccessLogEntry.objects.filter(actor_id=reporter.pk).exists()
    assert not any(
        word in str(entry.details)
        for entry in AccessLogEntry.objects.all()
        for word in SECRET_WORDS
    )


# --- the alerts -------------------------------------------------------------------------

EXPECTED_SUBJECT = {"fr": "Incident signalé", "en": "Incident reported"}
EXPECTED_KIND = {"fr": "Atteinte à la vie privée", "en": "Privacy breach"}


def test_the_keepers_each_get_one_e_mail_in_their_language_with_a_link_and_no_detail(
    client, keepers, smtp_inbox, django_capture_on_commit_callbacks
):
    reporter = _signed_in(client, first_name="Rosalind", last_name="Quintessa")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse(REPORT), _report_data()).status_code == 302
    incident = Incident.objects.get()
    expected = {
        keepers[ED].email: "fr",
        keepers[AED].email: "en",
        keepers[PRIVACY_OFFICER].email: "en",
        settings.PRIVACY_OFFICER_EMAIL: settings.LANGUAGE_CODE,
    }
    messages = smtp_inbox.wait(len(expected))
    assert sorted(m["To"] for m in messages) == sorted(expected)  # each once, no one else
    for message in messages:
        language = expected[message["To"]]
        subject = message["Subject"]
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert EXPECTED_SUBJECT[language] in subject
        assert incident.reference in subject
        assert incident.reference in body
        assert EXPECTED_KIND[language] in body
        assert f"{settings.SITE_URL}/admin/incidents/" in body
        # No personal value: not what happened, not where, not who reported it.
        for word in [*SECRET_WORDS, PROPERTY, "Quuxbook", "Rosalind", "Quintessa", reporter.email]:
            assert word not in subject
            assert word not in body
    rows = OutboxMessage.objects.filter(kind=alerts.ALERT_MAIL_KIND)
    assert set(rows.values_list("reference", flat=True)) == {incident.reference}
    assert set(rows.values_list("state", flat=True)) == {OutboxState.SENT}


def test_an_address_is_told_once_and_a_keeper_who_reports_is_told_once_like_the_others(
    client, settings
):
    # The officer's account has the officer's address (another case), and is also AED.
    officer = staff_user(
        roles=[PRIVACY_OFFICER, AED], language="en", email=settings.PRIVACY_OFFICER_EMAIL.upper()
    )
    director = staff_user(role=ED, language="fr", email="direction@csce.example")
    staff_sign_in(client, director)
    client.post(reverse(REPORT), _report_data())
    rows = OutboxMessage.objects.filter(kind=alerts.ALERT_MAIL_KIND)
    assert rows.count() == 2
    for address, language in ((officer.email, "en"), (director.email, "fr")):
        (row,) = rows.filter(recipient_index=blind_index(address))
        assert row.language == language
    recipients = alerts.incident_alert_recipients()
    assert [r.roles for r in recipients] == [(AED, PRIVACY_OFFICER), (ED,)]


def test_a_mail_server_that_is_down_loses_neither_the_report_nor_its_alerts(
    client, keepers, settings, django_capture_on_commit_callbacks
):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    _signed_in(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse(REPORT), _report_data())
    assert response.status_code == 302
    assert Incident.objects.count() == 1
    rows = OutboxMessage.objects.filter(kind=alerts.ALERT_MAIL_KIND)
    assert rows.count() == 4
    # Waiting for the next try, content kept: the outbox retries (csce/outbox).
    assert set(rows.values_list("state", flat=True)) == {OutboxState.QUEUED}
    assert all(row.attempts == 1 and row.content for row in rows)


def test_a_flood_of_reports_from_one_account_is_kept_but_its_e_mails_are_held(client, keepers):
    """Policy M: a script or a stolen session sending report after report fills the
    register, never the keepers' mailboxes; every report is kept and numbered."""
    _signed_in(client)
    limit = alerts.ALERTS_PER_REPORTER_PER_HOUR
    for _ in range(limit + 2):
        assert client.post(reverse(REPORT), _report_data()).status_code == 302
    assert Incident.objects.count() == limit + 2
    per_report = OutboxMessage.objects.filter(kind=alerts.ALERT_MAIL_KIND).count() // limit
    assert per_report > 0
    assert OutboxMessage.objects.filter(kind=alerts.ALERT_MAIL_KIND).count() == (per_report * limit)
    # The confirmation of a held report says no one was e-mailed, and to tell someone.
    latest = Incident.objects.order_by("-pk").first()
    assert latest.events.get(kind="reported").details["alerted"] == []


# --- the register stays with its keepers -------------------------------------------------


@pytest.mark.parametrize("role", [CONTENT, PROGRAM_STAFF, COMMUNICATIONS, TECHNICAL_ADMIN])
def test_a_reporter_without_the_register_role_never_sees_the_register(client, role):
    reporter = _signed_in(client, role=role)
    client.post(reverse(REPORT), _report_data())
    assert not reporter.has_perm("incidents.view_incident")
    html = client.get(reverse(REPORT)).content.decode()
    assert '"name": "incident_report"' in html  # the menu item to report
    assert '"name": "incidents"' not in html  # but not the register's
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '"name": "incidents"' not in dashboard


@pytest.mark.parametrize("role", [AED, ED, PRIVACY_OFFICER])
def test_the_keepers_have_the_register_in_their_menu(client, role):
    keeper = _signed_in(client, role=role)
    assert keeper.has_perm("incidents.view_incident")
    assert '"name": "incidents"' in client.get(reverse(REPORT)).content.decode()


def test_the_reporter_sees_their_own_reports_without_their_text_and_no_one_elses(client):
    colleague = staff_user(role=CONTENT)
    theirs = incident_create(reporter=colleague, description="Texte de la collègue")
    reporter = _signed_in(client, language="en")
    mine = incident_create(reporter=reporter, description=SECRET, kind="security")
    html = client.get(reverse(REPORT)).content.decode()
    assert mine.reference in html
    assert "Security incident" in html
    assert "Reported" in html
    assert theirs.reference not in html
    assert "Texte de la collègue" not in html
    for word in [*SECRET_WORDS, "Site web"]:
        assert word not in html


def test_the_list_of_own_reports_costs_the_same_queries_however_long(
    client, django_assert_max_num_queries
):
    reporter = _signed_in(client)
    incident_create(reporter=reporter)
    client.get(reverse(REPORT))  # the session and the profile, read once
    with CaptureQueriesContext(connection) as one:
        client.get(reverse(REPORT))
    for _ in range(OWN_REPORTS_SHOWN + 3):
        incident_create(reporter=reporter)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(reverse(REPORT)).content.decode()
    assert html.count("INC-") == OWN_REPORTS_SHOWN
    assert "Only your latest" in html or "Seuls vos" in html or "Seul" in html


# --- bad input ---------------------------------------------------------------------------

TOMORROW = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
UNICODE = "Ωμέγα — 東京 — مرحبا — 🔥 « guillemets » l’été"

BAD_INPUT = {
    "empty text": (_report_data(description=""), "What happened?"),
    "blank text": (_report_data(description="   \n\t "), "What happened?"),
    "no kind": (_report_data(kind=None), "What kind of incident is it?"),
    "unknown kind": (_report_data(kind="lost_cat"), "What kind of incident is it?"),
    "future date": (_report_data(occurred_at=TOMORROW), "in the future"),
    "not a date": (_report_data(occurred_at="hier soir"), "When did it happen?"),
    "date and don't know": (
        _report_data(occurred_unknown="on"),
        "not both",
    ),
    "huge text": (
        _report_data(description="x" * (DESCRIPTION_MAX_LENGTH + 1)),
        "What happened?",
    ),
    "huge property": (_report_data(property_name="p" * 201), "Which website or account?"),
    "null byte": (_report_data(description="avant\x00après"), "Null characters"),
    "unicode with a future date": (
        _report_data(description=UNICODE, occurred_at=TOMORROW),
        "in the future",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_comes_back_with_what_was_typed_and_the_error_linked_to_its_field(client, case):
    data, message = BAD_INPUT[case]
    _signed_in(client, language="en")
    response = client.post(reverse(REPORT), data)
    assert response.status_code == 400
    assert _no_store(response)
    html = response.content.decode()
    assert message in html
    assert 'class="error-summary"' in html
    assert 'aria-invalid="true"' in html
    # Error summary entries link to their fields.
    assert '<a href="#id_' in html
    description = data.get("description", "")
    if description and "\x00" not in description and len(description) < 1000:
        assert description.strip() in html or not description.strip()
    if data.get("property_name") and len(data["property_name"]) <= 200:
        assert data["property_name"] in html
    if case == "unicode with a future date":
        assert UNICODE in html
        assert f'value="{TOMORROW}"' in html
    assert not Incident.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_unicode_is_stored_as_typed(client):
    _signed_in(client)
    text = f"{UNICODE}\nDeuxième ligne\r\n  indentée"
    assert client.post(reverse(REPORT), _report_data(description=text)).status_code == 302
    assert Incident.objects.get().description == text


def test_i_dont_know_when_is_a_report_without_a_date(client):
    _signed_in(client)
    data = _report_data(occurred_at="", occurred_unknown="on", property_name="")
    assert client.post(reverse(REPORT), data).status_code == 302
    incident = Incident.objects.get()
    assert incident.occurred_at is None
    assert incident.property_name == ""


def test_a_database_that_refuses_the_write_says_so_and_keeps_what_was_typed(client, keepers):
    _signed_in(client, language="en")
    with database_read_only():
        response = client.post(reverse(REPORT), _report_data())
    assert response.status_code == 503
    assert _no_store(response)
    html = response.content.decode()
    assert "could not be saved just now" in html
    assert SECRET.split()[0] in html  # what was typed, still in the form
    assert PROPERTY in html
    assert 'value="2026-03-14T09:30"' in html
    assert not Incident.objects.exists()
    assert not OutboxMessage.objects.exists()
    # Nothing was half-done: the same report goes through once the database is back.
    assert client.post(reverse(REPORT), _report_data()).status_code == 302
    assert Incident.objects.count() == 1


# --- fuzzing -----------------------------------------------------------------------------

FIELDS = ["kind", "description", "occurred_at", "occurred_unknown", "property_name"]
values = hostile_form_values(
    "security", "privacy_breach", "other", "on", TOMORROW, "2026-02-30T10:00", "0001-01-01T00:00"
)
payloads = st.dictionaries(st.sampled_from(FIELDS), st.lists(values, min_size=1, max_size=3))


@pytest.fixture
def reporter_client(client):
    _signed_in(client)
    return client


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=payloads, drop=st.sets(st.sampled_from(FIELDS)))
def test_any_post_gets_a_page_never_a_server_error(reporter_client, payload, drop):
    data = MultiValueDict({k: [v] for k, v in _report_data().items()})
    for name in drop:
        data.pop(name, None)
    for name, given_values in payload.items():
        data.setlist(name, given_values)  # several values: a duplicated field
    response = reporter_client.post(reverse(REPORT), data)
    assert response.status_code in (302, 400)
    html = response.content.decode()
    assert "<script>alert('x')</script>" not in html
    assert "<img src=x onerror" not in html
