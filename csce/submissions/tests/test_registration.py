"""Program registration: places, waitlist, cancel links, promotion (policy P3)."""

from __future__ import annotations

import datetime
import hashlib
import threading

import pytest
import time_machine
from django.db import close_old_connections, connection, transaction
from django.utils import timezone, translation
from django.utils.html import escape

from csce.accounts.factories import staff_user
from csce.submissions.demo import program_demo_create
from csce.submissions.factories import (
    post_form,
    program_page_create,
    registration_post_data,
)
from csce.submissions.models import (
    ProgramPage,
    ProgramSession,
    Registration,
    RegistrationStatus,
    Submission,
)
from csce.submissions.programs.calendar import CalendarEvent, event_ics, ics_fold
from csce.submissions.programs.registration import (
    registration_cancel_url,
    registration_create,
)
from csce.submissions.services import submission_close, submissions_purge_expired

pytestmark = pytest.mark.django_db


def fr(message: str) -> str:
    """The French of one of our strings (the catalogue is compiled from the app's locale)."""
    with translation.override("fr"):
        return translation.gettext(message)


def fr_n(singular: str, plural: str, count: int) -> str:
    with translation.override("fr"):
        return translation.ngettext(singular, plural, count)


@pytest.fixture
def program_page(services):
    return program_page_create(parent=services["fr"])


@pytest.fixture
def program_page_en(services):
    return program_page_create(parent=services["en"], slug="workshop")


def registration_submit(
    *,
    page: ProgramPage,
    session: ProgramSession,
    email: str,
    language: str = "fr",
    name: str = "",
) -> Registration:
    """What submission_create does for a program, without the HTTP form."""
    now = timezone.now()
    answers = [
        {
            "name": "courriel",
            "label": "Courriel",
            "field_type": "email",
            "data_class": "personal",
            "value": email,
        }
    ]
    if name:
        answers.insert(
            0,
            {
                "name": "nom",
                "label": "Nom",
                "field_type": "singleline",
                "data_class": "personal",
                "value": name,
            },
        )
    with transaction.atomic():
        submission = Submission.objects.create(
            page=page,
            form_title=page.title,
            kind=page.form_kind,
            inbox_id=page.inbox_id,
            language=language,
            expires_at=now + datetime.timedelta(days=page.retention_days),
            answers=answers,
        )
        return registration_create(submission=submission, session_id=session.pk)


def cancel_path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_the_form_offers_upcoming_sessions_with_places_left_in_french(client, program_page):
    first = program_page.sessions.first()
    for n in range(2):
        registration_submit(page=program_page, session=first, email=f"p{n}@example.org")
    html = client.get(program_page.url).content.decode()
    assert 'name="program_session"' in html
    assert 'type="radio"' in html
    assert escape(fr("full: you will be on the waitlist")) in html
    assert escape(fr_n("%(count)d place left", "%(count)d places left", 5) % {"count": 5}) in html
    assert escape(fr("Online")) in html
    assert "checked" not in html


def test_the_form_shows_labels_in_english_on_the_english_page(client, program_page_en):
    html = client.get(program_page_en.url).content.decode()
    assert "2 places left" in html
    assert "Online" in html


def test_past_sessions_are_not_offered_and_an_empty_program_says_so(client, program_page):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=40)):
        html = client.get(program_page.url).content.decode()
    assert 'name="program_session"' not in html
    message = (
        "No session is open for registration at the moment. "
        "Please come back later or contact the centre."
    )
    assert escape(fr(message)) in html


def test_registering_through_the_form_takes_a_place(client, program_page, mailoutbox):
    session = program_page.sessions.first()
    response = post_form(client, program_page, registration_post_data(program_page, session))
    assert response.status_code == 200
    assert escape(fr("Your registration is confirmed.")) in response.content.decode()
    registration = Registration.objects.get()
    assert registration.session == session
    assert registration.status == RegistrationStatus.REGISTERED
    submission = registration.submission
    assert submission.kind == "registration"
    answers = {a["name"]: a for a in submission.answers}
    assert "Salle A" in answers["program_session"]["value"]  # the inbox sees the session
    assert answers["program_session"]["data_class"] == "general"


def test_a_session_must_be_chosen_and_must_belong_to_the_page(client, program_page, services):
    other = program_page_create(parent=services["fr"], slug="autre")
    foreign = other.sessions.first()
    missing = post_form(
        client, program_page, registration_post_data(program_page, foreign, program_session=None)
    )
    assert missing.status_code == 400
    assert escape(fr("Choose a session.")) in missing.content.decode()
    wrong = post_form(client, program_page, registration_post_data(program_page, foreign))
    assert wrong.status_code == 400
    assert not Registration.objects.exists()


def test_a_full_session_puts_the_next_people_on_the_waitlist_in_order(client, program_page):
    session = program_page.sessions.first()  # 2 places
    regs = [
        registration_submit(page=program_page, session=session, email=f"p{n}@example.org")
        for n in range(4)
    ]
    assert [r.status for r in regs] == ["registered", "registered", "waitlisted", "waitlisted"]
    assert [r.waitlist_place for r in regs] == [None, None, 1, 2]
    response = post_form(client, program_page, registration_post_data(program_page, session))
    html = response.content.decode()
    assert escape(fr("The session you chose is full: you are on its waitlist.")) in html
    assert Registration.objects.filter(status="waitlisted").count() == 3


def test_cancelling_through_the_link_frees_the_place_for_the_first_in_line(
    client, program_page, mailoutbox, django_capture_on_commit_callbacks
):
    session = program_page.sessions.first()
    with django_capture_on_commit_callbacks(execute=True):
        first = registration_submit(page=program_page, session=session, email="a@example.org")
        registration_submit(page=program_page, session=session, email="b@example.org")
        waiting = registration_submit(page=program_page, session=session, email="c@example.org")
    confirmation = mailoutbox[0]
    assert confirmation.to == ["a@example.org"]
    link = next(line for line in confirmation.body.splitlines() if "?cancel=" in line)
    mailoutbox.clear()

    shown = client.get(cancel_path(link))
    assert shown.status_code == 200
    assert escape(fr("Cancel my registration")) in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    first.refresh_from_db()
    assert first.status == RegistrationStatus.REGISTERED  # a GET changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(cancel_path(link), HTTP_ORIGIN="http://testserver")
    assert done.status_code == 200
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.REGISTERED
    assert [m.to for m in mailoutbox] == [["c@example.org"]]
    promoted = mailoutbox[0]
    assert promoted.attachments[0][2] == "text/calendar"
    # The link works once.
    assert client.get(cancel_path(link)).status_code == 404


def test_a_cancel_link_from_another_origin_or_tampered_or_after_the_start_does_nothing(
    client, program_page
):
    session = program_page.sessions.first()
    registration = registration_submit(page=program_page, session=session, email="a@example.org")
    nonce = "known-nonce"
    registration.cancel_token_hash = hashlib.sha256(nonce.encode()).hexdigest()
    registration.save()
    link = cancel_path(registration_cancel_url(registration=registration, nonce=nonce))

    assert client.post(link, HTTP_ORIGIN="https://evil.example").status_code == 403
    assert client.get(link[:-3] + "xx").status_code == 404
    assert client.get(link.replace("?cancel=", "?cancel=x")).status_code == 404
    with time_machine.travel(session.starts_at + datetime.timedelta(minutes=1)):
        assert client.post(link, HTTP_ORIGIN="http://testserver").status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED


def test_closing_a_registration_frees_its_place(program_page, mailoutbox):
    session = program_page.sessions.first()
    staff = staff_user(username="agent", verified=False)
    first = registration_submit(page=program_page, session=session, email="a@example.org")
    registration_submit(page=program_page, session=session, email="b@example.org")
    waiting = registration_submit(page=program_page, session=session, email="c@example.org")
    submission_close(submission=first.submission, actor=staff)
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.REGISTERED


def test_the_retention_purge_frees_places_and_skips_people_whose_data_goes_too(program_page):
    session = program_page.sessions.first()
    old = registration_submit(page=program_page, session=session, email="a@example.org")
    registration_submit(page=program_page, session=session, email="b@example.org")
    waiting_old = registration_submit(page=program_page, session=session, email="c@example.org")
    waiting = registration_submit(page=program_page, session=session, email="d@example.org")
    past = timezone.now() - datetime.timedelta(minutes=1)
    Submission.objects.filter(pk__in=[old.submission_id, waiting_old.submission_id]).update(
        expires_at=past
    )
    assert submissions_purge_expired(now=timezone.now(), batch_size=10) == 2
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    assert Registration.objects.filter(status="registered").count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_exceed_the_capacity(services):
    page = program_page_create(parent=services["fr"], capacity=3)
    session = page.sessions.first()
    errors = []

    def register(n: int) -> None:
        try:
            registration_submit(page=page, session=session, email=f"p{n}@example.org")
        except Exception as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=register, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    statuses = list(Registration.objects.values_list("status", flat=True))
    assert statuses.count("registered") == 3
    assert statuses.count("waitlisted") == 5
    positions = sorted(Registration.objects.values_list("position", flat=True))
    assert positions == list(range(1, 9))


@pytest.fixture
def demo_program(services) -> ProgramPage:
    """The program the demo loader creates (program_demo_create), under a services index."""
    return program_demo_create(parent=services["fr"])


def test_the_demo_program_is_published_in_both_languages_with_a_one_place_session(
    demo_program, services
):
    page = demo_program
    english = page.get_translation(services["en"].locale)
    assert page.live
    assert english.live
    assert english.title == "Healthy cooking workshop"
    assert sorted(s.capacity for s in page.sessions.all()) == [1, 12]
    assert {s.key for s in page.sessions.all()} == {s.key for s in english.sessions.all()}


def test_the_french_and_english_pages_of_a_program_share_one_pool_of_places(
    client, demo_program, services
):
    french = demo_program
    english = french.get_translation(services["en"].locale)
    small_fr = french.sessions.get(capacity=1)
    small_en = english.sessions.get(capacity=1)
    first = registration_submit(page=french, session=small_fr, email="a@example.org")
    second = registration_submit(
        page=english, session=small_en, email="b@example.org", language="en"
    )
    assert first.status == RegistrationStatus.REGISTERED
    assert second.status == RegistrationStatus.WAITLISTED
    assert second.waitlist_place == 1
    assert "full: you will be on the waitlist" in client.get(english.url).content.decode()


def test_calendar_lines_are_folded_at_75_octets_without_splitting_characters():
    line = "SUMMARY:" + "é" * 100
    folded = ics_fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    text = event_ics(
        event=CalendarEvent(
            uid="x@example.org",
            starts_at=datetime.datetime(2027, 1, 5, 23, 0, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2027, 1, 6, 1, 0, tzinfo=datetime.UTC),
            summary="Atelier; cuisine, santé",
        )
    )
    assert "DTSTART:20270105T230000Z\r\n" in text
    assert "SUMMARY:Atelier\\; cuisine\\, santé\r\n" in text
    assert text.endswith("END:VCALENDAR\r\n")
