"""The Privacy Officer's work on a verified request (policy P9, P10).

Discovery, export and erasure go through the personal-data registry only (no other app
is imported); each is an event of the request (counts and source keys, never a value)
and an access-log entry. Letters go out in the requester's language; their text is kept
encrypted with the request, a legal record deleted 24 months after closing.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import json
import logging
import secrets
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from csce.audit.models import AccessAction
from csce.audit.reads import personal_data_read
from csce.audit.services import access_log_record
from csce.common.links import public_url
from csce.common.registry import CorrectableValue, PersonalRecord, personal_data_registry
from csce.common.typography import date_display
from csce.pages.centre import centre_settings_default

from .deadlines import request_extended_due_at, request_reminders_due
from .models.records import (
    EXPORT_LINK_DAYS,
    MAX_EXTENSION_DAYS,
    EventKind,
    ExportBundle,
    PrivacyRequest,
    PrivacyRequestEvent,
    RequestOutcome,
    RequestStatus,
)
from .registry import REQUEST_TYPE

logger = logging.getLogger(__name__)

# Letters the Privacy Officer can send, each a subject and body template per language.
LETTERS = {
    "access": "privacy/letters/access",
    "correction": "privacy/letters/correction",
    "deletion": "privacy/letters/deletion",
    "withdrawal": "privacy/letters/withdrawal",
    "complaint": "privacy/letters/complaint",
    "refusal": "privacy/letters/refusal",
    "general": "privacy/letters/general",
}


def _language(request: PrivacyRequest) -> str:
    languages = dict(settings.LANGUAGES)
    return request.language if request.language in languages else settings.LANGUAGE_CODE


def _event(request: PrivacyRequest, *, kind: str, actor=None, details=None, text: str = ""):
    return PrivacyRequestEvent.objects.create(
        request=request, kind=kind, actor=actor, details=details or {}, text=text
    )


def _log(request: PrivacyRequest, *, action: str, actor, details: dict) -> None:
    access_log_record(
        action=action,
        actor=actor,
        object_type=REQUEST_TYPE,
        object_id=request.pk,
        details={"reason": "privacy_request", **details},
    )


def centre_name(*, language: str) -> str:
    with translation.override(language):
        return centre_settings_default().localized_name()


def _send(request: PrivacyRequest, *, template: str, context: dict) -> str:
    """E-mail the requester in their language; returns the body as sent (or to post)."""
    language = _language(request)
    with translation.override(language):
        context = {
            "request": request,
            "centre_name": centre_name(language=language),
            "officer_email": settings.PRIVACY_OFFICER_EMAIL,
            "due": date_display(request.effective_due_at, language),
            **context,
        }
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}_body.txt", context)
    # A request by telephone, mail or in person may have no address: the letter is kept
    # with the request for the officer to post or read out (policy P9).
    if request.email:
        EmailMessage(subject=" ".join(subject.split()), body=body, to=[request.email]).send()
    return body


# --- handling ---------------------------------------------------------------------------


def privacy_request_assign(*, request: PrivacyRequest, assignee, actor) -> None:
    request.assigned_to = assignee
    if request.status == RequestStatus.RECEIVED:
        request.status = RequestStatus.IN_PROGRESS
    request.save(update_fields=["assigned_to", "status"])
    _event(
        request,
        kind=EventKind.STATUS,
        actor=actor,
        details={"assigned_to": getattr(assignee, "pk", None), "status": request.status},
    )


def privacy_request_note_add(*, request: PrivacyRequest, actor, text: str) -> PrivacyRequestEvent:
    return _event(request, kind=EventKind.NOTE, actor=actor, text=text)


def privacy_request_extend(
    *, request: PrivacyRequest, actor, days: int, reason: str, now=None
) -> PrivacyRequest:
    """PHIPA s.54(3): one extension of up to 30 days, with written notice of its length
    and reason, given before the first deadline passes."""
    now = now or timezone.now()
    if request.status == RequestStatus.CLOSED:
        raise ValidationError(_("This request is closed."))
    if request.is_extended:
        raise ValidationError(_("The deadline can be extended only once."))
    if request.due_at < now:
        raise ValidationError(_("The deadline has passed: it can no longer be extended."))
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationError(
            _("An extension lasts from 1 to %(max)d days.") % {"max": MAX_EXTENSION_DAYS}
        )
    if not reason.strip():
        raise ValidationError(_("Give the reason for the extension: the requester reads it."))
    with transaction.atomic():
        request = PrivacyRequest.objects.select_for_update().get(pk=request.pk)
        if request.is_extended:
            raise ValidationError(_("The deadline can be extended only once."))
        request.extended_due_at = request_extended_due_at(due_at=request.due_at, days=days)
        request.extension_reason = reason
        request.extended_at = now
        if request.status == RequestStatus.RECEIVED:
            request.status = RequestStatus.IN_PROGRESS
        request.save(update_fields=["extended_due_at", "extension_reason", "extended_at", "status"])
        # The reminders count down to the new date.
        PrivacyRequest.objects.filter(pk=request.pk).update(
            reminder_7_sent_at=None, reminder_2_sent_at=None
        )
        request.reminder_7_sent_at = request.reminder_2_sent_at = None
        body = _send(
            request,
            template="privacy/letters/extension",
            context={"days": days, "reason": reason},
        )
        _event(request, kind=EventKind.EXTENSION, actor=actor, details={"days": days}, text=reason)
        _event(
            request, kind=EventKind.LETTER, actor=actor, details={"letter": "extension"}, text=body
        )
    return request


def privacy_request_letter_send(
    *, request: PrivacyRequest, actor, letter: str, message: str = ""
) -> PrivacyRequestEvent:
    """One of the bilingual response letters, with the officer's own words in it."""
    if letter not in LETTERS:
        raise ValidationError(_("Choose a letter."))
    body = _send(request, template=LETTERS[letter], context={"message": message})
    return _event(
        request, kind=EventKind.LETTER, actor=actor, details={"letter": letter}, text=body
    )


def privacy_request_close(*, request: PrivacyRequest, actor, outcome: str) -> PrivacyRequest:
    if outcome not in RequestOutcome.values:
        raise ValidationError(_("Choose the outcome."))
    request.status = RequestStatus.CLOSED
    request.outcome = outcome
    request.closed_at = timezone.now()
    request.closed_by = actor
    request.save(update_fields=["status", "outcome", "closed_at", "closed_by"])
    _event(request, kind=EventKind.CLOSED, actor=actor, details={"outcome": outcome})
    return request


# --- discovery, export, erasure ---------------------------------------------------------


@dataclass(frozen=True)
class SourceFinding:
    key: str
    label: str
    records: list[PersonalRecord]
    erase_exception: str
    correctable: bool = False


def privacy_request_discover(*, request: PrivacyRequest, actor) -> list[SourceFinding]:
    """Search every app of the registry for the verified address, and say what was found."""
    findings = []
    for source in personal_data_registry:
        if source.find is None:
            continue
        findings.append(
            SourceFinding(
                key=source.key,
                label=str(source.label),
                records=source.find(email=request.email),
                erase_exception=str(source.erase_exception),
                correctable=source.correct is not None and source.correctable is not None,
            )
        )
    counts = {finding.key: len(finding.records) for finding in findings}
    _event(request, kind=EventKind.DISCOVERY, actor=actor, details={"sources": counts})
    # What was found is shown to the officer: a read of personal data (policy F).
    personal_data_read(
        actor=actor,
        record=request,
        object_type=REQUEST_TYPE,
        details={"reason": "privacy_request", "found": counts},
    )
    return findings


def _bundle_data(request: PrivacyRequest, *, actor) -> tuple[dict, dict[str, bytes]]:
    """The values of every source, and the files the person sent ({path in zip: bytes})."""
    sources = []
    files: dict[str, bytes] = {}
    for source in personal_data_registry:
        if source.export is None:
            continue
        records = source.export(email=request.email, actor=actor, language=_language(request))
        attached = []
        if source.export_files is not None:
            for exported in source.export_files(email=request.email, actor=actor):
                path = f"files/{source.key}/{exported.name}"
                files[path] = exported.content
                attached.append(path)
        if records or attached:
            sources.append(
                {
                    "key": source.key,
                    "label": str(source.label),
                    "purpose": str(source.purpose),
                    "retention": str(source.retention),
                    "records": records,
                    "files": attached,
                }
            )
    data = {
        "reference": request.reference,
        "prepared": timezone.now().isoformat(),
        "organisation": centre_name(language=_language(request)),
        "sources": sources,
    }
    return data, files


def _key_labels() -> dict[str, str]:
    # The keys the registry's exporters use, as a person reads them (active language).
    return {
        "form": _("Form"),
        "received": _("Received"),
        "status": _("Status"),
        "answers": _("Answers"),
        "question": _("Question"),
        "answer": _("Answer"),
        "consent": _("Consent"),
        "given": _("Given"),
        "wording_version": _("Version of the wording"),
        "time": _("Time"),
        "optional_purposes": _("Optional purposes agreed to"),
        "reference": _("Reference"),
        "request": _("Request"),
        "confirmed": _("Address confirmed"),
        "due": _("Answer due"),
        "name": _("Name"),
        "email": _("E-mail"),
        "details": _("Details"),
        # The newsletter's subscription and its proof of consent (CASL s.13).
        "first_name": _("First name"),
        "language": _("Language"),
        "topics": _("Topics"),
        "requested_at": _("Requested"),
        "confirmed_at": _("Confirmed"),
        "consents": _("Consents"),
        "wording": _("Words agreed to"),
        "method": _("How it was given"),
        "privacy_notice_version": _("Version of the privacy notice"),
        "request_network": _("Network of the request"),
        "confirmation_network": _("Network of the confirmation"),
        "page": _("Page"),
        "campaigns_received": _("Newsletters received"),
        "subject": _("Subject"),
        "sent": _("Sent"),
        "suppression_list": _("List of addresses never to write to"),
        "since": _("Since"),
        "reason": _("Reason"),
    }


def _readable(value, labels: dict[str, str]):
    """A record as rows of (label, text or sub-rows) for the readable page."""
    if isinstance(value, dict):
        return [
            {"label": labels.get(k, k.replace("_", " ")), "value": _readable(v, labels)}
            for k, v in value.items()
        ]
    if isinstance(value, (list, tuple)):
        if all(isinstance(item, dict) for item in value) and value:
            return [row for item in value for row in _readable(item, labels)]
        return ", ".join(str(item) for item in value)
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return "" if value is None else str(value)


def export_bundle_zip(*, data: dict, language: str, files: dict[str, bytes] | None = None) -> bytes:
    """data.json (machine-readable) and report.html (readable), in the requester's language."""
    with translation.override(language):
        labels = _key_labels()
        readable = [
            {**source, "records": [_readable(r, labels) for r in source["records"]]}
            for source in data["sources"]
        ]
        html = render_to_string(
            "privacy/export/report.html",
            {"data": data, "sources": readable, "language": language},
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        archive.writestr("report.html", html)
        for path, content in (files or {}).items():
            archive.writestr(path, content)
    return buffer.getvalue()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def privacy_request_export(*, request: PrivacyRequest, actor, now=None) -> ExportBundle:
    """Build the bundle and e-mail the requester a single-use link (never an attachment)."""
    now = now or timezone.now()
    language = _language(request)
    with translation.override(language):
        data, files = _bundle_data(request, actor=actor)
    content = export_bundle_zip(data=data, language=language, files=files)
    token = secrets.token_urlsafe(32)
    counts = {
        source["key"]: len(source["records"]) + len(source["files"]) for source in data["sources"]
    }
    with transaction.atomic():
        bundle = ExportBundle.objects.create(
            request=request,
            created_at=now,
            expires_at=now + datetime.timedelta(days=EXPORT_LINK_DAYS),
            token_hash=_token_hash(token),
            content=base64.b64encode(content).decode(),
            size=len(content),
        )
        _event(
            request,
            kind=EventKind.EXPORT,
            actor=actor,
            details={"sources": counts, "bundle": bundle.pk},
        )
        _log(
            request,
            action=AccessAction.PERSONAL_DATA_EXPORTED,
            actor=actor,
            details={"sources": counts, "bundle": bundle.pk},
        )
        with translation.override(language):
            # /fr/... or /en/...: the download page speaks the requester's language.
            link = public_url(reverse("privacy_export_download", args=[token]))
        body = _send(
            request,
            template="privacy/letters/export",
            context={
                "link": link,
                "expires": date_display(bundle.expires_at, language),
            },
        )
        # The link is the key to the bundle: the kept letter leaves it out.
        _event(
            request,
            kind=EventKind.LETTER,
            actor=actor,
            details={"letter": "export"},
            text=body.replace(link, "[…]"),
        )
    return bundle


def export_bundle_for_token(*, token: str, now=None) -> ExportBundle | None:
    now = now or timezone.now()
    if not token or len(token) > 100:
        return None
    bundle = (
        ExportBundle.objects.select_related("request").filter(token_hash=_token_hash(token)).first()
    )
    if bundle is None or not bundle.content or bundle.downloaded_at or bundle.expires_at <= now:
        return None
    return bundle


def export_bundle_take(*, bundle: ExportBundle) -> bytes | None:
    """The zip, once: the content is erased in the same transaction."""
    with transaction.atomic():
        bundle = (
            ExportBundle.objects.select_for_update().select_related("request").get(pk=bundle.pk)
        )
        if not bundle.content or bundle.downloaded_at:
            return None
        content = base64.b64decode(bundle.content)
        bundle.content = ""
        bundle.downloaded_at = timezone.now()
        bundle.save(update_fields=["content", "downloaded_at"])
        _event(bundle.request, kind=EventKind.EXPORT_DOWNLOADED, details={"bundle": bundle.pk})
        _log(
            bundle.request,
            action=AccessAction.PERSONAL_DATA_EXPORTED,
            actor=None,
            details={"bundle": bundle.pk, "downloaded_by": "requester"},
        )
    return content


def privacy_request_erase(*, request: PrivacyRequest, actor) -> dict[str, dict]:
    """Run each app's eraser; a source the law requires to keep says why instead."""
    results: dict[str, dict] = {}
    for source in personal_data_registry:
        if source.erase_exception:
            if source.find is not None and source.find(email=request.email):
                results[source.key] = {"kept": True}
            continue
        if source.erase is None:
            continue
        results[source.key] = {"erased": source.erase(email=request.email, actor=actor)}
    _event(request, kind=EventKind.ERASURE, actor=actor, details={"results": results})
    _log(
        request,
        action=AccessAction.PERSONAL_DATA_DELETED,
        actor=actor,
        details={"results": results},
    )
    return results


def _correcting_source(source_key: str):
    try:
        source = personal_data_registry.get(source_key)
    except KeyError:
        source = None
    if source is None or source.correct is None or source.correctable is None:
        raise LookupError(source_key)
    return source


def privacy_request_correctable(
    *, request: PrivacyRequest, source_key: str, object_id: str, actor
) -> list[CorrectableValue]:
    """The values of one of the person's records that a correction may change; the
    source refuses (LookupError) a record that is not theirs, and logs the reading."""
    source = _correcting_source(source_key)
    return source.correctable(email=request.email, object_id=object_id, actor=actor)


def privacy_request_correct(
    *, request: PrivacyRequest, source_key: str, object_id: str, changes: dict, note: str, actor
) -> list[str]:
    """PHIPA s.55: correct the record as asked and note what was done and why."""
    if not note.strip():
        raise ValidationError(_("Say what was corrected and why: the note stays with the request."))
    source = _correcting_source(source_key)
    with transaction.atomic():
        changed = source.correct(
            email=request.email, object_id=object_id, changes=changes, actor=actor
        )
        _event(
            request,
            kind=EventKind.CORRECTION,
            actor=actor,
            details={"source": source_key, "object_id": str(object_id), "fields": changed},
            text=note,
        )
    return changed


# --- reminders ---------------------------------------------------------------------------


def privacy_requests_remind(*, now=None) -> int:
    """Tell the Privacy Officer 7 and 2 days before a request's due date (daily job)."""
    now = now or timezone.now()
    sent = 0
    for request in PrivacyRequest.objects.open().order_by("pk"):
        due = request_reminders_due(request=request, now=now)
        if not due:
            continue
        days = due[0]
        language = settings.LANGUAGE_CODE
        with translation.override(language):
            context = {
                "request": request,
                "days": days,
                "due": date_display(request.effective_due_at, language),
                "link": public_url(reverse("privacy_requests:detail", args=[request.pk])),
            }
            subject = render_to_string("privacy/email/reminder_subject.txt", context)
            body = render_to_string("privacy/email/reminder_body.txt", context)
        try:
            EmailMessage(
                subject=" ".join(subject.split()), body=body, to=[settings.PRIVACY_OFFICER_EMAIL]
            ).send()
        except OSError as exc:
            # Not stamped: the next run tries again.
            logger.warning("privacy request reminder not sent: %s", type(exc).__name__)
            continue
        # Stamp every reminder now due, so a missed one is not sent after the nearer one.
        stamps = {f"reminder_{d}_sent_at": now for d in (7, 2) if d >= days}
        stamps = {k: v for k, v in stamps.items() if getattr(request, k) is None}
        PrivacyRequest.objects.filter(pk=request.pk).update(**stamps)
        _event(request, kind=EventKind.REMINDER, details={"days_before": days})
        sent += 1
    return sent
