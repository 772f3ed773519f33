"""Registrations per session for program staff: sessions and places, rosters read and
downloaded by the program's inbox only, every reading in the access log (policy F)."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.users.models import UserProfile

from csce.accounts.roles import AED, COMMUNICATIONS, CONTENT, ED, PROGRAM_STAFF
from csce.audit.models import AccessAction, AccessLogEntry
from csce.submissions.models import ProgramSession

from .test_admin_views import signed_in
from .test_registration import program_page_create, registration_submit
from .test_translation import translate

pytestmark = pytest.mark.django_db


def register(*, page, session, name: str, email: str, language: str = "fr"):
    """A visitor's registration with a name and an e-mail."""
    return registration_submit(
        page=page, session=session, email=email, language=language, name=name
    )


@pytest.fixture
def program(services):
    """A French program and its English translation; the first session has two places,
    taken by Marie (French) then John (English); Luc and Ana wait, in that order."""
    french = program_page_create(parent=services["fr"], capacity=2, slug="atelier-liste")
    english = translate(french)
    fr_session, en_session = (
        ProgramSession.objects.filter(page=page).order_by("sort_order").first()
        for page in (french, english)
    )
    people = [
        register(page=french, session=fr_session, name="Marie Tremblay", email="marie@ex.org"),
        register(
            page=english, session=en_session, name="John Smith", email="john@ex.org", language="en"
        ),
        register(page=french, session=fr_session, name="Luc Roy", email="luc@ex.org"),
        register(page=english, session=en_session, name="=Ana Diaz", email="ana@ex.org"),
    ]
    return {"page": french, "english": english, "session": fr_session, "people": people}


def roster_url(session) -> str:
    return reverse("submissions_admin:session_roster", args=[session.pk])


def export_url(session) -> str:
    return reverse("submissions_admin:session_roster_export", args=[session.pk])


def test_program_staff_see_each_session_with_its_places_and_waitlist_without_names(client, program):
    signed_in(client, username="prog", role=PROGRAM_STAFF)
    listing = client.get(reverse("submissions_admin:index"))
    assert reverse("submissions_admin:programs") in listing.content.decode()

    response = client.get(reverse("submissions_admin:programs"))
    assert response.status_code == 200
    html = response.content.decode()
    # The program appears once (French and English share their places), in English
    # for this English-speaking member.
    assert (
        html.count(roster_url(program["session"]))
        + html.count(roster_url(ProgramSession.objects.filter(page=program["english"]).first()))
        == 1
    )
    assert "Cooking workshop" in html or "Atelier cuisine" in html
    sessions = response.context["programs"]
    [summary] = [p for p in sessions if p.page.translation_key == program["page"].translation_key]
    first, second = summary.sessions
    assert (first.session.capacity, first.registered, first.waitlisted) == (2, 2, 2)
    assert first.places_left == 0
    assert (second.registered, second.waitlisted) == (0, 0)
    assert "Marie" not in html
    assert not AccessLogEntry.objects.filter(object_type="submissions.programsession").exists()


def test_a_roster_lists_the_registered_then_the_waitlist_in_order_and_logs_one_read(
    client, program
):
    member = signed_in(client, username="prog", role=PROGRAM_STAFF)
    response = client.get(roster_url(program["session"]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    order = [html.index(name) for name in ("Marie Tremblay", "John Smith", "Luc Roy", "=Ana Diaz")]
    assert order == sorted(order)
    assert html.index("Waitlist") < html.index("Luc Roy")
    assert "marie@ex.org" in html
    registered = response.context["registered"]
    waitlisted = response.context["waitlisted"]
    assert [e.name for e in registered] == ["Marie Tremblay", "John Smith"]
    assert [(e.number, e.name) for e in waitlisted] == [(1, "Luc Roy"), (2, "=Ana Diaz")]
    for entry in [*registered, *waitlisted]:
        assert reverse("submissions_admin:detail", args=[entry.submission_id]) in html

    entry = AccessLogEntry.objects.get(object_type="submissions.programsession")
    assert entry.action == AccessAction.PERSONAL_DATA_READ
    assert entry.actor_id == member.pk
    assert entry.object_id == str(program["session"].pk)
    assert entry.details["submissions"] == [r.submission_id for r in program["people"]]
    assert "Marie" not in str(entry.details)
    assert "@" not in str(entry.details)


def test_the_attendance_sheet_is_a_csv_in_roster_order_logged_as_an_export(client, program):
    member = signed_in(client, username="prog", role=PROGRAM_STAFF)
    response = client.get(export_url(program["session"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["List", "Order", "Name", "E-mail"]
    assert [(row[0], row[1], row[2], row[3]) for row in rows[1:]] == [
        ("Registered", "1", "Marie Tremblay", "marie@ex.org"),
        ("Registered", "2", "John Smith", "john@ex.org"),
        ("On the waitlist", "1", "Luc Roy", "luc@ex.org"),
        # A spreadsheet must not run what a visitor typed.
        ("On the waitlist", "2", "'=Ana Diaz", "ana@ex.org"),
    ]
    entry = AccessLogEntry.objects.get(action=AccessAction.PERSONAL_DATA_EXPORTED)
    assert entry.actor_id == member.pk
    assert entry.object_type == "submissions.programsession"
    assert entry.details["submissions"] == [r.submission_id for r in program["people"]]
    assert entry.details["format"] == "csv"


@pytest.mark.parametrize(
    "role",
    [COMMUNICATIONS, ED, CONTENT, AED],
    ids=["another-inbox", "executive-director", "content-creator", "aed-not-member"],
)
def test_anyone_outside_the_programs_inbox_gets_a_real_403(client, program, role):
    signed_in(client, username="other", role=role)
    for url in (roster_url(program["session"]), export_url(program["session"])):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Marie" not in response.content.decode()
    listing = client.get(reverse("submissions_admin:programs"))
    assert listing.status_code == 200
    assert roster_url(program["session"]) not in listing.content.decode()
    assert not AccessLogEntry.objects.filter(object_type="submissions.programsession").exists()


def test_a_break_glass_superuser_reads_the_roster(client, program):
    signed_in(client, username="root", superuser=True)
    assert client.get(roster_url(program["session"])).status_code == 200


def test_the_roster_in_french(client, program):
    member = signed_in(client, username="prog", role=PROGRAM_STAFF)
    profile = UserProfile.get_for_user(member)
    profile.preferred_language = "fr"
    profile.save()
    html = client.get(roster_url(program["session"])).content.decode()
    assert "Liste d’attente" in html or "Liste d'attente" in html
    assert "Places prises" in html
    sheet = client.get(export_url(program["session"])).content.decode("utf-8-sig")
    assert sheet.splitlines()[0].startswith("Liste,Ordre,Nom,Courriel")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_screens_query_count_does_not_grow_with_people_or_programs(client, program, services):
    signed_in(client, username="prog", role=PROGRAM_STAFF)
    session = program["session"]
    urls = [reverse("submissions_admin:programs"), roster_url(session), export_url(session)]
    for url in urls:
        client.get(url)  # the first request of a session also loads what is cached after
    before = [_queries(client, url) for url in urls]
    for n in range(5):
        register(page=program["page"], session=session, name=f"P{n}", email=f"p{n}@ex.org")
    program_page_create(parent=services["fr"], slug="autre-atelier")
    after = [_queries(client, url) for url in urls]
    assert after == before
    assert before[0] < 40, before
