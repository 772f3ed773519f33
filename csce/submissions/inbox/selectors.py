"""Who reads which inbox item (policy F, need to know).

A submission is readable only by the members of its inbox (a group); Wagtail's "whoever
may edit the form page" rule does not apply. Superusers are the break-glass exception,
and their sessions are logged by the accounts app.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models.pages import InquiryTopic, ProgramPage, form_page_models
from ..models.records import Submission, SubmissionStatus

# Policy F: the reason every refusal of the inboxes (items, files, rosters, results) gives.
INBOX_FORBIDDEN_REASON = _(
    "What visitors send is open only to the members of the inbox it was sent to."
)
# --- reads -----------------------------------------------------------------------------


def user_inbox_ids(*, user) -> set[int]:
    return set(user.groups.values_list("pk", flat=True))


def submissions_visible_to(*, user) -> QuerySet[Submission]:
    """The submissions of the user's inboxes; all of them for a break-glass superuser."""
    if not user.is_active:
        return Submission.objects.none()
    if user.is_superuser:
        return Submission.objects.all()
    return Submission.objects.for_inboxes(user_inbox_ids(user=user))


def user_in_inbox(*, user, inbox_id: int) -> bool:
    """Policy F, need to know: members of the inbox's group, or a break-glass superuser."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or inbox_id in user_inbox_ids(user=user)


def user_may_read_submission(*, user, submission: Submission) -> bool:
    return user_in_inbox(user=user, inbox_id=submission.inbox_id)


def inbox_group_ids() -> set[int]:
    """Every group some form sends to, directly or through a topic."""
    ids: set[int] = set()
    for model in form_page_models():
        ids.update(model.objects.values_list("inbox_id", flat=True))
    ids.update(InquiryTopic.objects.values_list("inbox_id", flat=True))
    ids.update(Submission.objects.order_by().values_list("inbox_id", flat=True).distinct())
    return ids


def user_has_inbox(*, user) -> bool:
    return user.is_active and (
        user.is_superuser or bool(user_inbox_ids(user=user) & inbox_group_ids())
    )


def user_has_program(*, user) -> bool:
    """Whether the user reads some program's registrations (a member of its inbox)."""
    if not user.is_active:
        return False
    programs = ProgramPage.objects.all()
    if not user.is_superuser:
        programs = programs.filter(inbox_id__in=list(user_inbox_ids(user=user)))
    return programs.exists()


def form_inbox_ids(*, page) -> set[int]:
    """The inboxes one form sends to: its own and those of its topics."""
    ids = {page.inbox_id}
    ids.update(topic.inbox_id for topic in page.get_topics())
    return ids


def user_may_export_form(*, user, page) -> bool:
    if not user.is_active:
        return False
    return user.is_superuser or bool(form_inbox_ids(page=page) & user_inbox_ids(user=user))


def submission_status_counts(*, queryset: QuerySet[Submission]) -> list[dict[str, Any]]:
    counts = Counter(queryset.order_by().values_list("status", flat=True))
    return [
        {"status": value, "label": label, "count": counts.get(value, 0)}
        for value, label in SubmissionStatus.choices
    ]


def overdue_filter(*, now=None) -> Q:
    """The same rule as ``Submission.is_overdue``, as a query."""
    return Q(
        due_at__lt=now or timezone.now(),
        answered_at__isnull=True,
        status__in=[SubmissionStatus.NEW, SubmissionStatus.IN_PROGRESS],
    )
