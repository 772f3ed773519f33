"""The privacy-rights portal's writes: an unconfirmed form, then a verified request
(policy P9, P10).

A form sent through the portal is not a request yet: it waits, encrypted, for its
address to be confirmed through a single-use link valid 7 days. Only the SHA-256 of the
link's random token is stored, and the token carries no personal data. Confirming
creates the request with its PHIPA due date, withdraws consents everywhere the registry
knows of when that is what was asked, then acknowledges it in the requester's language.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from csce.common.crypto import blind_index
from csce.common.links import public_url
from csce.common.references import yearly_numbered_create, yearly_reference_next
from csce.common.registry import notice_version_in_force, personal_data_registry
from csce.common.typography import date_display, datetime_display
from csce.outbox.selectors import outbox_failed_references
from csce.outbox.services import message_enqueue, outbox_recent_count

from .deadlines import request_due_at
from .models.records import (
    VERIFICATION_DAYS,
    EventKind,
    PrivacyRequest,
    PrivacyRequestEvent,
    PrivacyRequestVerification,
    RequestKind,
)

logger = logging.getLogger(__name__)

CONFIRM_PARAMETER = "confirm"
TOKEN_BYTES = 32
# A real token is 43 characters; anything much longer is not ours and is not hashed.
TOKEN_MAX_LENGTH = 100
REFERENCE_PREFIX = "DPR"
# The outbox's name for the confirmation link, and how often one address may receive one
# (policy U, M: the portal must not become a way to flood someone's mailbox).
VERIFICATION_MAIL_KIND = "privacy.verification"
VERIFICATION_MAIL_INTERVAL = datetime.timedelta(hours=1)


class VerificationInvalid(Exception):
    """The link is not ours, or was used already (its row is gone)."""


class VerificationRecentlySent(Exception):
    """A confirmation link went to this address less than VERIFICATION_MAIL_INTERVAL ago."""


class VerificationExpired(VerificationInvalid):
    """The link is genuine but its 7 days are over (the retention job deletes the row)."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def confirm_url(*, page_url: str, token: str) -> str:
    """The portal page's full URL with the token, for the e-mail: always on the public
    address, even when Wagtail built ``page_url`` from another site record's host."""
    base = public_url(urlsplit(page_url).path)
    return f"{base}?{urlencode({CONFIRM_PARAMETER: token})}"


def privacy_request_verification_create(
    *,
    kind: str,
    email: str,
    name: str,
    details: str,
    language: str,
    page_url: str,
    now: datetime.datetime | None = None,
) -> tuple[PrivacyRequestVerification, str]:
    """Keep the form, encrypted, until its address is confirmed; e-mail the link.

    Returns the row and the token (the token is not stored: only its hash).
    """
    now = now or timezone.now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    payload = {
        "kind": RequestKind(kind).value,
        "email": email,
        "name": name,
        "details": details,
        "language": language,
        "received_at": now.isoformat(),
    }
    link = confirm_url(page_url=page_url, token=token)
    # Counted from the outbox's own rows by the address's blind index: durable, shared by
    # every node, and a message that finally failed does not count.
    since = now - VERIFICATION_MAIL_INTERVAL
    if outbox_recent_count(
        kind=VERIFICATION_MAIL_KIND, email=email, since=since, exclude_failed=True
    ):
        raise VerificationRecentlySent
    with transaction.atomic():
        verification = PrivacyRequestVerification.objects.create(
            token_hash=token_hash(token),
            payload=payload,
            created_at=now,
            expires_at=now + datetime.timedelta(days=VERIFICATION_DAYS),
        )
        # In the same transaction: the link is queued exactly when the form is kept.
        _verification_email_send(
            email=email,
            kind=kind,
            language=language,
            link=link,
            expires_at=verification.expires_at,
            verification_id=verification.pk,
            now=now,
        )
    return verification, token


def _verification_email_send(
    *,
    email: str,
    kind: str,
    language: str,
    link: str,
    expires_at: datetime.datetime,
    verification_id: int,
    now: datetime.datetime | None = None,
) -> int:
    with translation.override(language):
        context = {
            "kind": RequestKind(kind).label,
            "link": link,
            "days": VERIFICATION_DAYS,
            "expires": datetime_display(expires_at, language),
        }
        subject = render_to_string("privacy/email/verify_subject.txt", context)
        body = render_to_string("privacy/email/verify_body.txt", context)
    message_enqueue(
        message=EmailMessage(subject=" ".join(subject.split()), body=body, to=[email]),
        kind=VERIFICATION_MAIL_KIND,
        reference=str(verification_id),
        language=language,
        created_at=now,
    )
    return 1


def unverified_requests_undelivered() -> list[PrivacyRequestVerification]:
    """Forms whose confirmation link could not be delivered: the Privacy Officer sees
    them instead of their expiring unseen (policy P9, P10)."""
    ids = [int(r) for r in outbox_failed_references(kind=VERIFICATION_MAIL_KIND) if r.isdigit()]
    return list(PrivacyRequestVerification.objects.filter(pk__in=ids).order_by("created_at"))


def privacy_request_verification_for_token(
    *, token: str, now: datetime.datetime | None = None
) -> PrivacyRequestVerification:
    """The unconfirmed form a link names; raises VerificationInvalid or ...Expired."""
    now = now or timezone.now()
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise VerificationInvalid
    verification = PrivacyRequestVerification.objects.filter(token_hash=token_hash(token)).first()
    if verification is None:
        raise VerificationInvalid
    if verification.expires_at <= now:
        raise VerificationExpired
    return verification


def _reference_next(*, year: int) -> str:
    return yearly_reference_next(model=PrivacyRequest, prefix=REFERENCE_PREFIX, year=year)


def request_create_numbered(**fields) -> PrivacyRequest:
    """Create the request under the next reference of its year (retried when two
    confirmations at the same moment computed the same one)."""
    return yearly_numbered_create(
        model=PrivacyRequest,
        year=timezone.localtime(fields["verified_at"]).year,
        fields=fields,
        next_reference=lambda year: _reference_next(year=year),
    )


def consents_withdraw_everywhere(*, email: str) -> dict[str, int]:
    """Policy P9: a withdrawal ends every optional purpose the person agreed to, in every app."""
    counts: dict[str, int] = {}
    for source in personal_data_registry:
        if source.withdraw_consent is not None:
            counts[source.key] = int(source.withdraw_consent(email=email, actor=None))
    return counts


def privacy_request_verify(*, token: str, now: datetime.datetime | None = None) -> PrivacyRequest:
    """The address is confirmed: the request exists from now, with its PHIPA due date."""
    now = now or timezone.now()
    with transaction.atomic():
        found = privacy_request_verification_for_token(token=token, now=now)
        # One confirmation only, even when the button is pressed twice at once.
        verification = (
            PrivacyRequestVerification.objects.select_for_update().filter(pk=found.pk).first()
        )
        if verification is None:
            raise VerificationInvalid
        payload = verification.payload or {}
        email = str(payload.get("email", ""))
        language = str(payload.get("language") or settings.LANGUAGE_CODE)
        received_at = datetime.datetime.fromisoformat(payload["received_at"])
        request = request_create_numbered(
            kind=RequestKind(payload["kind"]).value,
            language=language,
            email=email,
            email_index=blind_index(email),
            name=str(payload.get("name", "")),
            details=str(payload.get("details", "")),
            received_at=received_at,
            verified_at=now,
            due_at=request_due_at(verified_at=now),
            notice_version=notice_version_in_force(language=language),
        )
        if PrivacyRequestVerification.objects.filter(pk=verification.pk).delete()[0] != 1:
            raise VerificationInvalid
        PrivacyRequestEvent.objects.create(request=request, created_at=now, kind=EventKind.VERIFIED)
        withdrawn: dict[str, int] | None = None
        if request.kind == RequestKind.WITHDRAWAL:
            withdrawn = consents_withdraw_everywhere(email=email)
            PrivacyRequestEvent.objects.create(
                request=request,
                created_at=now,
                kind=EventKind.CONSENT_WITHDRAWN,
                details={"sources": withdrawn},
            )
        transaction.on_commit(
            lambda: privacy_request_acknowledge(request=request, withdrawn=withdrawn)
        )
    return request


def _due_in_words(request: PrivacyRequest) -> str:
    return date_display(request.effective_due_at)


def privacy_request_acknowledge(
    *, request: PrivacyRequest, withdrawn: dict[str, int] | None = None
) -> int:
    """After commit: the requester's acknowledgement, then the Privacy Officer's notice."""
    sent = request_acknowledgement_send(request=request, withdrawn=withdrawn)
    if sent:
        PrivacyRequestEvent.objects.create(request=request, kind=EventKind.ACKNOWLEDGED)
    _officer_notify(request=request)
    return sent


def request_acknowledgement_send(
    *, request: PrivacyRequest, withdrawn: dict[str, int] | None
) -> int:
    with translation.override(request.language):
        context = {
            "reference": request.reference,
            "kind": request.get_kind_display(),
            "due": _due_in_words(request),
            "officer_email": settings.PRIVACY_OFFICER_EMAIL,
            "withdrawal": request.kind == RequestKind.WITHDRAWAL,
            "withdrawn": sum((withdrawn or {}).values()),
        }
        subject = render_to_string("privacy/email/ack_subject.txt", context)
        body = render_to_string("privacy/email/ack_body.txt", context)
    try:
        return EmailMessage(subject=" ".join(subject.split()), body=body, to=[request.email]).send()
    except OSError as exc:
        logger.warning("privacy request acknowledgement not sent: %s", type(exc).__name__)
        return 0


def _officer_notify(*, request: PrivacyRequest) -> int:
    """Policy F: the kind, the reference, the due date and a link; nothing personal."""
    path = reverse("privacy_requests:detail", args=[request.pk])
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "reference": request.reference,
            "kind": request.get_kind_display(),
            "due": _due_in_words(request),
            "link": public_url(path),
        }
        subject = render_to_string("privacy/email/officer_new_request_subject.txt", context)
        body = render_to_string("privacy/email/officer_new_request_body.txt", context)
    try:
        return EmailMessage(
            subject=" ".join(subject.split()), body=body, to=[settings.PRIVACY_OFFICER_EMAIL]
        ).send()
    except OSError as exc:
        logger.warning("privacy request notice to the officer not sent: %s", type(exc).__name__)
        return 0
