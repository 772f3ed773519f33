"""Survey results for the survey's inbox only: counts per question as accessible SVG
charts with tables, free text behind a logged read, a logged CSV export, and a survey
response that keeps no address (policy P3, F)."""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse
from wagtail.contrib.forms.utils import get_field_clean_name
from wagtail.users.models import UserProfile

from csce.accounts.roles import COMMUNICATIONS, PROGRAM_STAFF
from csce.audit.factories import admin_sign_in, staff_member_create
from csce.audit.models import AccessAction, AccessLogEntry
from csce.submissions.models import Submission, SurveyFormField
from csce.submissions.surveys.results import (
    CHOICE_TYPES,
    survey_results_compute,
    survey_results_csv,
)

from .conftest import post_form, started_token
from .surveys import survey_page_create, survey_post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(client, site_home, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    page = survey_page_create(home=site_home)
    answers = [
        survey_post_data(page),
        survey_post_data(page, satisfaction="Assez", services_utilises=["Clinique"]),
        survey_post_data(
            page,
            satisfaction="Très",
            services_utilises=None,
            recommanderiez_vous=None,
            commentaires='=HYPERLINK("http://evil")',
        ),
    ]
    for data in answers:
        assert post_form(client, page, data).status_code == 200
    return page


@pytest.fixture
def member(client):
    user = staff_member_create()
    user.groups.add(Group.objects.get(name=COMMUNICATIONS))
    admin_sign_in(client, user)
    return user


def test_results_count_each_choice_and_the_answers_to_text_questions(survey):
    total, questions = survey_results_compute(page=survey)
    assert total == 3
    by_name = {q.name: q for q in questions}
    satisfaction = {c.label: c.count for c in by_name["satisfaction"].choices}
    assert satisfaction == {"Très": 2, "Assez": 1, "Peu": 0}
    services = {c.label: c.count for c in by_name["services_utilises"].choices}
    assert services == {"Clinique": 2, "Nutrition": 1, "Jeunesse": 0}
    assert by_name["services_utilises"].answered == 2
    assert [c.count for c in by_name["recommanderiez_vous"].choices] == [2, 1]
    assert by_name["commentaires"].answered == 3
    assert by_name["commentaires"].choices == []


def test_a_survey_response_stores_no_address_and_no_ip(survey):
    for submission in Submission.objects.filter(page=survey):
        assert submission.email_index == ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM submissions_submission")
        raw = " ".join(str(v) for row in cursor.fetchall() for v in row)
    assert "127.0.0.1" not in raw
    assert "Josée" not in raw  # free text is encrypted at rest too


def test_the_inbox_sees_charts_with_tables_and_no_script(client, survey, member):
    response = client.get(reverse("submissions_admin:survey_results", args=[survey.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == 3
    assert html.count('<title id="chart-') == 3
    assert html.count("<table") >= 3
    assert "Josée" not in html  # free text is not on the results page
    svg = "".join(re.findall(r"<svg.*?</svg>", html, flags=re.S))
    assert "style=" not in svg
    assert "<script" not in svg
    assert "no-store" in response["Cache-Control"]


def test_the_results_come_in_the_staff_members_language(client, survey, member):
    profile = UserProfile.get_for_user(member)
    profile.preferred_language = "en"
    profile.save()
    response = client.get(reverse("submissions_admin:survey_results", args=[survey.pk]))
    assert "Download all responses (CSV)" in response.content.decode()


def test_another_inbox_and_anonymous_visitors_are_refused(client, survey):
    url = reverse("submissions_admin:survey_results", args=[survey.pk])
    assert client.get(url).status_code in (302, 403)
    outsider = staff_member_create()
    outsider.groups.add(Group.objects.get(name=PROGRAM_STAFF))
    admin_sign_in(client, outsider)
    assert client.get(url).status_code == 403
    assert (
        client.get(reverse("submissions_admin:survey_results_csv", args=[survey.pk])).status_code
        == 403
    )
    assert (
        client.get(
            reverse("submissions_admin:survey_results_answers", args=[survey.pk, "commentaires"])
        ).status_code
        == 403
    )


def test_reading_free_text_is_logged(client, survey, member):
    response = client.get(
        reverse("submissions_admin:survey_results_answers", args=[survey.pk, "commentaires"])
    )
    assert response.status_code == 200
    assert "Accueil chaleureux, merci Josée" in response.content.decode()
    entry = AccessLogEntry.objects.filter(action=AccessAction.PERSONAL_DATA_READ).latest("pk")
    assert entry.actor_id == member.pk
    assert entry.details["count"] == 3


def test_the_csv_has_one_row_per_response_and_the_export_is_logged(client, survey, member):
    response = client.get(reverse("submissions_admin:survey_results_csv", args=[survey.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][2:] == [
        "Satisfaction",
        "Services utilisés",
        "Recommanderiez-vous",
        "Commentaires",
        "Pièce jointe",
    ]
    assert len(rows) == 4
    assert rows[1][3] == "Clinique; Nutrition"
    # A cell that a spreadsheet would run as a formula is neutralised.
    assert rows[3][5].startswith("'=")
    entry = AccessLogEntry.objects.filter(action=AccessAction.PERSONAL_DATA_EXPORTED).latest("pk")
    assert entry.details == {"count": 3, "format": "csv"}
    assert entry.actor_id == member.pk


def test_purged_responses_leave_the_results(survey):
    Submission.objects.filter(page=survey).update(answers=None)
    total, _questions = survey_results_compute(page=survey)
    assert total == 0
    _content, count = survey_results_csv(page=survey, actor=None)
    assert count == 0


class _BrowserForm(HTMLParser):
    """What a browser sends for a form the visitor leaves untouched: checked boxes and
    radios only, each list's selected option or else its first one, the texts as shown."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self.radios: dict[str, list[str]] = {}
        self.selects: dict[str, list[tuple[str, bool]]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "radio":
                self.radios.setdefault(name, []).append(a.get("value", "on"))
            if kind in ("radio", "checkbox") and "checked" not in a:
                return
            if kind not in ("submit", "file"):
                default = "on" if kind in ("radio", "checkbox") else ""
                self.data.setdefault(name, []).append(a.get("value", default))
        elif tag == "select" and name:
            self._select = name
            self.selects[name] = []
        elif tag == "option" and self._select:
            self.selects[self._select].append((a.get("value", ""), "selected" in a))

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            options = self.selects[self._select]
            chosen = [value for value, selected in options if selected] or [options[0][0]]
            self.data[self._select] = chosen[:1]
            self._select = None


# Questions like the centre's satisfaction survey: required radios around optional boxes
# and an optional list, each in the page's language.
CHOICE_QUESTIONS = {
    "fr": [
        ("Êtes-vous satisfait de nos services?", "radio", True, "Très\nAssez\nPeu"),
        ("Quels services avez-vous utilisés?", "checkboxes", False, "Clinique\nNutrition"),
        ("Avez-vous été servi en français?", "radio", True, "Oui\nNon"),
        ("Comment avez-vous connu le Centre?", "dropdown", False, "Médecin\nInternet\nAutre"),
        ("Une suggestion?", "multiline", False, ""),
    ],
    "en": [
        ("Are you satisfied with our services?", "radio", True, "Very\nQuite\nNot much"),
        ("Which services did you use?", "checkboxes", False, "Clinic\nNutrition"),
        ("Were you served in French?", "radio", True, "Yes\nNo"),
        ("How did you hear about the Centre?", "dropdown", False, "Doctor\nInternet\nOther"),
        ("Any suggestion?", "multiline", False, ""),
    ],
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_skipped_optional_choice_starts_empty_and_is_not_counted(
    client, site_home, settings, language
):
    page = survey_page_create(
        home=site_home,
        slug="sondage-choix",
        language=language,
        fields=[
            SurveyFormField(
                label=label,
                field_type=kind,
                required=required,
                choices=choices,
                data_class="general",
            )
            for label, kind, required, choices in CHOICE_QUESTIONS[language]
        ],
    )
    optional = [
        f for f in page.get_form_fields() if f.field_type in CHOICE_TYPES and not f.required
    ]
    assert {f.field_type for f in optional} >= {"dropdown", "checkboxes"}
    form = _BrowserForm()
    form.feed(client.get(page.url).content.decode())
    for field in optional:
        name = get_field_clean_name(field.label)
        assert not any(form.data.get(name, [])), f"{field.label!r} starts answered: {form.data}"
    # The visitor answers the required questions only (their first choice), then sends.
    data = {**form.data, "form_started": started_token(page)}
    for field in page.get_form_fields():
        if field.required and field.field_type == "radio":
            name = get_field_clean_name(field.label)
            data[name] = form.radios[name][:1]
    assert post_form(client, page, data).status_code == 200
    total, questions = survey_results_compute(page=page)
    assert total == 1
    for question in questions:
        if question.name in {get_field_clean_name(f.label) for f in optional}:
            assert question.answered == 0, question.label
            assert all(choice.count == 0 for choice in question.choices), question.label
