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


def test_a_form_built_in_code_keeps_its_written_order_after_it_is_published_again(
    site_home, client
):
    """The demo and the factories build forms in code, not through the editor: their
    fields and topics must still come out in the written order on every database, also
    after the page is saved and published again (rows rewritten)."""
    page = inquiry_page_create(parent=site_home)
    page.title = "Écrivez-nous !"
    page.save_revision().publish()
    page.refresh_from_db()
    for children in (page.form_fields, page.topics):
        orders = list(children.values_list("sort_order", flat=True))
        assert orders == sorted(orders)
        assert len(set(orders)) == len(orders)
        assert None not in orders
    html = client.get(page.url).content.decode()
    positions = [html.index(label) for label in ("Nom", "Courriel", "Message", "Santé")]
    assert positions == sorted(positions)
    assert html.index("Question générale") < html.index("Programmes")
