"""Requests that do not come through the portal (policy P9: any channel, answered on time).

The Privacy Officer logs a request received by telephone, mail or in person, or converts
an inquiry sent through the contact form's privacy topic. Either way the PHIPA clock
(policy P10) starts from the identity check the officer records, and the person's data
is kept encrypted with the request. A converted inquiry is closed in the same
transaction: its content moves to the request and leaves the inbox, both in the access log.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from csce.common.crypto import blind_index
from csce.common.registry import notice_version_in_force
from csce.common.roles import PRIVACY_OFFICER
from csce.submissions.models import FormKind, Submission, SubmissionStatus
from csce.submissions.models.records import submission_email, submission_person_name
from csce.submissions.services import submission_close

from .deadlines import request_due_at
from .models.records import (
    LOGGED_CHANNELS,
    EventKind,
    PrivacyRequest,
    PrivacyRequestEvent,
    RequestChannel,
    RequestKind,
)
from .services import _acknowledgement_send, _consents_withdraw, _request_create

# The contact form's answers that are not the person's words: the routing topic, the
# anti-robot fields (never stored) and the consent box.
TOPIC_ANSWER = "form_topic"
PHONE_WORDS = ("phone", "telephone")
# The dashboard and the list show at most this many inquiries (bounded queries).
INQUIRIES_SHOWN = 20


def identity_checked_at(
    *, day: datetime.date, now: datetime.datetime | None = None
) -> datetime.datetime:
    """The clock's start as a moment: now when the check was today, else noon that day
    (the due date counts whole days in Ontario, so the hour never moves it)."""
    now = now or timezone.now()
    if day >= timezone.localtime(now).date():
        return now
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def _dates_check(*, received_on: datetime.date, identity_checked_on: datetime.date, now) -> None:
    today = timezone.localtime(now).date()
    if received_on > today or identity_checked_on > today:
        raise ValidationError(_("A date cannot be in the future."))
    if identity_checked_on < received_on:
        raise ValidationError(_("The identity cannot be checked before the request was received."))


def _after_commit_acknowledge(request: PrivacyRequest) -> None:
    if request.email and _acknowledgement_send(request=request, withdrawn=None):
        PrivacyRequestEvent.objects.create(request=request, kind=EventKind.ACKNOWLEDGED)


def _withdraw_if_asked(*, request: PrivacyRequest, now) -> None:
    # Policy P9: a withdrawal ends every optional purpose, as through the portal.
    if request.kind == RequestKind.WITHDRAWAL and request.email:
        PrivacyRequestEvent.objects.create(
            request=request,
            created_at=now,
            kind=EventKind.CONSENT_WITHDRAWN,
            details={"sources": _consents_withdraw(email=request.email)},
        )


def privacy_request_log(
    *,
    actor,
    kind: str,
    channel: str,
    received_on: datetime.date,
    identity_checked_on: datetime.date,
    name: str = "",
    email: str = "",
    contact_details: str = "",
    details: str = "",
    language: str = "",
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """A request received by telephone, mail or in person, its clock from the identity check."""
    now = now or timezone.now()
    if channel not in LOGGED_CHANNELS:
        raise ValidationError(_("Choose how the request was received."))
    _dates_check(received_on=received_on, identity_checked_on=identity_checked_on, now=now)
    if not (email or contact_details):
        raise ValidationError(_("Give an e-mail address or a telephone number or postal address."))
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    verified_at = identity_checked_at(day=identity_checked_on, now=now)
    with transaction.atomic():
        request = _request_create(
            kind=RequestKind(kind).value,
            channel=channel,
            language=language,
            email=email,
            email_index=blind_index(email) if email else "",
            name=name,
            contact_details=contact_details,
            details=details,
            received_at=min(identity_checked_at(day=received_on, now=now), verified_at),
            verified_at=verified_at,
            due_at=request_due_at(verified_at=verified_at),
            notice_version=notice_version_in_force(language=language),
        )
        PrivacyRequestEvent.objects.create(
            request=request,
            created_at=now,
            actor=actor,
            kind=EventKind.LOGGED,
            details={"channel": channel, "identity_checked_on": identity_checked_on.isoformat()},
        )
        _withdraw_if_asked(request=request, now=now)
        transaction.on_commit(lambda: _after_commit_acknowledge(request))
    return request


# --- the contact form's privacy topic ----------------------------------------------------


def privacy_inquiries():
    """Inquiries routed to the Privacy Officer's inbox (the contact form's privacy topic)
    that still hold their content: those not yet converted, nor closed."""
    return (
        Submission.objects.filter(
            kind=FormKind.INQUIRY, inbox__name=PRIVACY_OFFICER, purged_at__isnull=True
        )
        .exclude(status=SubmissionStatus.CLOSED)
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class CarriedOver:
    """What a converted inquiry brings to the request (shown before, kept encrypted after)."""

    name: str
    email: str
    contact_details: str
    details: str
    language: str


def inquiry_carried_over(*, submission: Submission) -> CarriedOver:
    """The person's name, address, telephone and words, from the inquiry's answers."""
    answers = list(submission.answers or [])
    name = submission_person_name(answers=answers)
    email = submission_email(answers=answers)
    language = (
        submission.language
        if submission.language in dict(settings.LANGUAGES)
        else settings.LANGUAGE_CODE
    )
    # French typography (policy P2): a no-break space before the colon.
    colon = "\u00a0:" if language == "fr" else ":"
    phones, lines = [], []
    for answer in answers:
        value = answer.get("value")
        if answer.get("name") == TOPIC_ANSWER or value in (None, "", [], False):
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        value = str(value)
        if value in (name, email):
            continue
        if answer.get("field_type") == "singleline" and any(
            word in answer.get("name", "").lower() for word in PHONE_WORDS
        ):
            phones.append(value)
            continue
        label = answer.get("label")
        lines.append(f"{label}{colon} {value}" if label else value)
    return CarriedOver(
        name=name,
        email=email,
        contact_details="\n".join(phones),
        details="\n\n".join(lines),
        language=language,
    )


def privacy_request_convert(
    *,
    submission: Submission,
    actor,
    kind: str,
    identity_checked_on: datetime.date,
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """One action: the request with its clock, the person's data moved to it (encrypted),
    the inquiry closed (its content deleted) and linked, each step in the access log."""
    now = now or timezone.now()
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if not privacy_inquiries().filter(pk=submission.pk).exists():
            raise ValidationError(_("This inquiry was already converted or closed."))
        received_on = timezone.localtime(submission.created_at).date()
        _dates_check(received_on=received_on, identity_checked_on=identity_checked_on, now=now)
        carried = inquiry_carried_over(submission=submission)
        verified_at = identity_checked_at(day=identity_checked_on, now=now)
        request = _request_create(
            kind=RequestKind(kind).value,
            channel=RequestChannel.CONTACT_FORM,
            language=carried.language,
            email=carried.email,
            email_index=blind_index(carried.email) if carried.email else "",
            name=carried.name,
            contact_details=carried.contact_details,
            details=carried.details,
            received_at=submission.created_at,
            verified_at=verified_at,
            due_at=request_due_at(verified_at=verified_at),
            notice_version=notice_version_in_force(language=carried.language),
            source_submission=submission,
        )
        PrivacyRequestEvent.objects.create(
            request=request,
            created_at=now,
            actor=actor,
            kind=EventKind.CONVERTED,
            details={
                "submission": submission.pk,
                "identity_checked_on": identity_checked_on.isoformat(),
            },
        )
        # The inbox keeps a tombstone; the access log says where its content went.
        submission_close(
            submission=submission,
            actor=actor,
            reason="converted_to_privacy_request",
            details={"privacy_request": request.pk},
        )
        _withdraw_if_asked(request=request, now=now)
        transaction.on_commit(lambda: _after_commit_acknowledge(request))
    return request
