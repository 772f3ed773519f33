"""Requests as the portal leaves them once the address is confirmed."""

from __future__ import annotations

import datetime

from django.utils import timezone

from csce.common.crypto import blind_index
from csce.privacy.deadlines import request_due_at
from csce.privacy.models import PrivacyRequest, RequestKind

_sequence = iter(range(1, 10_000))


def privacy_request_make(
    *,
    email: str = "marie.tremblay@example.org",
    kind: str = RequestKind.ACCESS,
    language: str = "fr",
    verified_at: datetime.datetime | None = None,
    name: str = "Marie Tremblay",
    details: str = "",
) -> PrivacyRequest:
    verified_at = verified_at or timezone.now()
    return PrivacyRequest.objects.create(
        reference=f"TEST-{next(_sequence):04d}",
        kind=kind,
        language=language,
        email=email,
        email_index=blind_index(email),
        name=name,
        details=details,
        received_at=verified_at,
        verified_at=verified_at,
        due_at=request_due_at(verified_at=verified_at),
    )
