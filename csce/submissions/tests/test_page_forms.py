"""Editors cannot remove a session people hold places in, nor give it fewer places than
people registered: the page edit view refuses, says why on that session, saves nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html
from wagtail.users.models import UserProfile

from csce.accounts.roles import AED
from csce.submissions.models import ProgramPage, ProgramSession, RegistrationStatus

from .test_admin_views import signed_in
from .test_registration import program_page_create, registration_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(services):
    """Two sessions: the first has two places, one taken by Marie and one by Luc."""
    page = program_page_create(parent=services["fr"], capacity=2, slug="atelier-edition")
    first, second = page.sessions.order_by("sort_order")
    for email in ("marie@example.org", "luc@example.org"):
        registration_submit(page=page, session=first, email=email)
    return {"page": page, "first": first, "second": second}


def editor(client, *, language: str = "en"):
    user = signed_in(client, username="aed", role=AED)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def edit_form_data(client, page):
    """What the editor's browser sends back from the edit page, unchanged, to publish."""
    response = client.get(edit_url(page))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data["action-publish"] = "action-publish"
    return data


def session_prefix(data, session) -> str:
    total = int(data["sessions-TOTAL_FORMS"])
    return next(
        f"sessions-{n}" for n in range(total) if data.get(f"sessions-{n}-id") == str(session.pk)
    )


def test_a_session_with_registrations_cannot_be_removed_and_nothing_is_saved(client, program):
    editor(client)
    page = program["page"]
    revision = page.latest_revision_id
    data = edit_form_data(client, page)
    data[f"{session_prefix(data, program['first'])}-DELETE"] = "1"
    data["title"] = "Atelier cuisine (modifié)"

    response = client.post(edit_url(page), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot be removed: 2 people are registered or on its waitlist" in html
    page.refresh_from_db()
    assert page.latest_revision_id == revision
    assert page.title == "Atelier cuisine"
    assert ProgramSession.objects.filter(pk=program["first"].pk).exists()
    assert program["first"].registrations.filter(status=RegistrationStatus.REGISTERED).count() == 2
    # The session is shown again with its error, not hidden as removed.
    form = response.context["form"]
    [refused] = [f for f in form.formsets["sessions"].forms if f.instance.pk == program["first"].pk]
    assert refused["DELETE"].value() in ("", False, None)
    assert refused.non_field_errors()


def test_a_session_without_registrations_is_removed(client, program):
    editor(client)
    page = program["page"]
    data = edit_form_data(client, page)
    data[f"{session_prefix(data, program['second'])}-DELETE"] = "1"
    response = client.post(edit_url(page), data)
    assert response.status_code == 302
    assert list(ProgramPage.objects.get(pk=page.pk).sessions.all()) == [program["first"]]


def test_places_cannot_go_below_the_people_registered(client, program):
    editor(client)
    page = program["page"]
    data = edit_form_data(client, page)
    prefix = session_prefix(data, program["first"])

    data[f"{prefix}-capacity"] = "1"
    response = client.post(edit_url(page), data)
    assert response.status_code == 200
    assert "2 people already have a place in this session: it needs at least 2 places." in (
        response.content.decode()
    )
    program["first"].refresh_from_db()
    assert program["first"].capacity == 2

    data[f"{prefix}-capacity"] = "3"  # more places is always fine
    assert client.post(edit_url(page), data).status_code == 302
    program["first"].refresh_from_db()
    assert program["first"].capacity == 3


def test_the_refusal_is_in_the_editors_language(client, program):
    editor(client, language="fr")
    page = program["page"]
    data = edit_form_data(client, page)
    data[f"{session_prefix(data, program['first'])}-DELETE"] = "1"
    html = client.post(edit_url(page), data).content.decode()
    assert "ne peut pas être retirée\xa0: 2 personnes sont inscrites" in html
