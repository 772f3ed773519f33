"""A correction request: the officer changes the person's own record from the request's
screen, the change is noted and logged, the values are never copied (PHIPA s.55)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from csce.accounts.testing import login_with_mfa
from csce.audit.models import AccessAction, AccessLogEntry
from csce.common.registry import personal_data_registry
from csce.privacy.factories import privacy_request_make
from csce.privacy.models import EventKind, RequestKind
from csce.privacy.workspace import privacy_request_discover

from .conftest import EMAIL, NAME, contact_submit

# A visitor's message through the contact form is the personal data the requests are about.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("contact_form")]

CORRECTED = "Marie Tremblay-Gagnon"


def _record(request, officer):
    findings = privacy_request_discover(request=request, actor=officer)
    submissions = next(f for f in findings if f.key == "submissions")
    assert submissions.correctable
    return submissions.records[0]


def test_the_officer_corrects_a_name_and_the_request_keeps_a_note(client, privacy_officer):
    contact_submit(client)
    request = privacy_request_make(kind=RequestKind.CORRECTION)
    record = _record(request, privacy_officer)
    login_with_mfa(client, privacy_officer)
    url = reverse("privacy_requests:correct", args=[request.pk, "submissions", record.object_id])

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert NAME in html  # the current value, to be corrected
    form = page.context["form"]
    # What the browser sends back: every value as shown.
    shown = {name: field.initial or "" for name, field in form.fields.items()}
    name_field = next(name for name, value in shown.items() if value == NAME)

    nothing = client.post(url, {**shown, "note": "Rien."})
    assert nothing.status_code == 400
    assert "a été modifié." in nothing.content.decode()  # "Rien n'a été modifié."

    no_note = client.post(url, {**shown, name_field: CORRECTED, "note": ""})
    assert no_note.status_code == 400

    done = client.post(url, {**shown, name_field: CORRECTED, "note": "Nom de famille composé."})
    assert done.status_code == 302
    source = personal_data_registry.get("submissions")
    exported = source.export(email=EMAIL, actor=privacy_officer, language="fr")
    answers = [a["answer"] for a in exported[0]["answers"]]
    assert CORRECTED in answers
    assert NAME not in answers

    event = request.events.get(kind=EventKind.CORRECTION)
    assert event.text == "Nom de famille composé."
    assert CORRECTED not in str(event.details)
    entry = AccessLogEntry.objects.filter(action=AccessAction.PERSONAL_DATA_CORRECTED).get()
    assert entry.details["fields"] == [name_field.removeprefix("value_")]
    assert CORRECTED not in str(entry.details)


def test_a_corrected_address_is_the_one_a_later_search_finds(client, privacy_officer):
    contact_submit(client)
    request = privacy_request_make(kind=RequestKind.CORRECTION)
    record = _record(request, privacy_officer)
    source = personal_data_registry.get("submissions")
    values = source.correctable(email=EMAIL, object_id=record.object_id, actor=privacy_officer)
    email_field = next(v.name for v in values if v.value == EMAIL)
    source.correct(
        email=EMAIL,
        object_id=record.object_id,
        changes={email_field: "marie.gagnon@example.org"},
        actor=privacy_officer,
    )
    assert source.find(email=EMAIL) == []
    assert len(source.find(email="marie.gagnon@example.org")) == 1


def test_someone_elses_record_cannot_be_opened_through_a_request(client, privacy_officer):
    contact_submit(client, email="someone.else@example.org")
    other = personal_data_registry.get("submissions").find(email="someone.else@example.org")[0]
    request = privacy_request_make(kind=RequestKind.CORRECTION)
    login_with_mfa(client, privacy_officer)
    url = reverse("privacy_requests:correct", args=[request.pk, "submissions", other.object_id])
    # Not found (the language middleware then sends the browser to its 404 page).
    for response in (client.get(url, follow=True), client.post(url, {"note": "x"}, follow=True)):
        assert response.status_code == 404
        assert "someone.else" not in response.content.decode()
