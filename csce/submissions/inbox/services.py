"""What staff do with an inbox item: assign, set its status, note, reply (policy F, R).

Every opening of an item's personal content is written to the access log, without
content; closing (which deletes the content) is ``submission_close`` (services.py).

A reply is previewed as the e-mail it will be (``submission_reply_compose``), then sent
through the outbox (policy M: nothing slow on the request path) from the centre's
address, with the inbox's address to answer to, in the language the visitor wrote in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from csce.outbox.services import message_enqueue
from csce.pages.centre import centre_settings_default

from ..models.records import (
    Submission,
    SubmissionNote,
    SubmissionReply,
    SubmissionStatus,
    submission_email,
)
from ..services import inbox_members
from .selectors import REPLY_MAIL_KIND

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
    with translation.override(language):
        return centre_settings_default().localized_name()


# The salt of the preview's seal.
_PREVIEW_SALT = "csce.submissions.reply-preview"


@dataclass(frozen=True)
class ReplyEmail:
    """A reply as the visitor will receive it: shown as the preview, then sent."""

    from_email: str
    reply_to: str
    to: str
    subject: str
    body: str
    language: str


def submission_reply_language(*, submission: Submission) -> str:
    """The language the visitor wrote in (policy P2), the site's default otherwise."""
    if submission.language in dict(settings.LANGUAGES):
        return submission.language
    return settings.LANGUAGE_CODE


def inbox_reply_to(*, submission: Submission) -> str:
    """Where the visitor's answer goes: the inbox's address (INBOX_REPLY_TO), else the
    centre's general address, else the site's sending address."""
    configured = getattr(settings, "INBOX_REPLY_TO", {}) or {}
    address = configured.get(submission.inbox.name, "").strip()
    return address or centre_settings_default().email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def submission_reply_compose(*, submission: Submission, body: str) -> ReplyEmail:
    """The e-mail a reply becomes, in the visitor's language; nothing is stored."""
    address = submission_reply_address(submission=submission)
    if not address:
        raise ValidationError(_("This item has no e-mail address to reply to."))
    language = submission_reply_language(submission=submission)
    centre = centre_name_for(language=language)
    with translation.override(language):
        context = {"submission": submission, "body": body, "centre_name": centre}
        subject = render_to_string("submissions/admin/email/reply_subject.txt", context)
        text = render_to_string("submissions/admin/email/reply_body.txt", context)
    # From the centre, under its name in the visitor's language (DEFAULT_FROM_EMAIL's address).
    sender = formataddr((centre, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))
    return ReplyEmail(
        from_email=sender,
        reply_to=inbox_reply_to(submission=submission),
        to=address,
        subject=" ".join(subject.split()),
        body=text,
        language=language,
    )


def _digest(body: str) -> str:
    return hashlib.sha256(body.encode()).hexdigest()


def reply_preview_seal(*, submission: Submission, body: str) -> str:
    """Proof that this exact text, for this item, was shown as a preview."""
    return signing.Signer(salt=_PREVIEW_SALT).sign(f"{submission.pk}:{_digest(body)}")


def reply_preview_seal_valid(*, submission: Submission, body: str, seal: str) -> bool:
    try:
        value = signing.Signer(salt=_PREVIEW_SALT).unsign(seal or "")
    except signing.BadSignature:
        return False
    return value == f"{submission.pk}:{_digest(body)}"


def submission_reply_send(*, submission: Submission, actor, body: str) -> SubmissionReply:
    """Queue the reply in the outbox and keep it (encrypted) in the item's thread.

    The message and the reply are written in one transaction: a reply the thread shows
    is one the worker will send (or report as failed, policy R)."""
    if submission.is_purged:
        raise ValidationError(_("This item is closed and its content deleted."))
    composed = submission_reply_compose(submission=submission, body=body)
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
        message_enqueue(
            message=EmailMessage(
                subject=composed.subject,
                body=composed.body,
                from_email=composed.from_email,
                to=[composed.to],
                reply_to=[composed.reply_to],
            ),
            kind=REPLY_MAIL_KIND,
            reference=str(reply.pk),
            language=composed.language,
            created_at=now,
        )
    return reply
