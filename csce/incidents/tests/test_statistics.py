"""The yearly statistics for the IPC (O. Reg. 329/04 s.6.4) with the real database: what
is counted and in which year, the command's CSV, the page, its download and printable
version, marking a year submitted, the reminder's season, and who may do what (policy F)."""

from __future__ import annotations

import csv
import datetime
import io
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from csce.accounts import roles
from csce.accounts.factories import staff_sign_in
from csce.audit.models import AccessAction, AccessLogEntry
from csce.incidents.factories import incident_create
from csce.incidents.models import IncidentKind, IpcAnnualReport, PhipaCategory
from csce.incidents.statistics import (
    ipc_annual_counts,
    ipc_reminder_due,
    ipc_report_csv,
    ipc_report_mark_submitted,
)

pytestmark = pytest.mark.django_db

TORONTO = ZoneInfo("America/Toronto")
SECRET = "Zorblax-42 a vu le dossier de Mme Gagnon"
READERS = [roles.PRIVACY_OFFICER, roles.AED, roles.ED]
OTHERS = [roles.CONTENT, roles.COMMUNICATIONS, roles.PROGRAM_STAFF, roles.TECHNICAL_ADMIN]
PAGE = "incidents:ipc_statistics"
CSV = "incidents:ipc_statistics_csv"
PANEL = 'id="ipc-reminder-heading"'


def _flat(html: str) -> str:
    """Runs of spaces and line breaks as one space (no-break spaces kept)."""
    return re.sub(r"[ \t\r\n]+", " ", html)


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=TORONTO)


def breach(when: datetime.datetime, category: str = PhipaCategory.STOLEN, **fields):
    fields.setdefault("health_information", True)
    return incident_create(now=when, phipa_category=category, description=SECRET, **fields)


@pytest.fixture
def year_2026():
    """2026's breaches: two stolen (one on New Year's Eve at 23:30 in Toronto, already
    January 1 in UTC), one disclosed; and what must not count."""
    counted = [
        breach(at(2026, 3, 10, 9), PhipaCategory.STOLEN),
        breach(at(2026, 12, 31, 23, 30), PhipaCategory.STOLEN),
        breach(at(2026, 6, 1, 12), PhipaCategory.DISCLOSED),
    ]
    breach(at(2026, 5, 1), PhipaCategory.LOST, health_information=False)
    breach(at(2026, 5, 2), PhipaCategory.LOST, health_information=None)
    breach(at(2026, 5, 3), "")
    breach(at(2026, 5, 4), PhipaCategory.USED, kind=IncidentKind.SECURITY)
    breach(at(2025, 12, 31, 18), PhipaCategory.USED)
    breach(at(2027, 1, 1, 0, 30), PhipaCategory.LOST)
    return counted


# --- what is counted ---------------------------------------------------------------------


def test_the_year_counts_health_breaches_by_category_in_toronto_time(year_2026):
    assert year_2026[1].detected_at.astimezone(datetime.UTC).year == 2027
    counts = ipc_annual_counts(year=2026)
    assert list(counts.items()) == [("stolen", 2), ("lost", 0), ("used", 0), ("disclosed", 1)]
    assert ipc_annual_counts(year=2027) == {"stolen": 0, "lost": 1, "used": 0, "disclosed": 0}
    assert ipc_annual_counts(year=2025) == {"stolen": 0, "lost": 0, "used": 1, "disclosed": 0}


def test_a_year_without_breaches_has_its_four_zeros():
    assert ipc_annual_counts(year=2020) == dict.fromkeys(PhipaCategory.values, 0)


def test_the_csv_has_one_row_per_category_in_the_language_asked(year_2026):
    english = list(csv.reader(io.StringIO(ipc_report_csv(year=2026, language="en"))))
    assert english == [
        ["Code", "Category", "Count"],
        ["stolen", "Stolen", "2"],
        ["lost", "Lost", "0"],
        ["used", "Used without authority", "0"],
        ["disclosed", "Disclosed without authority", "1"],
    ]
    french = list(csv.reader(io.StringIO(ipc_report_csv(year=2026, language="fr"))))
    assert french[0] == ["Code", "Catégorie", "Nombre"]
    assert [row[1] for row in french[1:]] == [
        "Volés",
        "Perdus",
        "Utilisés sans autorisation",
        "Divulgués sans autorisation",
    ]


# --- the command -------------------------------------------------------------------------


def _command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("ipc_annual_statistics", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_prints_the_years_csv_in_english_by_default(year_2026):
    with time_machine.travel(at(2027, 2, 1, 9), tick=False):
        out, err = _command("2026")
    assert out.splitlines() == [
        "Code,Category,Count",
        "stolen,Stolen,2",
        "lost,Lost,0",
        "used,Used without authority,0",
        "disclosed,Disclosed without authority,1",
    ]
    assert err == ""
    assert SECRET not in out


def test_the_command_prints_french_on_request(year_2026):
    with time_machine.travel(at(2027, 2, 1, 9), tick=False):
        out, _err = _command("2026", "--language", "fr")
    assert out.splitlines() == [
        "Code,Catégorie,Nombre",
        "stolen,Volés,2",
        "lost,Perdus,0",
        "used,Utilisés sans autorisation,0",
        "disclosed,Divulgués sans autorisation,1",
    ]


def test_the_command_says_the_current_year_is_not_over(year_2026):
    with time_machine.travel(at(2027, 2, 1, 9), tick=False):
        out, err = _command("2027")
    assert out.splitlines()[2] == "lost,Lost,1"
    assert "2027 is not over" in err


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("deux-mille", "is not a year"),
        ("-3", "is not a year"),
        ("26", "is not a year"),
        ("2028", "2028 has not begun: give 2026 (the year to report, due by March 1, 2027)"),
    ],
)
def test_the_command_refuses_what_is_not_a_year_to_report(value, says):
    with time_machine.travel(at(2027, 2, 1, 9), tick=False), pytest.raises(CommandError) as refused:
        _command(value)
    assert says in str(refused.value)
    assert refused.value.returncode != 0


# --- marking a year submitted --------------------------------------------------------------


def test_marking_submitted_keeps_the_counts_and_logs_codes_only(year_2026, staff_user_make):
    officer = staff_user_make(role=roles.PRIVACY_OFFICER)
    with time_machine.travel(at(2027, 2, 20, 10), tick=False):
        report = ipc_report_mark_submitted(year=2026, actor=officer)
    assert (report.year, report.submitted_by) == (2026, officer)
    assert report.counts == {"stolen": 2, "lost": 0, "used": 0, "disclosed": 1}
    entry = AccessLogEntry.objects.filter(object_type="incidents.ipcannualreport").get()
    assert entry.action == AccessAction.CONTENT_ACTION
    assert entry.actor_id == officer.pk
    assert entry.details == {
        "ipc_annual_report": "submitted",
        "year": 2026,
        "counts": {"stolen": 2, "lost": 0, "used": 0, "disclosed": 1},
    }
    assert SECRET not in str(entry.details)
    # A later breach of 2026 does not change what was submitted.
    breach(at(2026, 7, 1), PhipaCategory.LOST)
    report.refresh_from_db()
    assert report.counts["lost"] == 0


# --- the reminder ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "year"),
    [
        (datetime.date(2027, 1, 14), None),
        (datetime.date(2027, 1, 15), 2026),
        (datetime.date(2027, 3, 1), 2026),
        (datetime.date(2027, 3, 2), 2026),
        (datetime.date(2027, 12, 31), 2026),
    ],
)
def test_the_reminder_runs_from_january_15_until_marked(today, year):
    assert ipc_reminder_due(today=today) == year


def test_the_reminder_stops_once_the_year_is_marked_submitted(staff_user_make):
    IpcAnnualReport.objects.create(
        year=2026, submitted_at=at(2027, 2, 1), counts=dict.fromkeys(PhipaCategory.values, 0)
    )
    assert ipc_reminder_due(today=datetime.date(2027, 2, 2)) is None


def _home(client, user) -> str:
    staff_sign_in(client, user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def _page(client, user, **query):
    staff_sign_in(client, user)
    return client.get(reverse(PAGE), query)


@pytest.mark.parametrize("role", READERS)
def test_no_reminder_before_january_15(client, staff_user_make, role):
    with time_machine.travel(at(2027, 1, 14, 16), tick=False):
        user = staff_user_make(role=role)
        assert PANEL not in _home(client, user)
        assert 'id="ipc-reminder"' not in _page(client, user).content.decode()


@pytest.mark.parametrize("role", READERS)
def test_from_january_15_the_register_keepers_are_reminded(client, staff_user_make, role):
    with time_machine.travel(at(2027, 1, 15, 8), tick=False):
        user = staff_user_make(role=role)
        home = _home(client, user)
        page = _page(client, user).content.decode()
    expected = (
        "Les statistiques annuelles de 2026 destinées au CIPVP sont à remettre au plus tard "
        "le 1er mars 2027."
    )
    panel = home[home.index(PANEL) :]
    assert expected in _flat(panel)
    assert f"{reverse(PAGE)}?year=2026" in panel
    assert expected in _flat(page)


def test_after_march_1_the_reminder_says_it_is_late(client, staff_user_make):
    with time_machine.travel(at(2027, 3, 2, 8), tick=False):
        user = staff_user_make(role=roles.AED)
        home = _flat(_home(client, user))
        page = _flat(_page(client, user).content.decode())
    late = (
        "Les statistiques annuelles de 2026 destinées au CIPVP sont en retard\u00a0: elles "
        "étaient à remettre au plus tard le 1er mars 2027."
    )
    assert late in home
    assert late in page
    assert "Pas encore marquées comme remises\u00a0: en retard." in page


def test_the_reminder_is_in_english_for_staff_who_chose_english(client, staff_user_make):
    from wagtail.users.models import UserProfile

    with time_machine.travel(at(2027, 1, 20, 8), tick=False):
        user = staff_user_make(role=roles.ED)
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "en"
        profile.save()
        home = _flat(_home(client, user))
    assert "The yearly statistics for the IPC for 2026 are due by March 1, 2027." in home


def test_marking_submitted_ends_the_reminder(client, staff_user_make):
    with time_machine.travel(at(2027, 2, 10, 8), tick=False):
        officer = staff_user_make(role=roles.PRIVACY_OFFICER, first_name="Odile", last_name="Roy")
        assert PANEL in _home(client, officer)
        response = client.post(reverse(PAGE), {"year": "2026"})
        assert response.status_code == 302
        assert response["Location"] == f"{reverse(PAGE)}?year=2026"
        assert PANEL not in _home(client, officer)
        page = _flat(client.get(reverse(PAGE), {"year": 2026}).content.decode())
    assert 'id="ipc-reminder"' not in page
    assert "Marquées comme remises le 10 février 2027 à 8\u00a0h par Odile Roy." in page
    assert "Marquer comme remises" not in page


@pytest.mark.parametrize("role", OTHERS)
def test_other_roles_get_no_reminder(client, staff_user_make, role):
    with time_machine.travel(at(2027, 2, 10, 8), tick=False):
        assert PANEL not in _home(client, staff_user_make(role=role))


# --- the page --------------------------------------------------------------------------------


def test_the_page_shows_last_years_counts_the_breaches_and_the_due_date(
    client, staff_user_make, year_2026
):
    with time_machine.travel(at(2027, 2, 1, 9), tick=False):
        response = _page(client, staff_user_make(role=roles.ED))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = _flat(response.content.decode())
    assert '<option value="2026" selected>2026</option>' in html
    start = html.index('id="ipc-counts"')
    table = html[start : html.index("</table>", start)]
    assert "<caption>" in table
    for label, count in [
        ("Volés", 2),
        ("Perdus", 0),
        ("Utilisés sans autorisation", 0),
        ("Divulgués sans autorisation", 1),
    ]:
        assert f'<th scope="row">{label}</th> <td>{count}</td>' in table
    for incident in year_2026:
        assert incident.reference in html
    assert "2026-12-31" in html  # New Year's Eve, Toronto time
    assert "À remettre au plus tard le\u00a0: 1er mars 2027" in html
    assert "Pas encore marquées comme remises." in html
    # The Executive Director keeps the register too: he may mark the year submitted.
    assert "Marquer comme remises" in html
    # References and dates only: nothing of what happened.
    assert SECRET not in html
    assert not AccessLogEntry.objects.filter(action=AccessAction.PERSONAL_DATA_READ).exists()


def test_the_counted_breaches_link_to_the_register(client, staff_user_make, year_2026):
    try:
        url = reverse("incidents:detail", args=[year_2026[0].pk])
    except NoReverseMatch:
        pytest.skip("the register's incident page is built on another branch")
    with time_machine.travel(at(2027, 2, 1, 9), tick=False):
        html = _page(client, staff_user_make(role=roles.AED)).content.decode()
    assert f'href="{url}"' in html


def test_another_year_is_chosen_from_the_list(client, staff_user_make, year_2026):
    with time_machine.travel(at(2027, 2, 1, 9), tick=False):
        html = _page(client, staff_user_make(role=roles.AED), year=2025).content.decode()
    assert '<option value="2025" selected>2025</option>' in html
    assert year_2026[0].reference not in html
    assert "2026-12-31" not in html


def test_the_current_year_is_shown_so_far_and_cannot_be_marked(client, staff_user_make):
    with time_machine.travel(at(2027, 2, 1, 9), tick=False):
        user = staff_user_make(role=roles.PRIVACY_OFFICER)
        html = _page(client, user, year=2027).content.decode()
        refused = client.post(reverse(PAGE), {"year": "2027"})
    assert "2027 n'est pas terminée\u00a0: voici les nombres à ce jour." in unescape(html)
    assert "Marquer comme remises" not in html
    assert refused.status_code == 400
    assert "une fois l'année terminée" in unescape(refused.content.decode())
    assert not IpcAnnualReport.objects.exists()


@pytest.mark.parametrize("value", ["deux-mille", "2031", "1850"])
def test_a_year_not_in_the_list_is_said_so(client, staff_user_make, value):
    with time_machine.travel(at(2027, 2, 1, 9), tick=False):
        response = _page(client, staff_user_make(role=roles.AED), year=value)
    assert response.status_code == 400
    html = response.content.decode()
    assert "L'année n'a pas pu être affichée" in unescape(html)
    assert 'id="ipc-counts"' not in html


def test_a_year_is_marked_submitted_once(client, staff_user_make):
    with time_machine.travel(at(2027, 2, 1, 9), tick=False):
        staff_sign_in(client, staff_user_make(role=roles.AED))
        assert client.post(reverse(PAGE), {"year": "2026"}).status_code == 302
        again = client.post(reverse(PAGE), {"year": "2026"})
    assert again.status_code == 400
    assert "déjà marquées comme remises" in unescape(again.content.decode())
    assert IpcAnnualReport.objects.count() == 1


def test_the_csv_download_is_an_attachment_with_a_byte_order_mark(
    client, staff_user_make, year_2026
):
    with time_machine.travel(at(2027, 2, 1, 9), tick=False):
        staff_sign_in(client, staff_user_make(role=roles.PRIVACY_OFFICER))
        response = client.get(reverse(CSV), {"year": 2026})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="statistiques-cipvp-2026.csv"'
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    assert body[1:].splitlines() == [
        "Code,Catégorie,Nombre",
        "stolen,Volés,2",
        "lost,Perdus,0",
        "used,Utilisés sans autorisation,0",
        "disclosed,Divulgués sans autorisation,1",
    ]


def test_the_csv_of_a_year_not_in_the_list_leads_back_to_the_page(client, staff_user_make):
    with time_machine.travel(at(2027, 2, 1, 9), tick=False):
        staff_sign_in(client, staff_user_make(role=roles.AED))
        response = client.get(reverse(CSV), {"year": "2031"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse(PAGE)}?year=2031"


def test_the_printable_page_has_the_counts_and_no_admin_around_them(
    client, staff_user_make, year_2026
):
    with time_machine.travel(at(2027, 2, 1, 9), tick=False):
        response = _page(client, staff_user_make(role=roles.AED), year=2026, print=1)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = _flat(response.content.decode())
    assert '<html lang="fr">' in html
    assert "<h1>Statistiques annuelles destinées au CIPVP\u00a0: 2026</h1>" in html
    assert '<th scope="row">Volés</th> <td>2</td>' in html
    assert "ipc_statistics_print.css" in html
    # No admin chrome: no menu, no header, no form.
    assert "wagtail" not in html.lower()
    assert "<form" not in html
    assert "<nav" not in html
    assert SECRET not in html


def test_the_page_costs_the_same_queries_with_more_breaches(client, staff_user_make):
    with time_machine.travel(at(2027, 2, 1, 9), tick=False):
        user = staff_user_make(role=roles.AED)
        breach(at(2026, 4, 1))
        staff_sign_in(client, user)
        client.get(reverse(PAGE))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse(PAGE))
        for day in range(2, 12):
            breach(at(2026, 4, day), PhipaCategory.USED)
        with CaptureQueriesContext(connection) as many:
            client.get(reverse(PAGE))
    assert len(many) == len(few)


# --- who may do what -------------------------------------------------------------------------


@pytest.mark.parametrize("role", READERS)
def test_the_register_keepers_read_and_mark(client, staff_user_make, role):
    with time_machine.travel(at(2027, 2, 1, 9), tick=False):
        staff_sign_in(client, staff_user_make(role=role))
        assert client.get(reverse(PAGE)).status_code == 200
        assert client.get(reverse(CSV)).status_code == 200
        assert client.get(reverse(PAGE), {"print": 1}).status_code == 200
        assert client.post(reverse(PAGE), {"year": "2026"}).status_code == 302
    assert IpcAnnualReport.objects.filter(year=2026).exists()


@pytest.mark.parametrize("role", OTHERS)
def test_everyone_else_gets_the_403_page_with_its_reason(client, staff_user_make, role):
    with time_machine.travel(at(2027, 2, 1, 9), tick=False):
        staff_sign_in(client, staff_user_make(role=role))
        responses = [
            client.get(reverse(PAGE)),
            client.get(reverse(CSV)),
            client.get(reverse(PAGE), {"print": 1}),
            client.post(reverse(PAGE), {"year": "2026"}),
        ]
    for response in responses:
        assert response.status_code == 403
        assert "qui tiennent le registre des incidents" in response.content.decode()
        assert "no-store" in response["Cache-Control"]
    assert not IpcAnnualReport.objects.exists()


def test_reading_without_the_change_permission_cannot_mark(client, staff_user_make):
    """A reader without ``incidents.change_incident`` sees the page without the button,
    and a POST is refused with the 403 page."""
    from django.contrib.auth.models import Group, Permission

    reader = staff_user_make(role=roles.CONTENT)
    group = Group.objects.create(name="Lecture du registre")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="incidents", codename="view_incident")
    )
    reader.groups.add(group)
    with time_machine.travel(at(2027, 2, 1, 9), tick=False):
        staff_sign_in(client, reader)
        page = client.get(reverse(PAGE))
        refused = client.post(reverse(PAGE), {"year": "2026"})
    assert page.status_code == 200
    assert "Marquer comme remises" not in page.content.decode()
    assert refused.status_code == 403
    assert "Seuls les membres du personnel qui tiennent le registre" in refused.content.decode()
    assert not IpcAnnualReport.objects.exists()
