"""Every form page type, in both languages: renders, stays within its query budget."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from csce.submissions.models import InquiryPage, ProgramPage, SurveyPage

QUERY_BUDGET = 8  # the same budget as every public page type (csce/pages/tests/test_views.py)
FORM_PAGE_TYPES = (InquiryPage, SurveyPage, ProgramPage)

pytestmark = pytest.mark.django_db


def _page(model, language):
    return model.objects.live().filter(locale__language_code=language).order_by("path").first()


@pytest.mark.parametrize("model", FORM_PAGE_TYPES, ids=lambda m: m.__name__)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_form_page_renders_in_its_language_within_budget(demo_site, client, model, language):
    page = _page(model, language)
    assert page is not None, f"the demo has no {model.__name__} in {language}"
    client.get(page.url)  # the first visit fills the caches every later visitor uses
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert not response.cookies
    assert len(queries) <= QUERY_BUDGET, "\n".join(q["sql"][:200] for q in queries)
