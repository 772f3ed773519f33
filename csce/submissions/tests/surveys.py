"""A survey page with one question of each kind, for the results, uploads and challenge tests."""

from __future__ import annotations

from django.contrib.auth.models import Group
from wagtail.models import Locale

from csce.accounts.roles import COMMUNICATIONS
from csce.common.demo import in_order
from csce.submissions.models import SurveyFormField, SurveyPage

from .conftest import started_token


def survey_questions_each_kind() -> list[SurveyFormField]:
    """One question of each kind: a radio, boxes, one box, free text and a file."""
    return [
        SurveyFormField(
            label="Satisfaction",
            field_type="radio",
            choices="Très\nAssez\nPeu",
            data_class="general",
        ),
        SurveyFormField(
            label="Services utilisés",
            field_type="checkboxes",
            choices="Clinique\nNutrition\nJeunesse",
            required=False,
            data_class="general",
        ),
        SurveyFormField(
            label="Recommanderiez-vous", field_type="checkbox", required=False, data_class="general"
        ),
        SurveyFormField(
            label="Commentaires", field_type="multiline", required=False, data_class="personal"
        ),
        SurveyFormField(
            label="Pièce jointe", field_type="file", required=False, data_class="personal"
        ),
    ]


def survey_page_create(
    *,
    home,
    slug: str = "sondage",
    language: str = "fr",
    fields: list[SurveyFormField] | None = None,
) -> SurveyPage:
    """A published survey under the French ``home``, or under its translation in
    ``language``, asking ``fields`` (one question of each kind unless told)."""
    locale = Locale.objects.get(language_code=language)
    if home.locale_id != locale.pk:
        home = home.get_translation(locale)
    page = SurveyPage(
        title="Sondage de satisfaction",
        slug=slug,
        purpose="Améliorer nos services.",
        inbox=Group.objects.get(name=COMMUNICATIONS),
    )
    page.form_fields = in_order(survey_questions_each_kind() if fields is None else fields)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def survey_post_data(page, **overrides) -> dict:
    data = {
        "satisfaction": "Très",
        "services_utilises": ["Clinique", "Nutrition"],
        "recommanderiez_vous": "on",
        "commentaires": "Accueil chaleureux, merci Josée",
        "form_started": started_token(page),
        "form_website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
