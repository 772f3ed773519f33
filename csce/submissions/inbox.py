"""The inboxes' reads and writes: who sees what, and what staff do with an item (issue 4, item 5).

Policy F (need to know): a submission is readable only by the members of its inbox (a
group); Wagtail's "whoever may edit the form page" rule does not apply. Superusers are
the break-glass exception, and their sessions are logged by the accounts app.
Every read and export of personal content is written to the access log, without content.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common.spreadsheet import spreadsheet_text

from .models import (
    InquiryTopic,
    ProgramPage,
    Submission,
    SubmissionNote,
    SubmissionReply,
    SubmissionStatus,
    form_page_models,
)
from .services import SUBMISSION_TYPE, inbox_members, submission_email

# The statuses staff set by hand; "closed" only comes with the purge (submission_close).
STATUSES_SETTABLE = [
    SubmissionStatus.NEW,
    SubmissionStatus.IN_PROGRESS,
    SubmissionStatus.ANSWERED,
]


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
        first_response_due__lt=now or timezone.now(),
        answered_at__isnull=True,
        status__in=[SubmissionStatus.NEW, SubmissionStatus.IN_PROGRESS],
    )


def submission_read_record(*, submission: Submission, actor) -> None:
    """Policy F: every opening of an item's personal content is in the access log."""
    access_log_record(
        action=AccessAction.PERSONAL_DATA_READ,
        actor=actor,
        object_type=SUBMISSION_TYPE,
        object_id=submission.pk,
        details={"kind": submission.kind, "purged": submission.is_purged},
    )


# --- writes ----------------------------------------------------------------------------


def submission_assign(*, submission: Submission, assignee, actor) -> Submission:
    """Give the item to a member of its inbox (or to nobody: ``assignee=None``)."""
    if (
        assignee is not None
        and not inbox_members(inbox_id=submission.inbox_id).filter(pk=assignee.pk).exists()
    ):
        raise ValidationError(_("Only a member of the inbox can be assigned."))
    submission.assigned_to = assignee
    if assignee is not None and submission.status == SubmissionStatus.NEW:
        submission.status = SubmissionStatus.IN_PROGRESS
    submission.save(update_fields=["assigned_to", "status"])
    return submission


def submission_status_set(*, submission: Submission, status: str, actor) -> Submission:
    if status not in STATUSES_SETTABLE:
        # Closing deletes the content: only submission_close does it (policy M).
        raise ValidationError(_("This status cannot be set here."))
    if submission.is_purged:
        raise ValidationError(_("This item is closed and its content deleted."))
    submission.status = status
    fields = ["status"]
    if status == SubmissionStatus.ANSWERED and submission.answered_at is None:
        submission.answered_at = timezone.now()
        fields.append("answered_at")
    submission.save(update_fields=fields)
    return submission


def submission_note_add(*, submission: Submission, author, text: str) -> SubmissionNote:
    if submission.is_purged:
        raise ValidationError(_("This item is closed and its content deleted."))
    return SubmissionNote.objects.create(submission=submission, author=author, text=text)


def submission_reply_address(*, submission: Submission) -> str:
    if submission.is_purged or not submission.answers:
        return ""
    return submission_email(answers=submission.answers)


def centre_name_for(*, language: str) -> str:
    from wagtail.models import Site

    from csce.pages.models import CentreSettings

    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    with translation.override(language):
        if site is None:
            return CentreSettings().localized_name()
        return CentreSettings.for_site(site).localized_name()


def submission_reply_send(*, submission: Submission, actor, body: str) -> SubmissionReply:
    """E-mail the visitor a reply in the language they wrote in, and keep it (encrypted)."""
    address = submission_reply_address(submission=submission)
    if not address:
        raise ValidationError(_("This item has no e-mail address to reply to."))
    language = (
        submission.language
        if submission.language in dict(settings.LANGUAGES)
        else settings.LANGUAGE_CODE
    )
    centre = centre_name_for(language=language)
    with translation.override(language):
        context = {"submission": submission, "body": body, "centre_name": centre}
        subject = render_to_string("submissions/admin/email/reply_subject.txt", context).strip()
        text = render_to_string("submissions/admin/email/reply_body.txt", context)
    now = timezone.now()
    with transaction.atomic():
        reply = SubmissionReply.objects.create(
            submission=submission, sent_by=actor, sent_at=now, body=body
        )
        submission.status = SubmissionStatus.ANSWERED
        fields = ["status"]
        if submission.answered_at is None:
            submission.answered_at = now
            fields.append("answered_at")
        submission.save(update_fields=fields)
        # Sent inside the transaction: when the server refuses it, nothing says "answered".
        EmailMessage(subject=" ".join(subject.split()), body=text, to=[address]).send()
    return reply


# --- export ----------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        text = gettext("yes") if value else gettext("no")
    elif isinstance(value, (list, tuple)):
        text = "; ".join(str(v) for v in value)
    else:
        text = "" if value is None else str(value)
    # A spreadsheet must not run what a visitor typed (CSV formula injection).
    return spreadsheet_text(text)


def submissions_export_csv(*, page, user) -> tuple[str, int]:
    """The submissions of one form that ``user`` may see, one row each; logged (policy F).

    Columns: received, status, language, consent, then one per answer label in form order.
    Items whose content is deleted have nothing to export and are left out.
    """
    submissions = list(
        submissions_visible_to(user=user)
        .filter(page_id=page.pk, purged_at__isnull=True)
        .order_by("created_at", "pk")
    )
    names: list[str] = []
    labels: dict[str, str] = {}
    for submission in submissions:
        for answer in submission.answers or []:
            if answer["name"] not in labels:
                names.append(answer["name"])
                labels[answer["name"]] = answer["label"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            gettext("Number"),
            gettext("Received"),
            gettext("Status"),
            gettext("Language"),
            gettext("Consent given"),
            *(_cell(labels[name]) for name in names),
        ]
    )
    for submission in submissions:
        values = {a["name"]: a["value"] for a in submission.answers or []}
        writer.writerow(
            [
                submission.pk,
                timezone.localtime(submission.created_at).isoformat(timespec="minutes"),
                submission.get_status_display(),
                submission.language,
                _cell(submission.consent_given),
                *(_cell(values.get(name, "")) for name in names),
            ]
        )
    access_log_record(
        action=AccessAction.PERSONAL_DATA_EXPORTED,
        actor=user,
        object_type=SUBMISSION_TYPE,
        object_id="",
        details={"page_id": page.pk, "count": len(submissions), "format": "csv"},
    )
    return buffer.getvalue(), len(submissions)
