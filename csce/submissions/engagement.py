"""The inquiries' response times (policy R), for the engagement view
(csce/common/engagement.py): when each inquiry arrived and when it was first answered.

The first answer is ``Submission.answered_at``, set by the first reply sent from the inbox
or the status "answered" (csce/submissions/inbox/services.py); an inquiry closed without
one counts as answered when it was closed, as the case's clock stops then. A tombstone
(content deleted) keeps both moments, so past months stay measured. Moments only.
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from csce.common.engagement import ResponseSample, ResponseTimeSource

from .inbox.selectors import overdue_filter
from .models import FormKind, Submission


def inquiry_samples(*, since: datetime.datetime, until: datetime.datetime) -> list[ResponseSample]:
    rows = (
        Submission.objects.filter(
            kind=FormKind.INQUIRY, created_at__gte=since, created_at__lt=until
        )
        .order_by()
        .values_list("created_at", "answered_at", "closed_at")
    )
    return [
        ResponseSample(
            received_at=created,
            answered_at=min((m for m in (answered, closed) if m is not None), default=None),
        )
        for created, answered, closed in rows
    ]


def inquiry_overdue(*, now: datetime.datetime) -> int:
    return Submission.objects.filter(overdue_filter(now=now), kind=FormKind.INQUIRY).count()


INQUIRY_RESPONSE_SOURCE = ResponseTimeSource(
    key="inquiries",
    label=_("Inquiries"),
    samples=inquiry_samples,
    overdue=inquiry_overdue,
    order=10,
)
