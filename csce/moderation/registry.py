"""What the moderation app declares in the personal-data registry (csce/common/registry.py).

Comments and reports of a concern carry what visitors typed (policy F, P10): the privacy
portal finds, exports and erases them by the e-mail address a person gave (a comment
needs none: one left without an address cannot be found by one, and the notice says so).
Erasure removes the person's comments (a published one leaves its article, and the
pages are rebuilt) and reports; the moderators' notes on an erased comment are emptied,
while the access log keeps each action's code and reason.

The retention job (policy M), ``policy.MODERATION_RECORD_DAYS`` (``RECORD_DAYS``) after
the last thing that happened to an item:

- a rejected or hidden comment: after its last moderation; a comment still waiting: after
  its arrival;
- a closed report: after its closing; an open report: after its arrival or the last
  moderator's action on it, whichever is later. An open report is an unanswered case:
  the queue and the response times (csce/moderation/engagement.py) show it overdue from
  its first business day, so nobody learns of it at the cap. The cap is policy M's and
  holds for it too: the report goes with its content, and the access log records how
  many reports the job deleted (never what they said);
- an approved comment stays published with its article: after ``RECORD_DAYS`` from its
  approval it loses its address, its blind index and its network key, keeping what the
  person chose to publish (their name and text). That is no deletion: the job's count
  (``PurgeRun.counts``, "records deleted") counts only rows deleted, and the stripped
  comments are logged apart;
- a moderator's action on a comment (with its note): ``RECORD_DAYS`` after it was taken;
  an action on a report goes with the report;
- a sender block: once it has expired.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common import policy
from csce.common.crypto import blind_index
from csce.common.registry import NoticeEntry, PersonalDataSource, PersonalRecord

from .models import (
    Comment,
    CommentState,
    ConcernReport,
    ModerationAction,
    ReportState,
    SenderBlock,
)

logger = logging.getLogger(__name__)

SOURCE_KEY = "moderation"
COMMENT_TYPE = "moderation.comment"
REPORT_TYPE = "moderation.concernreport"
RECORD_DAYS = policy.MODERATION_RECORD_DAYS


def _comments(email: str):
    index = blind_index(email)
    return (
        Comment.objects.filter(email_index=index).order_by("pk")
        if index
        else Comment.objects.none()
    )


def _reports(email: str):
    index = blind_index(email)
    if not index:
        return ConcernReport.objects.none()
    return ConcernReport.objects.filter(contact_index=index).order_by("pk")


def moderation_find(*, email: str) -> list[PersonalRecord]:
    records = [
        PersonalRecord(
            source=SOURCE_KEY,
            object_type=COMMENT_TYPE,
            object_id=str(comment.pk),
            created_at=comment.created_at,
            summary=str(_("Comment (%(state)s)") % {"state": comment.get_state_display()}),
        )
        for comment in _comments(email)
    ]
    records += [
        PersonalRecord(
            source=SOURCE_KEY,
            object_type=REPORT_TYPE,
            object_id=str(report.pk),
            created_at=report.created_at,
            summary=str(
                _("Report of a concern (%(state)s)") % {"state": report.get_state_display()}
            ),
        )
        for report in _reports(email)
    ]
    return records


def moderation_export(*, email: str, actor=None, language: str = "fr") -> list[dict]:
    rows = [
        {
            "kind": "comment",
            "created": comment.created_at.isoformat(),
            "article": comment.page_id,
            "name": comment.name,
            "email": comment.email,
            "comment": comment.text,
            "state": comment.state,
            "edited_by_moderator": comment.edited_at.isoformat() if comment.edited_at else "",
        }
        for comment in _comments(email)
    ]
    rows += [
        {
            "kind": "report",
            "created": report.created_at.isoformat(),
            "about": report.subject,
            "address": report.url,
            "category": report.category,
            "description": report.description,
            "contact": report.contact,
            "state": report.state,
        }
        for report in _reports(email)
    ]
    return rows


def moderation_erase(*, email: str, actor=None) -> int:
    """Erasure (policy P10): the person's comments (published ones leave the site) and
    reports. The moderators' history keeps its codes and ids, not the content: the notes
    on the erased comments are emptied (a report's actions go with it)."""
    with transaction.atomic():
        comments = list(_comments(email).values_list("pk", "state"))
        reports = list(_reports(email).values_list("pk", flat=True))
        comment_ids = [pk for pk, _state in comments]
        ModerationAction.objects.filter(comment_id_kept__in=comment_ids).update(note="")
        Comment.objects.filter(pk__in=comment_ids).delete()
        ConcernReport.objects.filter(pk__in=reports).delete()
    if any(state == CommentState.APPROVED for _pk, state in comments):
        from .publication import comments_changed

        comments_changed()
    return len(comments) + len(reports)


def _delete_in_batches(queryset, model, *, batch_size: int) -> int:
    deleted = 0
    while ids := list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            _count, per_model = model.objects.filter(pk__in=ids).delete()
        deleted += per_model.get(model._meta.label, 0)
    return deleted


def _retention_logged(*, object_type: str, count: int) -> None:
    if count:
        access_log_record(
            action=AccessAction.PERSONAL_DATA_DELETED,
            actor=None,
            object_type=object_type,
            object_id="",
            details={"reason": "retention", "count": count},
        )


def moderation_purge(*, now: datetime.datetime, batch_size: int) -> int:
    """Policy M, as the module says; each batch in its own short transaction. Returns the
    rows deleted (comments, reports, comments' actions); idempotent."""
    limit = now - datetime.timedelta(days=RECORD_DAYS)
    finished_comments = Comment.objects.filter(
        Q(state__in=[CommentState.REJECTED, CommentState.HIDDEN], moderated_at__lt=limit)
        | Q(state=CommentState.PENDING, created_at__lt=limit)
    )
    comments = _delete_in_batches(finished_comments, Comment, batch_size=batch_size)
    _retention_logged(object_type=COMMENT_TYPE, count=comments)
    # An approved comment keeps what was published; its address and network key go.
    approved = Comment.objects.filter(state=CommentState.APPROVED, moderated_at__lt=limit).exclude(
        email_index="", network_key=""
    )
    stripped = 0
    while ids := list(approved.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            stripped += Comment.objects.filter(pk__in=ids).update(
                email="", email_index="", network_key=""
            )
    if stripped:
        logger.info("purge of moderation: %s approved comments kept without address", stripped)
    recent_action = ModerationAction.objects.filter(report=OuterRef("pk"), created_at__gte=limit)
    finished_reports = ConcernReport.objects.filter(
        Q(state=ReportState.CLOSED, closed_at__lt=limit)
        | (Q(state=ReportState.OPEN, created_at__lt=limit) & ~Exists(recent_action))
    )
    reports = _delete_in_batches(finished_reports, ConcernReport, batch_size=batch_size)
    _retention_logged(object_type=REPORT_TYPE, count=reports)
    # A note cannot be searched (it is encrypted): old actions on comments go whole; the
    # access log keeps their codes and reasons.
    old_actions = ModerationAction.objects.filter(created_at__lt=limit, report__isnull=True)
    actions = _delete_in_batches(old_actions, ModerationAction, batch_size=batch_size)
    SenderBlock.objects.filter(until__lt=now).delete()
    return comments + reports + actions


MODERATE_PERMISSION = ("moderation", "moderate_comment")


def moderation_group_receives(*, group_id: int) -> bool:
    """Policy F: a group whose members moderate reads what visitors wrote (names, texts,
    addresses), so giving it to someone needs a second person's approval."""
    from django.contrib.auth.models import Permission

    app_label, codename = MODERATE_PERMISSION
    return Permission.objects.filter(
        content_type__app_label=app_label, codename=codename, group__id=group_id
    ).exists()


def moderation_oldest():
    firsts = [
        Comment.objects.exclude(
            state=CommentState.APPROVED, email_index="", network_key=""
        ).aggregate(first=Min("created_at"))["first"],
        ConcernReport.objects.aggregate(first=Min("created_at"))["first"],
        ModerationAction.objects.filter(report__isnull=True).aggregate(first=Min("created_at"))[
            "first"
        ],
    ]
    firsts = [first for first in firsts if first is not None]
    return min(firsts) if firsts else None


RETENTION = policy.interpolate_lazy(
    ngettext_lazy(
        "Deleted %(days)s day after moderation (a rejected comment, a closed report) or, "
        "when none came, after arrival; an approved comment stays published with its "
        "article, without your address.",
        "Deleted %(days)s days after moderation (a rejected comment, a closed report) or, "
        "when none came, after arrival; an approved comment stays published with its "
        "article, without your address.",
        "days",
    ),
    {"days": RECORD_DAYS},
)


def moderation_notice() -> list[NoticeEntry]:
    """The comments' and reports' line of the privacy notice (policy P3)."""
    return [
        NoticeEntry(
            title=_("Comments and reports of a concern"),
            collected=_(
                "For a comment: the name you give, your comment and, if you give it, your "
                "e-mail address. For a report: what it is about, your description and, if "
                "you give it, your e-mail address. For both, a keyed code of your network "
                "(never the address itself), so that a moderator can block abuse."
            ),
            purpose=_(
                "Publishing your comment once a moderator approves it; handling your report "
                "(policy on acceptable use). A comment left without an address cannot be "
                "found by one: ask a moderator, giving the article and the date."
            ),
            recipients=_("The content administrators who moderate, and the AED."),
            retention=RETENTION,
        )
    ]


MODERATION_SOURCE = PersonalDataSource(
    key=SOURCE_KEY,
    label=_("Comments and reports of a concern"),
    purpose=_("Moderating comments and handling reports of inappropriate behaviour."),
    retention=RETENTION,
    find=moderation_find,
    export=moderation_export,
    erase=moderation_erase,
    purge_expired=moderation_purge,
    oldest=moderation_oldest,
    notice=moderation_notice,
    group_receives=moderation_group_receives,
    models=(
        "moderation.Comment",
        "moderation.ConcernReport",
        "moderation.ModerationAction",
    ),
    retention_days=RECORD_DAYS,
)
