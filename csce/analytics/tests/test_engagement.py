"""The response times under Reports (policy R): each source's samples from the records,
the table in both languages, who may open it, the CSV, and bounded queries."""

from __future__ import annotations

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from csce.accounts import roles
from csce.accounts.factories import staff_sign_in, staff_user
from csce.common.engagement import response_time_registry
from csce.moderation.factories import comment_create, report_create
from csce.moderation.models import ActionKind, CommentState, Reason
from csce.moderation.services import comment_moderate, report_close
from csce.submissions.models import FormKind, Submission

pytestmark = pytest.mark.django_db

INDEX = "engagement_admin:index"
EXPORT = "engagement_admin:export"
TORONTO = ZoneInfo("America/Toronto")
NOW = datetime.datetime(2027, 3, 10, 15, 0, tzinfo=TORONTO)
HOUR = datetime.timedelta(hours=1)


def sign_in(client, *, role=None, language="fr", superuser=False):
    user = staff_user(
        username=f"eng-{(role or 'super')[:12]}-{language}",
        role=role,
        superuser=superuser,
        language=language,
        verified=False,
    )
    staff_sign_in(client, user)
    return user


def inquiry(*, received, answered=None, closed=None, kind=FormKind.INQUIRY, due=None):
    inbox, _created = Group.objects.get_or_create(name="Accueil")
    return Submission.objects.create(
        form_title="Nous joindre",
        kind=kind,
        inbox=inbox,
        created_at=received,
        expires_at=received + datetime.timedelta(days=90),
        answered_at=answered,
        closed_at=closed,
        due_at=due,
    )


def samples_of(key, *, since, until):
    source = next(s for s in response_time_registry if s.key == key)
    return sorted(
        ((s.received_at, s.answered_at) for s in source.samples(since=since, until=until)),
        key=lambda pair: pair[0],
    )


# --- the sources ---------------------------------------------------------------------------


def test_every_app_registered_its_source_in_order():
    assert [s.key for s in response_time_registry][:3] == ["inquiries", "comments", "reports"]


def test_an_inquiry_is_answered_by_its_first_reply_or_its_closing():
    received = NOW - 72 * HOUR
    inquiry(received=received, answered=received + 2 * HOUR, closed=received + 30 * HOUR)
    inquiry(received=received + HOUR, closed=received + 5 * HOUR)
    inquiry(received=received + 2 * HOUR)
    # A registration is no inquiry: nobody answers it.
    inquiry(received=received, answered=received + HOUR, kind=FormKind.REGISTRATION)
    found = samples_of("inquiries", since=received, until=NOW)
    assert found == [
        (received, received + 2 * HOUR),
        (received + HOUR, received + 5 * HOUR),
        (received + 2 * HOUR, None),
    ]


def test_an_inquiry_waiting_past_its_due_time_is_overdue():
    source = next(s for s in response_time_registry if s.key == "inquiries")
    inquiry(received=NOW - 72 * HOUR, due=NOW - HOUR)
    inquiry(received=NOW - 72 * HOUR, due=NOW - HOUR, answered=NOW - 2 * HOUR)
    inquiry(received=NOW - 2 * HOUR, due=NOW + HOUR)
    assert source.overdue(now=NOW) == 1


def test_a_comment_is_answered_by_the_first_decision_not_a_later_edit(site_home, time_machine):
    moderator = staff_user(role=roles.CONTENT)
    time_machine.move_to(NOW - 50 * HOUR, tick=False)
    first = comment_create(page=site_home)
    waiting = comment_create(page=site_home)
    time_machine.move_to(NOW - 47 * HOUR, tick=False)
    comment_moderate(comment=first, kind=ActionKind.APPROVE, actor=moderator, reason="within_rules")
    time_machine.move_to(NOW - 10 * HOUR, tick=False)
    comment_moderate(
        comment=first,
        kind=ActionKind.EDIT,
        actor=moderator,
        reason=Reason.CORRECTION,
        text="Merci.",
    )
    found = samples_of("comments", since=NOW - 60 * HOUR, until=NOW)
    # Both arrived at the same moment: compared in any order.
    assert set(found) == {(first.created_at, NOW - 47 * HOUR), (waiting.created_at, None)}
    time_machine.move_to(NOW, tick=False)
    source = next(s for s in response_time_registry if s.key == "comments")
    assert source.overdue(now=NOW) == 1
    assert waiting.state == CommentState.PENDING


def test_a_report_is_answered_by_the_first_action_on_it(time_machine):
    moderator = staff_user(role=roles.CONTENT)
    time_machine.move_to(NOW - 100 * HOUR, tick=False)
    closed = report_create()
    still_open = report_create()
    time_machine.move_to(NOW - 97 * HOUR, tick=False)
    report_close(report=closed, actor=moderator, reason=Reason.HANDLED)
    found = samples_of("reports", since=NOW - 200 * HOUR, until=NOW)
    assert set(found) == {(closed.created_at, NOW - 97 * HOUR), (still_open.created_at, None)}
    source = next(s for s in response_time_registry if s.key == "reports")
    assert source.overdue(now=NOW) == 1  # the open one, past its business day


# --- the screen ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (roles.AED, 200),
        (roles.ED, 200),
        (roles.CONTENT, 403),
        (roles.COMMUNICATIONS, 403),
        (roles.PRIVACY_OFFICER, 403),
        (roles.PROGRAM_STAFF, 403),
        (roles.TECHNICAL_ADMIN, 403),
    ],
)
def test_only_the_aed_and_the_executive_director_see_the_response_times(client, role, status):
    sign_in(client, role=role)
    assert client.get(reverse(INDEX)).status_code == status
    assert client.get(reverse(EXPORT)).status_code == status
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert (reverse(INDEX) in home) is (status == 200)


def test_the_403_says_who_reads_them_and_shows_no_number(client):
    inquiry(received=timezone.now() - 5 * HOUR)
    sign_in(client, role=roles.PROGRAM_STAFF, language="en")
    response = client.get(reverse(INDEX))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Assistant Executive Director and the Executive Director" in body
    assert "Still waiting" not in body
    assert "no-store" in response["Cache-Control"]


def _populate(site_home, moderator):
    """Inquiries answered in 2, 4 and 60 hours in February, one waiting; a comment
    approved in 3 hours in March; nothing else."""
    february = datetime.datetime(2027, 2, 3, 9, 0, tzinfo=TORONTO)
    for hours in (2, 4, 60):
        inquiry(received=february, answered=february + hours * HOUR)
    inquiry(received=february, due=february + 24 * HOUR)
    comment = comment_create(page=site_home)
    return comment


def test_the_table_in_french(client, site_home, time_machine):
    time_machine.move_to(NOW, tick=False)
    moderator = staff_user(role=roles.CONTENT)
    comment = _populate(site_home, moderator)
    time_machine.move_to(NOW + 3 * HOUR, tick=False)
    comment_moderate(
        comment=comment, kind=ActionKind.APPROVE, actor=moderator, reason="within_rules"
    )
    sign_in(client, role=roles.AED, language="fr")
    response = client.get(reverse(INDEX))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "Délais de réponse" in body
    assert "Demandes de renseignements" in body or "Demandes" in body
    # February's inquiries: 4 received, 3 answered, 1 waiting; median 4 h, p90 48.8 h.
    february = body.split('data-month="2027-02"')[1].split("</tr>")[0]
    cells = [c.split(">")[-1] for c in february.split("</t")[:-1]]
    assert cells == ["février 2027", "4", "3", "1", "4\u00a0heures", "2\u00a0jours"]
    assert "Mois de réception" in body
    # The waiting one is past its due time.
    assert 'data-overdue="1"' in body
    # Twelve months per source, the empty ones included.
    assert body.count('data-month="2026-04"') == len(response_time_registry)
    assert 'data-month="2026-03"' not in body


def test_the_table_in_english_with_a_comment_answered_in_three_hours(
    client, site_home, time_machine
):
    time_machine.move_to(NOW, tick=False)
    moderator = staff_user(role=roles.CONTENT)
    comment = _populate(site_home, moderator)
    time_machine.move_to(NOW + 3 * HOUR, tick=False)
    comment_moderate(
        comment=comment, kind=ActionKind.APPROVE, actor=moderator, reason="within_rules"
    )
    sign_in(client, role=roles.ED, language="en")
    body = client.get(reverse(INDEX)).content.decode()
    assert "Response times" in body
    comments = body.split('id="source-comments"')[1].split("</section>")[0]
    march = comments.split('data-month="2027-03"')[1].split("</tr>")[0]
    cells = [c.split(">")[-1] for c in march.split("</t")[:-1]]
    assert cells == ["March 2027", "1", "1", "0", "3 hours", "3 hours"]
    assert "Overdue now: none." in comments


def test_the_csv_has_every_source_and_month_in_hours(client, site_home, time_machine):
    time_machine.move_to(NOW, tick=False)
    _populate(site_home, staff_user(role=roles.CONTENT))
    sign_in(client, role=roles.AED, language="en")
    response = client.get(reverse(EXPORT))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="response-times-2027-03-10.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Source"
    assert len(rows) == 1 + 12 * len(response_time_registry)
    assert ["Inquiries", "2027-02", "4", "3", "1", "4.0", "48.8"] in rows
    assert ["Inquiries", "2026-04", "0", "0", "0", "", ""] in rows


def test_the_queries_do_not_grow_with_the_items(client, site_home, time_machine):
    time_machine.move_to(NOW, tick=False)
    sign_in(client, role=roles.AED)
    client.get(reverse(INDEX))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(INDEX))
    for hours in range(1, 40):
        inquiry(received=NOW - hours * 24 * HOUR, answered=NOW - hours * 20 * HOUR)
        comment_create(page=site_home)
        report_create()
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(INDEX)).status_code == 200
    assert len(many) == len(few)
