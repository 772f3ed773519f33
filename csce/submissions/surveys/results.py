"""Survey results for staff: counts per question, charts, free text, CSV (policy P3).

Only members of the survey's inbox (or superusers) see them (policy F). Charts are SVG
drawn on the server, each with a table of the same numbers: no script, no other host,
readable by a screen reader. Reading free text and exporting are written to the access
log; answers are decrypted in memory only.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.contrib.forms.utils import get_field_clean_name

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common.admin_views import need_to_know
from csce.common.http import no_store
from csce.common.spreadsheet import spreadsheet_text

from ..inbox.selectors import INBOX_FORBIDDEN_REASON, user_in_inbox
from ..models.pages import SurveyPage
from ..models.records import Submission

SURVEY_TYPE = "submissions.surveypage"
CHOICE_TYPES = ("dropdown", "radio", "checkboxes", "checkbox")
# Spreadsheets run a cell that starts with these as a formula (CSV injection).
CHART_WIDTH = 600
BAR_HEIGHT = 24
BAR_GAP = 12
LABEL_WIDTH = 200


@dataclass
class ChoiceCount:
    label: str
    count: int
    percent: int = 0


@dataclass
class QuestionResult:
    name: str
    label: str
    field_type: str
    answered: int = 0
    choices: list[ChoiceCount] = field(default_factory=list)

    @property
    def is_choice(self) -> bool:
        return self.field_type in CHOICE_TYPES

    def chart(self) -> dict:
        """Geometry of the bar chart (SVG presentation attributes, no style attribute)."""
        top = max((c.count for c in self.choices), default=0) or 1
        bar_space = CHART_WIDTH - LABEL_WIDTH - 60
        bars = []
        for index, choice in enumerate(self.choices):
            y = index * (BAR_HEIGHT + BAR_GAP)
            width = round(bar_space * choice.count / top)
            bars.append(
                {
                    "label": choice.label,
                    "count": choice.count,
                    "percent": choice.percent,
                    "y": y,
                    "text_y": y + BAR_HEIGHT * 0.7,
                    "x": LABEL_WIDTH,
                    "width": width,
                    "value_x": LABEL_WIDTH + width + 6,
                }
            )
        height = max(1, len(bars)) * (BAR_HEIGHT + BAR_GAP)
        return {
            "width": CHART_WIDTH,
            "height": height,
            "bar_height": BAR_HEIGHT,
            "label_x": LABEL_WIDTH - 8,
            "bars": bars,
        }


def _choices(form_field) -> list[str]:
    raw = form_field.choices or ""
    separator = "\n" if "\n" in raw else ","
    return [c.strip() for c in raw.split(separator) if c.strip()]


def survey_responses(*, page: SurveyPage):
    """Responses that still hold their answers (purged ones have none)."""
    return Submission.objects.filter(page=page, answers__isnull=False, purged_at__isnull=True)


def survey_questions(*, page: SurveyPage) -> list:
    fields = list(page.get_form_fields())
    for form_field in fields:
        form_field.clean_name = form_field.clean_name or get_field_clean_name(form_field.label)
    return fields


def survey_results_compute(*, page: SurveyPage) -> tuple[int, list[QuestionResult]]:
    """The number of responses and, per question, how many answered and what they chose."""
    questions = survey_questions(page=page)
    results = {
        q.clean_name: QuestionResult(name=q.clean_name, label=q.label, field_type=q.field_type)
        for q in questions
    }
    tallies: dict[str, dict[str, int]] = {}
    for q in questions:
        if q.field_type == "checkbox":
            tallies[q.clean_name] = {_("Yes"): 0, _("No"): 0}
        elif q.field_type in CHOICE_TYPES:
            tallies[q.clean_name] = dict.fromkeys(_choices(q), 0)
    total = 0
    for answers in survey_responses(page=page).values_list("answers", flat=True).iterator():
        total += 1
        for answer in answers or []:
            result = results.get(answer.get("name"))
            if result is None:
                continue
            value = answer.get("value")
            tally = tallies.get(result.name)
            if result.field_type == "checkbox":
                result.answered += 1
                key = _("Yes") if value in (True, "True", "true", "on") else _("No")
                tally[key] += 1
                continue
            if value in (None, "", []):
                continue
            result.answered += 1
            if tally is None:
                continue
            for item in value if isinstance(value, list) else [value]:
                item = str(item)
                tally[item] = tally.get(item, 0) + 1
    for name, tally in tallies.items():
        result = results[name]
        result.choices = [
            ChoiceCount(
                label=label,
                count=count,
                percent=round(100 * count / result.answered) if result.answered else 0,
            )
            for label, count in tally.items()
        ]
    return total, list(results.values())


def user_may_see_results(*, user, page: SurveyPage) -> bool:
    """Policy F, need to know: members of the survey's inbox (or superusers)."""
    return user_in_inbox(user=user, inbox_id=page.inbox_id)


def _survey_for(request: HttpRequest, page_id: int) -> SurveyPage:
    page = get_object_or_404(SurveyPage, pk=page_id)
    if not user_may_see_results(user=request.user, page=page):
        raise PermissionDenied
    return page


@login_required
@need_to_know(reason=INBOX_FORBIDDEN_REASON)
def survey_results_view(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _survey_for(request, page_id)
    total, questions = survey_results_compute(page=page)
    context = {"page": page, "total": total, "questions": questions}
    return no_store(TemplateResponse(request, "submissions/admin/results/index.html", context))


@login_required
@need_to_know(reason=INBOX_FORBIDDEN_REASON)
def survey_answers_view(request: HttpRequest, page_id: int, name: str) -> HttpResponse:
    """The free-text answers to one question: personal data read, so logged."""
    page = _survey_for(request, page_id)
    question = next((q for q in survey_questions(page=page) if q.clean_name == name), None)
    if question is None or question.field_type in CHOICE_TYPES:
        raise Http404
    texts = []
    for answers in survey_responses(page=page).values_list("answers", flat=True).iterator():
        for answer in answers or []:
            if answer.get("name") == name and answer.get("value") not in (None, "", []):
                texts.append(str(answer["value"]))
    access_log_record(
        action=AccessAction.PERSONAL_DATA_READ,
        actor=request.user,
        object_type=SURVEY_TYPE,
        object_id=page.pk,
        details={"question": name, "count": len(texts)},
    )
    context = {"page": page, "question": question, "texts": texts}
    return no_store(TemplateResponse(request, "submissions/admin/results/answers.html", context))


def _csv_cell(value) -> str:
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, bool):
        value = _("Yes") if value else _("No")
    text = "" if value is None else str(value)
    return spreadsheet_text(text)


def survey_results_csv(*, page: SurveyPage, actor) -> tuple[str, int]:
    """Every response as one CSV row, one column per question; logged as an export."""
    questions = survey_questions(page=page)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Received"), _("Language")] + [_csv_cell(q.label) for q in questions])
    count = 0
    rows = survey_responses(page=page).order_by("created_at", "pk")
    for created_at, language, answers in rows.values_list("created_at", "language", "answers"):
        by_name = {a.get("name"): a.get("value") for a in answers or []}
        writer.writerow(
            [timezone.localtime(created_at).strftime("%Y-%m-%d %H:%M"), language]
            + [_csv_cell(by_name.get(q.clean_name, "")) for q in questions]
        )
        count += 1
    access_log_record(
        action=AccessAction.PERSONAL_DATA_EXPORTED,
        actor=actor,
        object_type=SURVEY_TYPE,
        object_id=page.pk,
        details={"count": count, "format": "csv"},
    )
    return buffer.getvalue(), count


@login_required
@need_to_know(reason=INBOX_FORBIDDEN_REASON)
def survey_results_csv_view(request: HttpRequest, page_id: int) -> HttpResponse:
    page = _survey_for(request, page_id)
    content, _count = survey_results_csv(page=page, actor=request.user)
    # A byte-order mark, so that spreadsheet programs read the accents right.
    response = HttpResponse("\ufeff" + content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{page.pk}-results.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return no_store(response)


def results_urlpatterns():
    """Routes of the survey results, to include in the admin (wired by the inbox viewset)."""
    return [
        path("surveys/<int:page_id>/results/", survey_results_view, name="survey_results"),
        path(
            "surveys/<int:page_id>/results/csv/",
            survey_results_csv_view,
            name="survey_results_csv",
        ),
        path(
            "surveys/<int:page_id>/results/answers/<slug:name>/",
            survey_answers_view,
            name="survey_results_answers",
        ),
    ]
