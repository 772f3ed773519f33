"""What staff do with an inbox item: assign, set its status, note, reply (policy F, R).

Every opening of an item's personal content is written to the access log, without
content; closing (which deletes the content) is ``submission_close`` (services.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from csce.pages.models import CentreSettings

from ..models.records import (
    Submission,
    SubmissionNote,
    SubmissionReply,
    SubmissionStatus,
    submission_email,
)
from ..services import inbox_members

# The statuses staff set by hand; "closed" only comes with the purge (submission_close).
STATUSES_SETTABLE = [
    SubmissionStatus.NEW,
    SubmissionStatus.IN_PROGRESS,
    SubmissionStatus.ANSWERED,
]


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
