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

from csce.outbox.models import OutboxState
from csce.outbox.selectors import outbox_states

from ..forms import TOPIC_FIELD
from ..models.pages import InquiryTopic, ProgramPage, form_page_models
from ..models.records import (
    DataClass,
    Registration,
    RegistrationStatus,
    Submission,
    SubmissionReply,
    SubmissionStatus,
    submission_person_name,
)

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


# --- what a row of the list shows ------------------------------------------------------

# The list's excerpt: enough to tell items apart, not to read them there.
EXCERPT_LENGTH = 100
# Answers named like a subject line are the item's topic when its form has no topics.
_SUBJECT_NAMES = ("sujet", "objet", "subject")


def _text_answers(answers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        a
        for a in answers
        if isinstance(a.get("value"), str)
        and a["value"].strip()
        and a.get("field_type") in ("singleline", "multiline")
    ]


def submission_sender(*, submission: Submission) -> str:
    """The name the visitor gave, else their address; "" for a closed item or none."""
    answers = submission.answers or []
    name = submission_person_name(answers=answers)
    if name:
        return name
    return next(
        (str(a["value"]) for a in answers if a.get("field_type") == "email" and a.get("value")),
        "",
    )


def submission_topic(*, submission: Submission) -> str:
    """The topic the visitor chose, else a subject line they typed, else the form's title."""
    answers = submission.answers or []
    for answer in answers:
        if answer.get("name") == TOPIC_FIELD and answer.get("value"):
            return str(answer["value"])
    for answer in _text_answers(answers):
        if answer.get("field_type") == "singleline" and any(
            word in answer["name"] for word in _SUBJECT_NAMES
        ):
            return answer["value"]
    return submission.form_title


def submission_excerpt(*, submission: Submission, length: int = EXCERPT_LENGTH) -> str:
    """The first ``length`` characters of the message: the first text box, else the first
    one-line answer that is not the name or the topic. Never a health answer (policy P6:
    sensitive answers show only on the item, where the read is logged with its kind)."""
    answers = [
        a
        for a in _text_answers(submission.answers or [])
        if a.get("data_class") != DataClass.SENSITIVE and a.get("name") != TOPIC_FIELD
    ]
    name = submission_person_name(answers=submission.answers or [])
    message = next((a for a in answers if a["field_type"] == "multiline"), None) or next(
        (a for a in answers if a["value"] != name), None
    )
    if message is None:
        return ""
    text = " ".join(message["value"].split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def submission_registration(*, submission: Submission) -> Registration | None:
    """The place a registration holds (or held), if the item is one."""
    try:
        return submission.registration
    except Registration.DoesNotExist:
        return None


# What the inbox calls a registration's state: the visitor's words, not the code's.
REGISTRATION_STATE_LABELS = {
    RegistrationStatus.REGISTERED: _("Place confirmed"),
    RegistrationStatus.WAITLISTED: _("On the waitlist"),
    RegistrationStatus.CANCELLED: _("Cancelled"),
}


def registration_state_label(*, registration: Registration | None) -> str:
    if registration is None:
        return ""
    return str(REGISTRATION_STATE_LABELS.get(registration.status, registration.status))


# --- replies ---------------------------------------------------------------------------

# The outbox's name for a reply: its reference is the reply's id.
REPLY_MAIL_KIND = "submissions.reply"
# A reply whose outbox row is gone (sent and kept OUTBOX_RECORD_DAYS, or erased).
REPLY_DELIVERY_UNKNOWN = "unknown"
REPLY_DELIVERY_LABELS = {
    OutboxState.QUEUED: _("Waiting to be sent"),
    OutboxState.SENDING: _("Being sent"),
    OutboxState.SENT: _("Sent"),
    OutboxState.FAILED: _("Not delivered"),
    REPLY_DELIVERY_UNKNOWN: _("Delivery record no longer kept"),
}


def reply_delivery_states(*, replies: list[SubmissionReply]) -> dict[int, str]:
    """{reply pk: outbox state} for the item's thread (policy R: a failure is visible)."""
    states = outbox_states(kind=REPLY_MAIL_KIND, references=[str(r.pk) for r in replies])
    return {r.pk: states.get(str(r.pk), REPLY_DELIVERY_UNKNOWN) for r in replies}
