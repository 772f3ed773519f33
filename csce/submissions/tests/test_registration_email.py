"""Registration e-mails through a real SMTP server (aiosmtpd): language, calendar file,
waitlist and promotion; never an answer of the visitor (policy P6)."""

from __future__ import annotations

import datetime
from email.message import EmailMessage

import pytest
from django.utils import translation

from csce.submissions.models import RegistrationStatus
from csce.submissions.programs.registration import registration_cancel

from .conftest import post_form
from .test_registration import (
    program_page_create,
    registration_post_data,
    registration_submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def program_page(services):
    return program_page_create(parent=services["fr"])


@pytest.fixture
def program_page_en(services):
    return program_page_create(parent=services["en"], slug="workshop")


def calendar_parse(text: str) -> list[dict[str, str]]:
    """The events of an RFC 5545 file: unfolds lines, checks nesting and line ends."""
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.replace("\r\n ", "").split("\r\n")[:-1]
    stack, events, current = [], [], None
    for line in lines:
        name, _sep, value = line.partition(":")
        assert _sep, line
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
        elif name == "END":
            assert stack.pop() == value
            if value == "VEVENT":
                events.append(current)
                current = None
        elif current is not None:
            current[name] = value
    assert stack == []
    assert lines[0] == "BEGIN:VCALENDAR"
    return events


def calendar_of(message: EmailMessage) -> str | None:
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            return part.get_content()
    return None


def said(language: str, message: str, **values) -> str:
    with translation.override(language):
        return translation.gettext(message) % values


def test_the_confirmation_arrives_in_french_with_a_calendar_file_of_the_session(
    client, program_page, smtp_inbox, django_capture_on_commit_callbacks
):
    session = program_page.sessions.first()
    with django_capture_on_commit_callbacks(execute=True):
        data = registration_post_data(program_page, session, courriel="marie@example.org")
        assert post_form(client, program_page, data).status_code == 200
    (message,) = smtp_inbox.wait(1)
    assert message["To"] == "marie@example.org"
    assert message["Subject"] == said(
        "fr", "Registration confirmed: %(program)s", program=program_page.title
    )
    body = message.get_body(("plain",)).get_content()
    assert said("fr", "The attached calendar file adds the session to your calendar.") in body
    assert "?cancel=" in body
    assert "Marie Tremblay" not in body  # no answer of the visitor, not even their name
    (event,) = calendar_parse(calendar_of(message))
    assert event["DTSTART"] == session.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert event["SUMMARY"] == program_page.title
    assert event["LOCATION"] == "Salle A"


def test_the_confirmation_comes_in_english_from_the_english_page(
    client, program_page_en, smtp_inbox, django_capture_on_commit_callbacks
):
    session = program_page_en.sessions.first()
    with django_capture_on_commit_callbacks(execute=True):
        data = registration_post_data(program_page_en, session, courriel="sam@example.org")
        assert post_form(client, program_page_en, data).status_code == 200
    (message,) = smtp_inbox.wait(1)
    assert message["Subject"] == f"Registration confirmed: {program_page_en.title}"
    assert "The attached calendar file" in message.get_body(("plain",)).get_content()
    assert calendar_of(message) is not None


def test_a_waitlisted_visitor_gets_their_place_in_line_then_the_confirmation_when_a_place_frees(
    program_page, smtp_inbox, django_capture_on_commit_callbacks
):
    session = program_page.sessions.first()  # 2 places
    with django_capture_on_commit_callbacks(execute=True):
        first = registration_submit(page=program_page, session=session, email="a@example.org")
        registration_submit(page=program_page, session=session, email="b@example.org")
        waiting = registration_submit(
            page=program_page, session=session, email="sam@example.org", language="en"
        )
    messages = smtp_inbox.wait(3)
    waitlisted = next(m for m in messages if m["To"] == "sam@example.org")
    assert waitlisted["Subject"] == f"You are on the waitlist: {program_page.title}"
    assert "Your place in line: 1." in waitlisted.get_body(("plain",)).get_content()
    assert calendar_of(waitlisted) is None
    smtp_inbox.messages.clear()

    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=first)
    (promoted,) = smtp_inbox.wait(1)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED
    assert promoted["To"] == "sam@example.org"
    assert promoted["Subject"].startswith("A place freed up")
    (event,) = calendar_parse(calendar_of(promoted))
    assert event["DTSTART"] == session.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def test_health_answers_never_appear_in_the_e_mail(
    client, services, smtp_inbox, django_capture_on_commit_callbacks
):
    page = program_page_create(parent=services["fr"], slug="sante", health=True)
    session = page.sessions.first()
    data = registration_post_data(
        page, session, allergies="Allergie grave aux arachides", form_consent="on"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert post_form(client, page, data).status_code == 200
    (message,) = smtp_inbox.wait(1)
    assert "arachides" not in message.as_string()
    assert "arachides" not in calendar_of(message)
