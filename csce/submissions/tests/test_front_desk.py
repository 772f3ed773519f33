"""The front desk of a program session (policy P3, P6, F, R): a registration taken by
telephone or in person, check-in and the attendance sheet, a message to everyone, a
session cancelled or moved with a notice in each person's language, the join link of an
online session, and what the cancel page tells a visitor."""

from __future__ import annotations

import csv
import datetime
import io
import zoneinfo

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from csce.accounts.factories import staff_sign_in, staff_user
from csce.accounts.roles import COMMUNICATIONS, PROGRAM_STAFF
from csce.audit.models import AccessAction, AccessLogEntry
from csce.common.typography import NBSP
from csce.submissions.models import (
    ProgramPage,
    ProgramSession,
    Registration,
    RegistrationChannel,
    RegistrationStatus,
    Submission,
)
from csce.submissions.programs.desk import (
    DeskRegistrant,
    FrontDeskError,
    registration_by_hand,
    session_cancel,
    session_reschedule,
)
from csce.submissions.programs.registration import registration_cancel_url, session_when

from .conftest import post_form
from .test_registration import (
    cancel_path,
    program_page_create,
    registration_post_data,
    registration_submit,
)
from .test_translation import translate

pytestmark = pytest.mark.django_db


def said(language: str, message: str, **values) -> str:
    with translation.override(language):
        text = translation.gettext(message)
    return text % values if values else text


def desk_url(name: str, session) -> str:
    return reverse(f"submissions_admin:session_{name}", args=[session.pk])


@pytest.fixture
def program(services):
    """A French program (2 places in its first session) and its English translation."""
    french = program_page_create(parent=services["fr"], capacity=2, slug="atelier-accueil")
    english = translate(french)
    session = ProgramSession.objects.filter(page=french).order_by("starts_at").first()
    english_session = ProgramSession.objects.get(page=english, key=session.key)
    return {"page": french, "english": english, "session": session, "en_session": english_session}


@pytest.fixture
def desk_staff(client):
    """A member of the program's inbox, reading the admin in French."""
    user = staff_user(role=PROGRAM_STAFF, language="fr", verified=False, first_name="Aline")
    staff_sign_in(client, user)
    return user


def add_data(session, **overrides) -> dict:
    data = {
        "name": "Gérard Lalonde",
        "phone": "613 555-0142",
        "email": "",
        "language": "fr",
        "session": str(session.pk),
        "channel": "phone",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def front_desk_entries(action: str) -> list[AccessLogEntry]:
    return [
        e
        for e in AccessLogEntry.objects.filter(action=AccessAction.CONTENT_ACTION)
        if (e.details or {}).get("front_desk") == action
    ]


# --- a registration by telephone or at the desk --------------------------------------


def test_a_telephone_registration_without_e_mail_takes_a_place_with_oral_consent_encrypted(
    client, program, desk_staff, mailoutbox, django_capture_on_commit_callbacks
):
    session = program["session"]
    assert client.get(desk_url("add", session)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(desk_url("add", session), add_data(session))
    assert response.status_code == 302
    registration = Registration.objects.get()
    submission = registration.submission
    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.channel == RegistrationChannel.PHONE
    assert registration.consent_taken_by == desk_staff
    assert submission.consent_given
    assert submission.consent_at is not None
    assert submission.consent_version == program["page"].consent_version
    assert submission.language == "fr"
    assert submission.inbox_id == program["page"].inbox_id
    # Encrypted at rest, like an online registration.
    with connection.cursor() as cursor:
        cursor.execute("SELECT answers FROM submissions_submission WHERE id = %s", [submission.pk])
        (raw,) = cursor.fetchone()
    assert "Lalonde" not in str(raw)
    assert "555-0142" not in str(raw)
    assert mailoutbox == []  # no address: nothing sent, the person is called
    # The roster shows the person with their telephone and how they registered.
    html = client.get(reverse("submissions_admin:session_roster", args=[session.pk])).content
    assert "Gérard Lalonde" in html.decode()
    assert "613 555-0142" in html.decode()
    [entry] = front_desk_entries("registration_added")
    assert entry.actor_id == desk_staff.pk
    assert entry.details["submissions"] == [submission.pk]
    assert "Lalonde" not in str(entry.details)


def test_a_walk_in_with_an_english_address_gets_the_english_confirmation_and_a_full_session_waits(
    client, program, desk_staff, mailoutbox, django_capture_on_commit_callbacks
):
    session = program["session"]
    for n in range(2):
        registration_submit(page=program["page"], session=session, email=f"p{n}@example.org")
    mailoutbox.clear()
    data = add_data(
        session, name="Sam Lee", phone="", email="sam@example.org", language="en", channel="walk_in"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(desk_url("add", session), data).status_code == 302
    registration = Registration.objects.get(submission__language="en")
    assert registration.status == RegistrationStatus.WAITLISTED  # capacity as online
    assert registration.session == program["en_session"]  # the English page's row
    [message] = mailoutbox
    assert message.to == ["sam@example.org"]
    assert message.subject == f"You are on the waitlist: {program['english'].title}"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"phone": "", "email": ""},
            "phone",
            "Give a telephone number or an e-mail address to reach the person.",
        ),
        (
            {"phone": "demain"},
            "phone",
            "Type a telephone number with its area code, e.g. 613 555-0100.",
        ),
        ({"consent": None}, "consent", "Register the person only once they have agreed."),
        ({"email": "pas-une-adresse"}, "email", None),
        ({"name": "   "}, "name", None),
    ],
)
def test_bad_input_says_what_to_fix_and_keeps_what_was_typed(
    client, program, desk_staff, overrides, field, message
):
    session = program["session"]
    response = client.post(desk_url("add", session), add_data(session, **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    html = response.content.decode()
    if message:
        assert escape(said("fr", message)) in html
    typed = {**add_data(session), **{k: v for k, v in overrides.items() if v is not None}}
    if typed["name"].strip():
        assert 'value="Gérard Lalonde"' in html or typed["name"] != "Gérard Lalonde"
    assert Registration.objects.count() == 0


def test_a_cancelled_session_takes_no_registration_by_hand(program, desk_staff):
    session_cancel(session=program["session"], staff=desk_staff)
    person = DeskRegistrant(
        name="Gérard", phone="613 555-0142", email="", language="fr", channel="phone"
    )
    session = ProgramSession.objects.get(pk=program["session"].pk)
    with pytest.raises(FrontDeskError):
        registration_by_hand(session=session, person=person, staff=desk_staff)


# --- check-in and the attendance sheet -----------------------------------------------


def test_checking_people_in_fills_the_present_column_of_the_attendance_sheet(
    client, program, desk_staff
):
    session = program["session"]
    marie = registration_submit(
        page=program["page"], session=session, email="marie@ex.org", name="Marie Tremblay"
    )
    luc = registration_submit(
        page=program["page"], session=session, email="luc@ex.org", name="Luc Roy"
    )
    screen = client.get(desk_url("check_in", session))
    assert screen.status_code == 200
    assert "Marie Tremblay" in screen.content.decode()
    assert "no-store" in screen["Cache-Control"]

    url = desk_url("check_in", session)
    assert client.post(url, {"registration": marie.pk, "attendance": "present"}).status_code == 302
    assert client.post(url, {"registration": luc.pk, "attendance": "absent"}).status_code == 302
    marie.refresh_from_db()
    assert marie.attended is True
    assert marie.attendance_by == desk_staff

    export = client.get(reverse("submissions_admin:session_roster_export", args=[session.pk]))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    present = rows[0].index(said("fr", "Present"))
    by_name = {row[2]: row[present] for row in rows[1:]}
    assert by_name == {"Marie Tremblay": said("fr", "yes"), "Luc Roy": said("fr", "no")}
    assert len(front_desk_entries("attendance_marked")) == 2
    reads = AccessLogEntry.objects.filter(
        action=AccessAction.PERSONAL_DATA_READ, details__screen="check_in"
    )
    assert reads.count() == 1


def test_check_in_refuses_a_person_of_another_session_or_a_bad_choice(client, program, desk_staff):
    other = ProgramSession.objects.filter(page=program["page"]).order_by("starts_at").last()
    elsewhere = registration_submit(page=program["page"], session=other, email="x@ex.org")
    url = desk_url("check_in", program["session"])
    response = client.post(url, {"registration": elsewhere.pk, "attendance": "present"})
    assert response.status_code == 302
    assert client.post(url, {"registration": "abc", "attendance": "present"}).status_code == 302
    elsewhere.refresh_from_db()
    assert elsewhere.attended is None


# --- a message to everyone ---------------------------------------------------------


def test_a_message_is_previewed_then_queued_to_each_person_in_their_language(
    client, program, desk_staff, mailoutbox
):
    session = program["session"]
    registration_submit(page=program["page"], session=session, email="marie@ex.org")
    registration_submit(
        page=program["english"], session=program["en_session"], email="sam@ex.org", language="en"
    )
    registration_by_hand(
        session=session,
        person=DeskRegistrant(
            name="Gérard Lalonde", phone="613 555-0142", email="", language="fr", channel="phone"
        ),
        staff=desk_staff,
    )  # the session is now full: Gérard waits, without an address
    mailoutbox.clear()
    url = desk_url("message", session)
    data = {
        "subject_fr": "Apportez un tablier",
        "body_fr": "Bonjour, apportez un tablier.",
        "subject_en": "",
        "body_en": "",
        "include_waitlist": "on",
    }
    # Someone registered in English: the English text is asked for, the French kept.
    missing = client.post(url, {**data, "action": "preview"})
    assert missing.status_code == 400
    assert "subject_en" in missing.context["form"].errors
    assert "Apportez un tablier" in missing.content.decode()

    data.update(subject_en="Bring an apron", body_en="Hello, bring an apron.")
    preview = client.post(url, {**data, "action": "preview"})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Gérard Lalonde" in html
    assert "613 555-0142" in html
    # Each text is marked with its language, so a screen reader reads it in that voice.
    assert '<pre class="csce-desk-preview" lang="en">Hello, bring an apron.</pre>' in html
    assert '<pre class="csce-desk-preview" lang="fr">Bonjour, apportez un tablier.</pre>' in html
    assert mailoutbox == []

    sent = client.post(url, {**data, "action": "send"})
    assert sent.status_code == 302
    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {"marie@ex.org", "sam@ex.org"}
    assert by_address["marie@ex.org"].subject == "Apportez un tablier"
    assert "apportez un tablier" in by_address["marie@ex.org"].body
    assert by_address["sam@ex.org"].subject == "Bring an apron"
    assert program["english"].title in by_address["sam@ex.org"].body
    [entry] = front_desk_entries("message_sent")
    assert entry.details["without_email"] == 1


# --- cancelling and moving a session ------------------------------------------------


def test_cancelling_a_session_tells_everyone_and_keeps_them_apart_from_the_roster(
    client, program, desk_staff, mailoutbox, django_capture_on_commit_callbacks
):
    session = program["session"]
    marie = registration_submit(
        page=program["page"], session=session, email="marie@ex.org", name="Marie Tremblay"
    )
    registration_submit(
        page=program["english"], session=program["en_session"], email="sam@ex.org", language="en"
    )
    mailoutbox.clear()
    assert client.post(desk_url("cancel", session), {}).status_code == 400  # not confirmed
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(desk_url("cancel", session), {"confirm": "on"}).status_code == 302
    marie.refresh_from_db()
    assert marie.status == RegistrationStatus.CANCELLED
    assert marie.cancelled_with_session
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects == {
        "marie@ex.org": said("fr", "Session cancelled: %(program)s", program=program["page"].title),
        "sam@ex.org": f"Session cancelled: {program['english'].title}",
    }
    roster = client.get(reverse("submissions_admin:session_roster", args=[session.pk]))
    assert roster.context["registered"] == []
    assert len(roster.context["cancelled"]) == 2
    # Both languages, and the next publication of the page, keep the session cancelled.
    program["page"].save_revision().publish()
    assert ProgramSession.objects.filter(key=session.key, cancelled_at__isnull=True).count() == 0
    page = ProgramPage.objects.get(pk=program["page"].pk)
    assert session.pk not in [s.pk for s in page.upcoming_sessions()]
    assert len(front_desk_entries("session_cancelled")) == 1


def test_a_cancelled_session_is_no_longer_offered_and_cannot_be_moved(program, desk_staff):
    session = program["session"]
    session_cancel(session=session, staff=desk_staff)
    with pytest.raises(FrontDeskError):
        session_cancel(session=session, staff=desk_staff)
    later = timezone.now() + datetime.timedelta(days=30)
    with pytest.raises(FrontDeskError):
        session_reschedule(
            session=session,
            starts_at=later,
            ends_at=later + datetime.timedelta(hours=1),
            staff=desk_staff,
        )


def test_moving_a_session_tells_the_new_date_in_french_typography(
    client, program, desk_staff, mailoutbox, django_capture_on_commit_callbacks
):
    session = program["session"]
    registration_submit(page=program["page"], session=session, email="marie@ex.org")
    registration_submit(
        page=program["english"], session=program["en_session"], email="sam@ex.org", language="en"
    )
    mailoutbox.clear()
    url = desk_url("reschedule", session)
    bad = client.post(url, {"starts_at": "2020-01-12T18:30", "ends_at": "2020-01-12T20:00"})
    assert bad.status_code == 400
    assert escape(said("fr", "The new date must be in the future.")) in bad.content.decode()
    assert 'value="2020-01-12T18:30"' in bad.content.decode()  # typed data kept

    year = timezone.localdate().year + 1
    data = {"starts_at": f"{year}-01-12T18:30", "ends_at": f"{year}-01-12T20:00"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    start = datetime.datetime(year, 1, 12, 18, 30, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    for row in ProgramSession.objects.filter(key=session.key):
        assert row.starts_at == start
    french = next(m for m in mailoutbox if m.to == ["marie@ex.org"])
    weekday = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    day = f"{weekday[start.weekday()]} 12 janvier {year}"
    assert f"{day}, de 18{NBSP}h{NBSP}30 à 20{NBSP}h" in french.body
    assert "?cancel=" in french.body
    assert french.attachments[0][2] == "text/calendar"
    english = next(m for m in mailoutbox if m.to == ["sam@ex.org"])
    assert "January 12, " in english.body
    assert f"6:30{NBSP}p.m." in english.body
    # The page's next publication keeps the new date.
    program["page"].save_revision().publish()
    assert ProgramSession.objects.get(pk=session.pk).starts_at == start


# --- the join link and the public cancel page ----------------------------------------


def test_the_join_link_goes_to_registrants_only(
    client, program, mailoutbox, django_capture_on_commit_callbacks
):
    online = ProgramSession.objects.filter(page=program["page"]).order_by("starts_at").last()
    ProgramSession.objects.filter(key=online.key).update(join_url="https://visio.example/abc")
    page = program["page"]
    public = client.get(page.url)
    assert "visio.example" not in public.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        data = registration_post_data(page, online, courriel="marie@example.org")
        assert post_form(client, page, data).status_code == 200
    [message] = mailoutbox
    assert "https://visio.example/abc" in message.body


def test_the_cancel_page_promises_a_place_to_someone_only_when_someone_waits(
    client, program, mailoutbox, django_capture_on_commit_callbacks
):
    page, session = program["page"], program["session"]
    passed_on = said(
        "fr",
        "Your registration is cancelled. Thank you for letting us know: your place goes "
        "to the next person on the waitlist.",
    )
    plain = said("fr", "Your registration is cancelled. Thank you for letting us know.")

    def cancel(registration_email: str):
        message = next(m for m in mailoutbox if m.to == [registration_email])
        link = next(line for line in message.body.splitlines() if "?cancel=" in line)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(cancel_path(link), HTTP_ORIGIN="http://testserver")

    with django_capture_on_commit_callbacks(execute=True):
        registration_submit(page=page, session=session, email="a@ex.org")
    alone = cancel("a@ex.org").content.decode()
    assert escape(plain) in alone
    assert escape(passed_on) not in alone

    with django_capture_on_commit_callbacks(execute=True):
        for address in ("b@ex.org", "c@ex.org", "d@ex.org"):
            registration_submit(page=page, session=session, email=address)
    shared = cancel("b@ex.org").content.decode()
    assert escape(passed_on) in shared
    waiting = Registration.objects.filter(status=RegistrationStatus.REGISTERED)
    assert waiting.count() == 2  # d moved up into b's place


# --- need to know -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["add", "check_in", "message", "cancel", "reschedule"])
def test_only_the_programs_inbox_reaches_the_front_desk(client, program, name):
    session = program["session"]
    registration_submit(page=program["page"], session=session, email="a@ex.org")
    staff_sign_in(client, staff_user(role=COMMUNICATIONS, language="fr", verified=False))
    assert client.get(desk_url(name, session)).status_code == 403
    posted = {
        "add": add_data(session),
        "check_in": {"registration": Registration.objects.get().pk, "attendance": "present"},
        "message": {"subject_fr": "x", "body_fr": "x", "action": "send"},
        "cancel": {"confirm": "on"},
        "reschedule": {"starts_at": "2099-01-01T10:00", "ends_at": "2099-01-01T11:00"},
    }[name]
    assert client.post(desk_url(name, session), posted).status_code == 403
    assert Submission.objects.count() == 1
    registration = Registration.objects.get()
    assert registration.attended is None
    assert registration.status == RegistrationStatus.REGISTERED
    assert ProgramSession.objects.get(pk=session.pk).cancelled_at is None
    assert ProgramSession.objects.get(pk=session.pk).starts_at == session.starts_at


def test_the_cancel_url_names_the_page_of_the_persons_language(program, desk_staff):
    registration = registration_by_hand(
        session=program["session"],
        person=DeskRegistrant(
            name="Sam Lee", phone="", email="sam@ex.org", language="en", channel="walk_in"
        ),
        staff=desk_staff,
    )
    url = registration_cancel_url(registration=registration, nonce="n")
    assert program["english"].url.rstrip("/") in url


# --- notices through a real SMTP server (aiosmtpd) -----------------------------------


def test_a_cancelled_sessions_notices_arrive_in_french_and_in_english(
    client,
    program,
    desk_staff,
    smtp_inbox,
    django_capture_on_commit_callbacks,
):
    session = program["session"]
    with django_capture_on_commit_callbacks(execute=True):
        registration_submit(page=program["page"], session=session, email="marie@example.org")
        registration_submit(
            page=program["english"],
            session=program["en_session"],
            email="sam@example.org",
            language="en",
        )
    smtp_inbox.wait(2)
    smtp_inbox.messages.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(desk_url("cancel", session), {"confirm": "on"})
    assert response.status_code == 302
    messages = {m["To"]: m for m in smtp_inbox.wait(2)}
    assert set(messages) == {"marie@example.org", "sam@example.org"}

    french, english = messages["marie@example.org"], messages["sam@example.org"]
    assert french["Subject"] == said(
        "fr", "Session cancelled: %(program)s", program=program["page"].title
    )
    assert english["Subject"] == f"Session cancelled: {program['english'].title}"
    french_body = french.get_body(("plain",)).get_content()
    english_body = english.get_body(("plain",)).get_content()
    assert "Bonjour" in french_body
    with translation.override("fr"):
        assert session_when(session=session) in french_body  # « lundi 14 décembre … 18 h »
    with translation.override("en"):
        assert session_when(session=session) in english_body
    assert not french["Subject"].startswith("Session cancelled")  # the French catalogue
    assert "Hello," in english_body
    assert "the centre has cancelled the session" in english_body
    for message in (french, english):
        assert message["From"] == settings.DEFAULT_FROM_EMAIL
        assert "?cancel=" not in message.get_body(("plain",)).get_content()
    assert ProgramSession.objects.filter(key=session.key, cancelled_at__isnull=True).count() == 0
