"""Requests that do not come through the portal (policy P9: any channel, answered on time).

The Privacy Officer logs a request received by telephone, mail or in person, or converts
an inquiry sent through the contact form's privacy topic. Either way the PHIPA clock
(policy P10) starts from the identity check the officer records, and the person's data
is kept encrypted with the request. A converted inquiry is closed in the same
transaction: its content moves to the request and leaves the inbox, both in the access log.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from csce.audit.reads import personal_data_read
from csce.common.crypto import blind_index
from csce.common.inquiries import (
    InquiryContent,
    InquiryNotOpen,
    InquirySummary,
    privacy_inquiry_source,
)
from csce.common.registry import notice_version_in_force

from .deadlines import request_due_at
from .models.records import (
    LOGGED_CHANNELS,
    EventKind,
    PrivacyRequest,
    PrivacyRequestEvent,
    RequestChannel,
    RequestKind,
)
from .services import (
    consents_withdraw_everywhere,
    request_acknowledgement_send,
    request_create_numbered,
)

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
    if request.email and request_acknowledgement_send(request=request, withdrawn=None):
        PrivacyRequestEvent.objects.create(request=request, kind=EventKind.ACKNOWLEDGED)


def _withdraw_if_asked(*, request: PrivacyRequest, now) -> None:
    # Policy P9: a withdrawal ends every optional purpose, as through the portal.
    if request.kind == RequestKind.WITHDRAWAL and request.email:
        PrivacyRequestEvent.objects.create(
            request=request,
            created_at=now,
            kind=EventKind.CONSENT_WITHDRAWN,
            details={"sources": consents_withdraw_everywhere(email=request.email)},
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
        request = request_create_numbered(
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


def privacy_inquiries_count() -> int:
    """The privacy topic's inquiries not yet converted (nor closed)."""
    source = privacy_inquiry_source()
    return source.count() if source else 0


def privacy_inquiries_listed() -> list[InquirySummary]:
    source = privacy_inquiry_source()
    return source.summaries(limit=INQUIRIES_SHOWN) if source else []


def privacy_inquiry_read(*, inquiry_id: int, actor, request=None) -> InquiryContent:
    """What the person wrote, to decide and to carry over: a logged read (policy F)."""
    source = privacy_inquiry_source()
    if source is None:
        raise InquiryNotOpen(inquiry_id)
    content = source.content(inquiry_id=inquiry_id)
    return personal_data_read(
        actor=actor,
        record=content,
        object_type=source.object_type,
        object_id=inquiry_id,
        details={"reason": "privacy_request_conversion"},
        request=request,
    )


def privacy_request_convert(
    *,
    inquiry_id: int,
    actor,
    kind: str,
    identity_checked_on: datetime.date,
    now: datetime.datetime | None = None,
) -> PrivacyRequest:
    """One action: the request with its clock, the person's data moved to it (encrypted),
    the inquiry closed (its content deleted) and linked, each step in the access log.
    Raises InquiryNotOpen when the inquiry was converted or closed meanwhile."""
    now = now or timezone.now()
    source = privacy_inquiry_source()
    if source is None:
        raise InquiryNotOpen(inquiry_id)
    with transaction.atomic():
        carried = source.content(inquiry_id=inquiry_id)
        received_on = timezone.localtime(carried.created_at).date()
        _dates_check(received_on=received_on, identity_checked_on=identity_checked_on, now=now)
        verified_at = identity_checked_at(day=identity_checked_on, now=now)
        request = request_create_numbered(
            kind=RequestKind(kind).value,
            channel=RequestChannel.CONTACT_FORM,
            language=carried.language,
            email=carried.email,
            email_index=blind_index(carried.email) if carried.email else "",
            name=carried.name,
            contact_details=carried.contact_details,
            details=carried.details,
            received_at=carried.created_at,
            verified_at=verified_at,
            due_at=request_due_at(verified_at=verified_at),
            notice_version=notice_version_in_force(language=carried.language),
            source_submission_id=inquiry_id,
        )
        PrivacyRequestEvent.objects.create(
            request=request,
            created_at=now,
            actor=actor,
            kind=EventKind.CONVERTED,
            details={"inquiry": inquiry_id, "identity_checked_on": identity_checked_on.isoformat()},
        )
        # Locks the inquiry: of two conversions at once, the second finds it closed and
        # its request is rolled back. The access log says where the content went.
        source.close(
            inquiry_id=inquiry_id,
            actor=actor,
            reason="converted_to_privacy_request",
            details={"privacy_request": request.pk},
        )
        _withdraw_if_asked(request=request, now=now)
        transaction.on_commit(lambda: _after_commit_acknowledge(request))
    return request
