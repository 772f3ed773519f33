"""What the privacy app declares in the personal-data registry (csce/common/registry.py).

A privacy request is itself a legal record: it is found and exported like the rest, but
an erasure request does not delete it (PIPEDA and PHIPA require keeping a record of the
request and its answer); it goes 24 months after closing. Unconfirmed requests go after
7 days, export bundles at their download or expiry.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from csce.common import policy
from csce.common.crypto import blind_index
from csce.common.registry import (
    AffectedContact,
    PersonalDataSource,
    PersonalRecord,
    ScopeResolution,
    ScopeTarget,
    scope_language,
    scope_period,
)

from .models.records import (
    RECORD_RETENTION_DAYS,
    ExportBundle,
    PrivacyRequest,
    PrivacyRequestVerification,
    RequestStatus,
)

SOURCE_KEY = "privacy_requests"
REQUEST_TYPE = "privacy.privacyrequest"


def _requests(email: str):
    index = blind_index(email)
    if not index:
        return PrivacyRequest.objects.none()
    return PrivacyRequest.objects.filter(email_index=index).order_by("pk")


def privacy_requests_find(*, email: str) -> list[PersonalRecord]:
    return [
        PersonalRecord(
            source=SOURCE_KEY,
            object_type=REQUEST_TYPE,
            object_id=str(r.pk),
            created_at=r.verified_at,
            summary=f"{r.reference} — {r.get_kind_display()}",
        )
        for r in _requests(email)
    ]


def privacy_requests_export(*, email: str, actor=None, language: str = "fr") -> list[dict]:
    return [
        {
            "reference": r.reference,
            "request": r.get_kind_display(),
            "received": r.received_at.isoformat(),
            "confirmed": r.verified_at.isoformat(),
            "due": r.effective_due_at.isoformat(),
            "status": r.get_status_display(),
            "name": r.name,
            "email": r.email,
            "details": r.details,
        }
        for r in _requests(email)
    ]


def privacy_requests_purge(*, now: datetime.datetime, batch_size: int) -> int:
    """Closed requests 24 months after closing; unconfirmed forms after their 7 days;
    export content at its expiry. Each batch in its own short transaction."""
    deleted = 0
    limit = now - datetime.timedelta(days=RECORD_RETENTION_DAYS)
    batches = (
        PrivacyRequest.objects.filter(status=RequestStatus.CLOSED, closed_at__lt=limit),
        PrivacyRequestVerification.objects.filter(expires_at__lt=now),
    )
    for queryset in batches:
        while ids := list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size]):
            with transaction.atomic():
                deleted += queryset.model.objects.filter(pk__in=ids).delete()[0]
    # content is encrypted and cannot be compared in SQL; an emptied bundle has size 0.
    expired = ExportBundle.objects.filter(expires_at__lt=now).exclude(size=0)
    while ids := list(expired.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            deleted += ExportBundle.objects.filter(pk__in=ids).update(content="", size=0)
    return deleted


def privacy_requests_oldest():
    oldest = [
        PrivacyRequest.objects.aggregate(first=Min("received_at"))["first"],
        PrivacyRequestVerification.objects.aggregate(first=Min("created_at"))["first"],
    ]
    found = [value for value in oldest if value is not None]
    return min(found) if found else None


# --- a breach's scope (policy P8; PHIPA s.12(2)) -----------------------------------------

SCOPE_TARGET = "requests"
SCOPE_CHUNK = 500


def privacy_requests_scope_targets() -> list[ScopeTarget]:
    return [ScopeTarget(key=SCOPE_TARGET, label=_("Privacy requests received"))]


def privacy_requests_scope_resolve(
    *, targets: list[str], starts_on: datetime.date, ends_on: datetime.date
) -> ScopeResolution:
    """The requests received in the range (the centre's days, inclusive), with the
    requester's address, name and language; a request logged without an address (by
    telephone, mail or in person) is counted apart. Requests closed for their 24 months
    are deleted whole: none can be counted, which the note says when the range is older."""
    if SCOPE_TARGET not in targets:
        return ScopeResolution()
    start, after = scope_period(starts_on=starts_on, ends_on=ends_on)
    received = (
        PrivacyRequest.objects.filter(received_at__gte=start, received_at__lt=after)
        .only("pk", "email", "name", "language", "received_at")
        .order_by("pk")
    )
    contacts: list[AffectedContact] = []
    without_address = 0
    for request in received.iterator(chunk_size=SCOPE_CHUNK):
        if not request.email:
            without_address += 1
            continue
        contacts.append(
            AffectedContact(
                email=request.email,
                name=request.name,
                language=scope_language(request.language),
                object_type=REQUEST_TYPE,
                object_id=str(request.pk),
                created_at=request.received_at,
            )
        )
    note = ""
    if start < timezone.now() - datetime.timedelta(days=RECORD_RETENTION_DAYS):
        note = policy.interpolate_lazy(
            ngettext_lazy(
                "The period starts more than %(months)s month ago: requests closed that long "
                "ago are deleted and cannot be counted.",
                "The period starts more than %(months)s months ago: requests closed that long "
                "ago are deleted and cannot be counted.",
                "months",
            ),
            {"months": policy.PRIVACY_RECORD_RETENTION_MONTHS},
        )
    return ScopeResolution(
        contacts=contacts, without_address=without_address, purged=0, purged_note=note
    )


PRIVACY_REQUESTS_SOURCE = PersonalDataSource(
    key=SOURCE_KEY,
    label=_("Privacy requests"),
    purpose=_(
        "Answering requests to see, correct or delete personal information, withdrawals of "
        "consent and complaints, within the legal deadlines."
    ),
    retention=policy.interpolate_lazy(
        ngettext_lazy(
            "Unconfirmed requests: %(days)s days. Requests: %(months)s month after they are "
            "closed (legal record).",
            "Unconfirmed requests: %(days)s days. Requests: %(months)s months after they are "
            "closed (legal record).",
            "months",
        ),
        {
            "days": policy.PRIVACY_VERIFICATION_LINK_DAYS,
            "months": policy.PRIVACY_RECORD_RETENTION_MONTHS,
        },
    ),
    find=privacy_requests_find,
    export=privacy_requests_export,
    purge_expired=privacy_requests_purge,
    oldest=privacy_requests_oldest,
    scope_targets=privacy_requests_scope_targets,
    scope_resolve=privacy_requests_scope_resolve,
    erase_exception=policy.interpolate_lazy(
        ngettext_lazy(
            "Kept as a legal record of the request and its answer, then deleted %(months)s month "
            "after the request is closed.",
            "Kept as a legal record of the request and its answer, then deleted %(months)s months "
            "after the request is closed.",
            "months",
        ),
        {"months": policy.PRIVACY_RECORD_RETENTION_MONTHS},
    ),
    models=(
        "privacy.PrivacyRequestVerification",
        "privacy.PrivacyRequest",
        "privacy.PrivacyRequestEvent",
        "privacy.ExportBundle",
    ),
    retention_days=RECORD_RETENTION_DAYS,
    # PIPEDA s.10.3: the record of a request and its answer is kept 24 months.
    legal_hold="PIPEDA s.10.3 and the Breach of Security Safeguards Regulations s.6",
)
