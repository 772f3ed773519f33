"""The comments' and reports' response times (policy R), for the engagement view
(csce/common/engagement.py). Moments only, never what was written.

- A comment is answered when a moderator first acts on it: ``closed_at``, set by the
  first decision (``moderated_at`` moves with every later one, an edit for instance); a
  comment a moderator deleted leaves no row, so it is not counted.
- A report is answered by the first moderator's action on it (``ModerationAction``), or
  its closing when that came first.

Overdue: an item still waiting past its due moment (``due_at``, one business day), an
open report included however old it is (csce/moderation/registry.py keeps it until
someone answers it).
"""

from __future__ import annotations

import datetime

from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from csce.common.engagement import ResponseSample, ResponseTimeSource

from .models import Comment, CommentState, ConcernReport, ReportState


def comment_samples(*, since: datetime.datetime, until: datetime.datetime) -> list[ResponseSample]:
    rows = (
        Comment.objects.filter(created_at__gte=since, created_at__lt=until)
        .order_by()
        .values_list("created_at", "closed_at", "moderated_at")
    )
    return [
        ResponseSample(
            received_at=created,
            answered_at=min((m for m in (closed, moderated) if m is not None), default=None),
        )
        for created, closed, moderated in rows
    ]


def comment_overdue(*, now: datetime.datetime) -> int:
    return Comment.objects.filter(state=CommentState.PENDING, due_at__lt=now).count()


def report_samples(*, since: datetime.datetime, until: datetime.datetime) -> list[ResponseSample]:
    rows = (
        ConcernReport.objects.filter(created_at__gte=since, created_at__lt=until)
        .order_by()
        .annotate(first_action=Min("actions__created_at"))
        .values_list("created_at", "first_action", "closed_at")
    )
    return [
        ResponseSample(
            received_at=created,
            answered_at=min((m for m in (action, closed) if m is not None), default=None),
        )
        for created, action, closed in rows
    ]


def report_overdue(*, now: datetime.datetime) -> int:
    """Open reports past their due moment (``CaseModel.case_is_overdue``, as a count)."""
    return ConcernReport.objects.filter(
        state=ReportState.OPEN, closed_at__isnull=True, due_at__lt=now
    ).count()


COMMENT_RESPONSE_SOURCE = ResponseTimeSource(
    key="comments",
    label=_("Comments"),
    samples=comment_samples,
    overdue=comment_overdue,
    order=20,
)
REPORT_RESPONSE_SOURCE = ResponseTimeSource(
    key="reports",
    label=_("Reports of a concern"),
    samples=report_samples,
    overdue=report_overdue,
    order=30,
)
