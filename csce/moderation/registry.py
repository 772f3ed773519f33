"""What the moderation app declares in the personal-data registry (csce/common/registry.py).

Comments and reports of a concern carry what visitors typed (policy F, P10): the privacy
portal finds, exports and erases them by the e-mail address a person gave (a comment
needs none: one left without an address cannot be found by one, and the notice says so).
The retention job (policy M) deletes a rejected, hidden or waiting comment and a closed
report ``policy.MODERATION_RECORD_DAYS`` after their last moderation or their arrival, and
strips an approved comment of its address and network key after as long: what stays is
what the person chose to publish (their name and text), with the article.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Min, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

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
    reports. The moderators' history keeps its codes and ids, not the content."""
    with transaction.atomic():
        comments = list(_comments(email).values_list("pk", flat=True))
        reports = list(_reports(email).values_list("pk", flat=True))
        Comment.objects.filter(pk__in=comments).delete()
        ConcernReport.objects.filter(pk__in=reports).delete()
    if comments:
        from .publication import comments_changed

        comments_changed()
    return len(comments) + len(reports)


def moderation_purge(*, now: datetime.datetime, batch_size: int) -> int:
    """Policy M: what moderation has finished with, ``RECORD_DAYS`` after its last
    moderation (or arrival), each batch in its own short transaction."""
    limit = now - datetime.timedelta(days=RECORD_DAYS)
    deleted = 0
    finished_comments = Comment.objects.filter(
        Q(state__in=[CommentState.REJECTED, CommentState.HIDDEN], moderated_at__lt=limit)
        | Q(state=CommentState.PENDING, created_at__lt=limit)
    )
    while ids := list(finished_comments.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            Comment.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    # An approved comment keeps what was published; its address and network key go.
    approved = Comment.objects.filter(state=CommentState.APPROVED, moderated_at__lt=limit).exclude(
        email_index="", network_key=""
    )
    while ids := list(approved.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            for comment in Comment.objects.filter(pk__in=ids):
                comment.email = ""
                comment.email_index = ""
                comment.network_key = ""
                comment.save(update_fields=["email", "email_index", "network_key"])
        deleted += len(ids)
    closed = ConcernReport.objects.filter(
        Q(state=ReportState.CLOSED, closed_at__lt=limit)
        | Q(state=ReportState.OPEN, created_at__lt=limit - datetime.timedelta(days=RECORD_DAYS))
    )
    while ids := list(closed.order_by("pk").values_list("pk", flat=True)[:batch_size]):
        with transaction.atomic():
            ConcernReport.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    ModerationAction.objects.filter(created_at__lt=limit, report__isnull=True).exclude(
        note=""
    ).delete()
    SenderBlock.objects.filter(until__lt=now).delete()
    return deleted


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
    ]
    firsts = [first for first in firsts if first is not None]
    return min(firsts) if firsts else None


RETENTION = policy.interpolate_lazy(
    ngettext_lazy(
        "Deleted %(days)s day after moderation (a rejected comment, a closed report); an "
        "approved comment stays published with its article, without your address.",
        "Deleted %(days)s days after moderation (a rejected comment, a closed report); an "
        "approved comment stays published with its article, without your address.",
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
