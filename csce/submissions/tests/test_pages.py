"""Every form page type, in both languages: renders, stays within its query budget."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from csce.submissions.models import InquiryPage, ProgramPage, SurveyPage

from .conftest import in_english, inquiry_page_create
from .surveys import survey_page_create
from .test_registration import program_page_create

QUERY_BUDGET = 8  # the same budget as every public page type (csce/pages/tests/test_views.py)
FORM_PAGE_TYPES = (InquiryPage, SurveyPage, ProgramPage)

pytestmark = pytest.mark.django_db


def _page(model, language, home, services):
    """A published form page of ``model`` in ``language``, where an editor would put it."""
    if model is InquiryPage:
        return inquiry_page_create(parent=home if language == "fr" else in_english(home))
    if model is SurveyPage:
        return survey_page_create(home=home, language=language)
    return program_page_create(parent=services[language])


@pytest.mark.parametrize("model", FORM_PAGE_TYPES, ids=lambda m: m.__name__)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_form_page_renders_in_its_language_within_budget(
    site_home, services, client, model, language
):
    page = _page(model, language, site_home, services)
    client.get(page.url)  # the first visit fills the caches every later visitor uses
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert not response.cookies
    assert len(queries) <= QUERY_BUDGET, "\n".join(q["sql"][:200] for q in queries)
