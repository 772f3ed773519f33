"""The write paths of user conduct (policy U, R, X): a visitor's comment and report, and
every moderator's action, each with its reason, its history row and its access-log entry.

- ``comment_submit`` and ``report_submit``: what the public forms call. Both refuse a
  blocked sender (``SenderBlocked``); a comment waits for moderation, a report enters the
  queue; each is due within ``policy.MODERATION_RESPONSE_BUSINESS_DAYS`` business days.
  A report that left an address gets an acknowledgement through the outbox, in the
  reporter's language (never on the request path).
- ``comment_moderate``: approve, reject, hide, edit (marked "edited by a moderator") or
  delete a comment; ``report_close``, ``report_reopen``, ``report_escalate`` (to an
  incident, through csce.common.incident_intake); ``sender_block``.

Every action needs a reason (``Reason``); its code goes to the access log, the
moderator's note (encrypted) to the item's history, never to the log.
"""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common import policy
from csce.common.business_days import add_business_days
from csce.common.crypto import blind_index
from csce.common.incident_intake import incident_intake
from csce.outbox.services import message_enqueue

from .blocks import sender_block_create, sender_blocked
from .models import (
    ActionKind,
    Comment,
    CommentState,
    ConcernReport,
    ModerationAction,
    Reason,
    ReportState,
    Subject,
)
from .publication import comments_changed

COMMENT_TYPE = "moderation.comment"
REPORT_TYPE = "moderation.concernreport"
ACK_KIND = "moderation_report_ack"


class SenderBlocked(Exception):
    """A moderator blocked this network or address: nothing is kept."""


class ModerationError(ValueError):
    """The action does not apply to the item as it is now (the message says why)."""


class NoteRequired(ModerationError):
    """The reason "other" needs a note that explains it."""


def _due(now):
    return add_business_days(now, policy.MODERATION_RESPONSE_BUSINESS_DAYS)


def comment_submit(
    *, page, language: str, name: str, text: str, email: str = "", network: str = ""
) -> Comment:
    """A visitor's comment, waiting for a moderator (policy U: nothing shows before)."""
    email_index = blind_index(email) if email else ""
    if sender_blocked(network=network, email_index=email_index):
        raise SenderBlocked
    now = timezone.now()
    return Comment.objects.create(
        page=page,
        language=language,
        name=name,
        text=text,
        email=email,
        email_index=email_index,
        network_key=network,
        due_at=_due(now),
    )


def report_submit(
    *,
    subject: str,
    category: str,
    description: str,
    language: str,
    url: str = "",
    comment_id: int | None = None,
    contact: str = "",
    network: str = "",
) -> ConcernReport:
    """A visitor's report of a concern (policy U), acknowledged when they left an address."""
    contact_index = blind_index(contact) if contact else ""
    if sender_blocked(network=network, email_index=contact_index):
        raise SenderBlocked
    comment = None
    if comment_id is not None:
        comment = Comment.objects.filter(pk=comment_id, state=CommentState.APPROVED).first()
    if subject == Subject.COMMENT and comment is None and not url:
        raise ModerationError("comment")
    now = timezone.now()
    with transaction.atomic():
        report = ConcernReport.objects.create(
            subject=subject,
            category=category,
            description=description,
            language=language,
            url=url,
            comment=comment,
            contact=contact,
            contact_index=contact_index,
            network_key=network,
            due_at=_due(now),
        )
        if contact:
            _acknowledge(report)
    return report


def _acknowledge(report: ConcernReport) -> None:
    language = report.language if report.language in ("fr", "en") else "fr"
    with translation.override(language):
        context = {"report": report, "due_days": policy.MODERATION_RESPONSE_BUSINESS_DAYS}
        subject = render_to_string("moderation/email/report_ack_subject.txt", context)
        body = render_to_string("moderation/email/report_ack.txt", context)
    message_enqueue(
        message=EmailMessage(subject=" ".join(subject.split()), body=body, to=[report.contact]),
        kind=ACK_KIND,
        reference=f"{REPORT_TYPE}:{report.pk}",
        language=language,
    )


def _record(*, kind: str, actor, reason: str, note: str, comment_id=None, report=None):
    if reason not in Reason.values:
        raise ModerationError("reason")
    if reason == Reason.OTHER and not note.strip():
        raise NoteRequired
    ModerationAction.objects.create(
        kind=kind,
        comment_id_kept=comment_id,
        report=report,
        actor=actor,
        reason=reason,
        note=note,
    )
    access_log_record(
        action=AccessAction.CONTENT_ACTION,
        actor=actor,
        object_type=REPORT_TYPE if report is not None else COMMENT_TYPE,
        object_id=str(report.pk if report is not None else comment_id),
        details={"moderation": kind, "reason": reason},
    )


# What each action does to a comment: the state it leaves, and which states it applies to.
_COMMENT_ACTIONS = {
    ActionKind.APPROVE: (CommentState.APPROVED, {CommentState.PENDING, CommentState.HIDDEN}),
    ActionKind.REJECT: (CommentState.REJECTED, {CommentState.PENDING}),
    ActionKind.HIDE: (CommentState.HIDDEN, {CommentState.APPROVED}),
}


def comment_moderate(
    *, comment: Comment, kind: str, actor, reason: str, note: str = "", text: str | None = None
) -> Comment | None:
    """One moderator's decision on a comment; returns it (None once deleted)."""
    now = timezone.now()
    with transaction.atomic():
        locked = Comment.objects.select_for_update().filter(pk=comment.pk).first()
        if locked is None:
            raise ModerationError("gone")
        was_public = locked.state == CommentState.APPROVED
        if kind == ActionKind.DELETE:
            _record(kind=kind, actor=actor, reason=reason, note=note, comment_id=locked.pk)
            locked.delete()
            if was_public:
                comments_changed()
            return None
        if kind == ActionKind.EDIT:
            if not text or not text.strip():
                raise ModerationError("text")
            locked.text = text
            locked.edited_at = now
        elif kind in _COMMENT_ACTIONS:
            state, allowed = _COMMENT_ACTIONS[kind]
            if locked.state not in allowed:
                raise ModerationError("state")
            locked.state = state
        else:
            raise ModerationError("kind")
        _record(kind=kind, actor=actor, reason=reason, note=note, comment_id=locked.pk)
        locked.moderated_at = now
        locked.moderated_by = actor
        # A decision answers the comment (policy R); an edit of a waiting comment does not.
        if locked.closed_at is None and locked.state != CommentState.PENDING:
            locked.closed_at, locked.closed_by = now, actor
        locked.save()
        if was_public or locked.state == CommentState.APPROVED:
            comments_changed()
    return locked


def report_close(*, report: ConcernReport, actor, reason: str, note: str = "") -> ConcernReport:
    with transaction.atomic():
        locked = ConcernReport.objects.select_for_update().get(pk=report.pk)
        if locked.state != ReportState.OPEN:
            raise ModerationError("state")
        _record(kind=ActionKind.CLOSE, actor=actor, reason=reason, note=note, report=locked)
        locked.state = ReportState.CLOSED
        locked.closed_at, locked.closed_by = timezone.now(), actor
        locked.save()
    return locked


def report_reopen(*, report: ConcernReport, actor, reason: str, note: str = "") -> ConcernReport:
    with transaction.atomic():
        locked = ConcernReport.objects.select_for_update().get(pk=report.pk)
        if locked.state != ReportState.CLOSED:
            raise ModerationError("state")
        _record(kind=ActionKind.REOPEN, actor=actor, reason=reason, note=note, report=locked)
        locked.state = ReportState.OPEN
        locked.closed_at = locked.closed_by = None
        locked.due_at = _due(timezone.now())
        locked.save()
    return locked


def report_escalate(
    *, report: ConcernReport, actor, kind: str, reason: str = Reason.SECURITY, note: str = ""
) -> str:
    """The report becomes an incident in the register (policy R), in one action: the
    incident carries the report's description, and the report is closed with its
    reference. Returns the reference."""
    with transaction.atomic():
        locked = ConcernReport.objects.select_for_update().get(pk=report.pk)
        if locked.incident_reference:
            raise ModerationError("escalated")
        description = "\n\n".join(
            part
            for part in (
                f"{locked.get_category_display()} — {locked.get_subject_display()}",
                locked.url,
                locked.description,
            )
            if part
        )
        reference = incident_intake().open(
            reporter=actor,
            kind=kind,
            description=description,
            property_name=locked.url[:200] if locked.subject == Subject.SOCIAL else "",
        )
        _record(kind=ActionKind.ESCALATE, actor=actor, reason=reason, note=note, report=locked)
        locked.incident_reference = reference
        if locked.state == ReportState.OPEN:
            locked.state = ReportState.CLOSED
            locked.closed_at, locked.closed_by = timezone.now(), actor
        locked.save()
    return reference


def sender_block(
    *, actor, days: int, reason: str, note: str = "", comment=None, report=None
) -> int:
    """Block the sender of a comment or a report for ``days`` days (policy U); returns how
    many keys were blocked (0: the sender left none, nothing to block)."""
    if days not in policy.MODERATION_BLOCK_DAYS:
        raise ModerationError("days")
    item = comment if comment is not None else report
    if item is None:
        raise ModerationError("item")
    email_index = comment.email_index if comment is not None else report.contact_index
    with transaction.atomic():
        _record(
            kind=ActionKind.BLOCK,
            actor=actor,
            reason=reason,
            note=note,
            comment_id=comment.pk if comment is not None else None,
            report=report,
        )
        blocks = sender_block_create(
            network=item.network_key, email_index=email_index, days=days, actor=actor, reason=reason
        )
    return len(blocks)
