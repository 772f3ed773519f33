"""A session's notices through the outbox to a real SMTP server (aiosmtpd): each person
reads the cancellation in the language they registered in (policy P2, P3)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from csce.submissions.models import ProgramSession
from csce.submissions.programs.registration import session_when

from .test_front_desk import desk_staff, desk_url, program  # noqa: F401 (fixtures)
from .test_registration import registration_submit

pytestmark = pytest.mark.django_db


def said(language: str, message: str, **values) -> str:
    with translation.override(language):
        return translation.gettext(message) % values


def test_a_cancelled_sessions_notices_arrive_in_french_and_in_english(
    client,
    program,
    desk_staff,
    smtp_inbox,
    django_capture_on_commit_callbacks,  # noqa: F811
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
    assert french["Subject"] != english["Subject"].replace(program["english"].title, "")
    assert "Hello," in english_body
    assert "the centre has cancelled the session" in english_body
    for message in (french, english):
        assert message["From"] == settings.DEFAULT_FROM_EMAIL
        assert "?cancel=" not in message.get_body(("plain",)).get_content()
    assert ProgramSession.objects.filter(key=session.key, cancelled_at__isnull=True).count() == 0
