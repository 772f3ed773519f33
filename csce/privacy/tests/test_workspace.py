"""The Privacy Officer answers a request from one screen: discovery across the registry,
export bundle through a single-use link, erasure with legal exceptions (policy P9, P10)."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.core import mail
from django.urls import reverse

from csce.accounts.factories import staff_sign_in, staff_user
from csce.accounts.roles import COMMUNICATIONS
from csce.audit.models import AccessAction, AccessLogEntry
from csce.common.testing import database_text_dump
from csce.privacy.factories import privacy_request_make
from csce.privacy.models import EventKind, ExportBundle, RequestKind, RequestStatus
from csce.privacy.workspace import (
    privacy_request_discover,
    privacy_request_erase,
    privacy_request_export,
)

from .conftest import EMAIL, MESSAGE, contact_submit

# A visitor's message through the contact form is the personal data the requests are about.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("contact_form")]


def _found(findings) -> dict[str, int]:
    return {f.key: len(f.records) for f in findings}


def _download_link(message) -> str:
    return re.search(r"http://\S+/privacy/export/\S+/", message.body).group(0)


def test_discovery_finds_the_persons_submissions_and_writes_the_access_log(client, privacy_officer):
    contact_submit(client)
    contact_submit(client, email="someone.else@example.org")
    request = privacy_request_make(email=EMAIL.upper())  # the same person, typed differently
    findings = privacy_request_discover(request=request, actor=privacy_officer)
    found = _found(findings)
    assert found["submissions"] == 1
    assert found["privacy_requests"] == 1
    # The list names the form and the date, never the message.
    summaries = [r.summary for f in findings for r in f.records]
    assert not any(MESSAGE in s for s in summaries)
    entry = AccessLogEntry.objects.filter(action=AccessAction.PERSONAL_DATA_READ).latest("pk")
    assert entry.actor_id == privacy_officer.pk
    assert entry.object_id == str(request.pk)
    assert entry.details["found"]["submissions"] == 1
    assert request.events.get(kind=EventKind.DISCOVERY).details["sources"]["submissions"] == 1


def test_the_export_reaches_the_requester_by_a_single_use_link_in_their_language(
    client, privacy_officer
):
    contact_submit(client, language="en")
    request = privacy_request_make(language="en")
    privacy_request_export(request=request, actor=privacy_officer)

    letter = mail.outbox[-1]
    assert letter.to == [EMAIL]
    assert letter.attachments == []  # never as an attachment
    assert "your information is ready" in letter.subject
    link = _download_link(letter)
    assert "/en/privacy/export/" in link
    # The kept copy of the letter does not hold the key to the bundle.
    kept = request.events.get(kind=EventKind.LETTER).text
    assert link not in kept
    # At rest the bundle is encrypted: the message cannot be read in the database.
    assert MESSAGE not in database_text_dump()

    path = link.removeprefix("http://127.0.0.1:8000")
    page = client.get(path)
    assert page.status_code == 200
    assert "Download my information" in page.content.decode()
    assert not page.cookies
    download = client.post(path, HTTP_ORIGIN="http://testserver")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    data = json.loads(archive.read("data.json"))
    submissions = next(s for s in data["sources"] if s["key"] == "submissions")
    answers = [a["answer"] for a in submissions["records"][0]["answers"]]
    assert MESSAGE in answers
    report = archive.read("report.html").decode()
    assert '<html lang="en">' in report
    assert "Why we keep it:" in report
    assert MESSAGE in report

    # Single use: the content is gone after the download.
    again = client.post(path, HTTP_ORIGIN="http://testserver")
    assert again.status_code == 404
    assert ExportBundle.objects.get().content == ""
    kinds = list(request.events.values_list("kind", flat=True))
    assert EventKind.EXPORT_DOWNLOADED in kinds
    exports = AccessLogEntry.objects.filter(action=AccessAction.PERSONAL_DATA_EXPORTED)
    assert {e.details.get("downloaded_by") for e in exports} >= {"requester"}


def test_a_french_requester_gets_the_french_bundle(client, privacy_officer):
    contact_submit(client)
    request = privacy_request_make(language="fr")
    bundle = privacy_request_export(request=request, actor=privacy_officer)
    assert "/fr/privacy/export/" in _download_link(mail.outbox[-1])
    assert "vos renseignements sont prêts" in mail.outbox[-1].subject
    import base64

    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(bundle.content)))
    report = archive.read("report.html").decode()
    assert '<html lang="fr">' in report
    assert "Pourquoi nous les conservons" in report


def test_a_download_from_another_site_is_refused(client, privacy_officer):
    contact_submit(client)
    request = privacy_request_make()
    privacy_request_export(request=request, actor=privacy_officer)
    path = _download_link(mail.outbox[-1]).removeprefix("http://127.0.0.1:8000")
    response = client.post(path, HTTP_ORIGIN="https://evil.example")
    assert response.status_code == 403
    assert ExportBundle.objects.get().content != ""


def test_a_made_up_link_is_a_clear_404(client):
    response = client.get("/fr/privacy/export/not-a-real-token/")
    assert response.status_code == 404
    assert "Ce lien ne fonctionne plus" in response.content.decode()


def test_erasure_empties_every_app_but_keeps_the_legal_record_and_a_second_search_finds_nothing(
    client, privacy_officer
):
    contact_submit(client)
    request = privacy_request_make(kind=RequestKind.DELETION)
    results = privacy_request_erase(request=request, actor=privacy_officer)
    assert results["submissions"] == {"erased": 1}
    assert results["privacy_requests"] == {"kept": True}
    assert MESSAGE not in str(request.events.get(kind=EventKind.ERASURE).details)
    again = _found(privacy_request_discover(request=request, actor=privacy_officer))
    assert again["submissions"] == 0
    assert again["privacy_requests"] == 1
    deleted = AccessLogEntry.objects.filter(
        action=AccessAction.PERSONAL_DATA_DELETED,
        object_type="privacy.privacyrequest",
        object_id=str(request.pk),
    )
    assert deleted.count() == 1


# --- the screens ------------------------------------------------------------------------


def test_the_privacy_officer_opens_a_request_and_the_read_is_logged(client, privacy_officer):
    request = privacy_request_make(details="Je veux voir mon dossier.")
    staff_sign_in(client, privacy_officer)
    listing = client.get(reverse("privacy_requests:index"))
    assert listing.status_code == 200
    assert request.reference in listing.content.decode()
    detail = client.get(reverse("privacy_requests:detail", args=[request.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert EMAIL in html
    assert "Je veux voir mon dossier." in html
    assert "no-store" in detail["Cache-Control"]
    assert AccessLogEntry.objects.filter(
        action=AccessAction.PERSONAL_DATA_READ,
        actor_id=privacy_officer.pk,
        object_type="privacy.privacyrequest",
        object_id=str(request.pk),
    ).exists()


def test_staff_without_the_privacy_role_get_a_403(client):
    request = privacy_request_make()
    user = staff_user(role=COMMUNICATIONS, username="communications")
    staff_sign_in(client, user)
    for url in (
        reverse("privacy_requests:index"),
        reverse("privacy_requests:detail", args=[request.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert EMAIL not in response.content.decode()
    response = client.post(
        reverse("privacy_requests:detail", args=[request.pk]),
        {"action": "close", "outcome": "granted"},
    )
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == RequestStatus.RECEIVED


def test_the_workspace_actions_work_from_the_screen(client, privacy_officer):
    contact_submit(client)
    request = privacy_request_make()
    staff_sign_in(client, privacy_officer)
    url = reverse("privacy_requests:detail", args=[request.pk])

    found = client.post(url, {"action": "discover"})
    assert found.status_code == 200
    assert "Écrivez-nous" in found.content.decode()

    refused = client.post(url, {"action": "extend", "days": "45", "reason": ""})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Assurez-vous que cette valeur est inférieure ou égale à 30." in html

    assert (
        client.post(url, {"action": "extend", "days": "20", "reason": "Archives."}).status_code
        == 302
    )
    assert (
        client.post(url, {"action": "letter", "letter": "access", "message": "Voici."}).status_code
        == 302
    )
    assert client.post(url, {"action": "close", "outcome": "granted"}).status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
    assert request.closed_by == privacy_officer
    kinds = list(request.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.DISCOVERY,
        EventKind.EXTENSION,
        EventKind.LETTER,
        EventKind.LETTER,
        EventKind.CLOSED,
    ]
    # French requester, French letters.
    assert [m.subject for m in mail.outbox][-1].startswith("Réponse à votre demande d'accès")


def test_the_dashboard_tells_the_privacy_officer_what_is_due_and_late(client, privacy_officer):
    import datetime

    from django.utils import timezone

    late = privacy_request_make(verified_at=timezone.now() - datetime.timedelta(days=40))
    soon = privacy_request_make(verified_at=timezone.now() - datetime.timedelta(days=25))
    later = privacy_request_make(verified_at=timezone.now())
    staff_sign_in(client, privacy_officer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "3 demandes ouvertes" in html
    assert "1 en retard" in html
    # Policy P10: the late one and the one due within a week, soonest first; not the
    # one due in a month.
    assert late.reference in html
    assert soon.reference in html
    assert html.index(late.reference) < html.index(soon.reference)
    assert later.reference not in html
    # The "Privacy" menu holds the requests for the officer.
    assert reverse("privacy_requests:index") in html

    user = staff_user(role=COMMUNICATIONS, username="programmes")
    staff_sign_in(client, user)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert soon.reference not in html
    assert reverse("privacy_requests:index") not in html


def test_files_the_person_attached_are_in_their_bundle(client, privacy_officer):
    import base64
    from types import SimpleNamespace

    from django.core.files.uploadedfile import SimpleUploadedFile

    from csce.common.registry import personal_data_registry
    from csce.submissions.models import Submission
    from csce.submissions.uploads import UploadField, submission_files_store

    contact_submit(client)
    submission = Submission.objects.latest("pk")
    content = b"%PDF-1.7\n% resultats de laboratoire\n%%EOF\n"
    upload = SimpleUploadedFile("../../résultats labo.pdf", content)
    form = SimpleNamespace(fields={"piece": UploadField()}, cleaned_data={"piece": upload})
    submission_files_store(submission=submission, form=form)

    request = privacy_request_make()
    bundle = privacy_request_export(request=request, actor=privacy_officer)
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(bundle.content)))
    [path] = [name for name in archive.namelist() if name.startswith("files/")]
    assert path.startswith("files/submissions/")
    assert "résultats" in path  # the name the visitor gave, without its path
    assert path.endswith("labo.pdf")
    assert ".." not in path
    assert archive.read(path) == content
    assert path in archive.read("report.html").decode()
    sources = {s["key"]: s for s in json.loads(archive.read("data.json"))["sources"]}
    assert sources["submissions"]["files"] == [path]
    # Reading the file for the bundle is in the access log, like any reading of it.
    assert AccessLogEntry.objects.filter(
        action=AccessAction.PERSONAL_DATA_READ, object_type="submissions.submissionfile"
    ).exists()
    assert personal_data_registry.get("submissions").export_files is not None
