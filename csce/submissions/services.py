"""Writes about submissions: keyword-only, typed; views, commands and tests call these.

Policy F (need to know), M (deletion), P6 (consent), P7 (purpose). Every deletion of
personal content is written to the access log; no personal value is ever logged.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from csce.audit.models import AccessAction
from csce.audit.services import access_log_record
from csce.common.business_days import add_business_days
from csce.common.crypto import blind_index
from csce.common.links import public_url
from csce.common.purposes import optional_purposes_fulfil
from csce.common.registry import notice_version_in_force
from csce.common.staff import staff_language

from .forms import CONSENT_FIELD, EMPTY_VALUES, PURPOSE_PREFIX, TOPIC_FIELD
from .models.records import (
    DataClass,
    FormKind,
    Submission,
    SubmissionStatus,
    submission_email,
)
from .programs.registration import registration_from_submission, registrations_release
from .uploads import submission_files_delete, submission_files_store

logger = logging.getLogger(__name__)

SUBMISSION_TYPE = "submissions.submission"


class ConsentRequired(ValueError):
    """Health information (a sensitive answer) was sent without the person's consent
    (policy P6): nothing is stored, whichever form or caller asked."""


def submission_answers(*, page, form) -> list[dict[str, Any]]:
    """The visitor's answers in form order, with each field's label and data class."""
    answers = []
    for field in page.get_form_fields():
        name = field.clean_name
        if name not in form.cleaned_data:
            continue
        value = form.cleaned_data[name]
        if isinstance(value, (list, tuple)):
            value = [str(v) for v in value]
        elif value is None:
            value = ""
        elif not isinstance(value, (str, bool)):
            value = str(value)
        answers.append(
            {
                "name": name,
                "label": field.label,
                "field_type": field.field_type,
                "data_class": field.data_class,
                "value": value,
            }
        )
    return answers


def submission_first_name(*, answers: list[dict[str, Any]]) -> str:
    """The visitor's first name when the form asks for it in a field of its own
    ("Prénom", "First name"); "" otherwise (a full name is not split by guess)."""
    for answer in answers:
        name = str(answer.get("name", ""))
        if answer.get("field_type") == "singleline" and ("prenom" in name or "first" in name):
            return str(answer.get("value") or "")
    return ""


def submission_create(
    *,
    page,
    form,
    language: str,
    now: datetime.datetime | None = None,
    ip: str = "",
    page_url: str = "",
) -> Submission:
    """Store what a visitor sent: encrypted, routed to its inbox, with its consent proof.

    Raises ConsentRequired when a sensitive answer comes without consent (policy P6).
    The e-mail's blind index is kept by ``Submission.save``. Once committed, each optional
    purpose ticked goes to the app that fulfils it (``common/purposes.py``, policy P7),
    with the client's address ``ip`` and the form's ``page_url``."""
    now = now or timezone.now()
    data = form.cleaned_data
    answers = submission_answers(page=page, form=form)
    inbox_id = page.inbox_id
    topic_id = data.get(TOPIC_FIELD)
    if topic_id:
        topic = next((t for t in page.get_topics() if t.pk == topic_id), None)
        if topic is not None:
            inbox_id = topic.inbox_id
            answers.insert(
                0,
                {
                    "name": TOPIC_FIELD,
                    "label": str(form.fields[TOPIC_FIELD].label),
                    "field_type": "dropdown",
                    "data_class": DataClass.GENERAL,
                    "value": topic.label,
                },
            )
    consent = bool(data.get(CONSENT_FIELD))
    if not consent and any(
        answer["data_class"] == DataClass.SENSITIVE and answer["value"] not in EMPTY_VALUES
        for answer in answers
    ):
        raise ConsentRequired(page.pk)
    submission = Submission(
        page=page,
        form_title=page.title[:255],
        kind=page.form_kind,
        inbox_id=inbox_id,
        language=language,
        created_at=now,
        expires_at=now + datetime.timedelta(days=page.retention_days),
        answers=answers,
        consent_given=consent,
        consent_version=page.consent_version if consent else None,
        consent_at=now if consent else None,
        optional_consents=sorted(
            name.removeprefix(PURPOSE_PREFIX)
            for name, value in data.items()
            if name.startswith(PURPOSE_PREFIX) and value
        ),
    )
    if submission.consent_given or submission.optional_consents:
        # Policy P6: the consent proof names the privacy notice the person could read.
        submission.notice_version = notice_version_in_force(language=language)
    if page.form_kind == FormKind.INQUIRY:
        submission.due_at = add_business_days(now, settings.FIRST_RESPONSE_BUSINESS_DAYS)
    with transaction.atomic():
        submission.save()
        # What the form brought besides answers: attached files, a program's place.
        submission_files_store(submission=submission, form=form)
        registration_from_submission(submission=submission, form=form)
        transaction.on_commit(lambda: submission_inbox_notify(submission=submission))
        if submission.optional_consents:
            transaction.on_commit(
                lambda: optional_purposes_fulfil(
                    keys=submission.optional_consents,
                    email=submission_email(answers=answers),
                    first_name=submission_first_name(answers=answers),
                    language=language,
                    ip=ip,
                    page_url=page_url,
                )
            )
    return submission


def inbox_members(*, inbox_id: int):
    return get_user_model().objects.filter(groups__pk=inbox_id, is_active=True).distinct()


def submission_inbox_notify(*, submission: Submission) -> int:
    """Tell the inbox's members that something arrived: a link, never its content."""
    if submission.kind == FormKind.SURVEY:
        return 0  # answers to a survey are read as results, not one by one
    sent = 0
    link = public_url(reverse("submissions_admin:detail", args=[submission.pk]))
    for member in inbox_members(inbox_id=submission.inbox_id).exclude(email=""):
        with translation.override(staff_language(member)):
            context = {"submission": submission, "link": link, "recipient": member}
            subject = render_to_string(
                "submissions/email/new_submission_subject.txt", context
            ).strip()
            body = render_to_string("submissions/email/new_submission_body.txt", context)
        try:
            sent += EmailMessage(subject=subject, body=body, to=[member.email]).send()
        except OSError as exc:
            # The submission is stored; staff see it in the inbox even without the e-mail.
            logger.warning("inbox notification not sent: %s", type(exc).__name__)
    return sent


def submissions_dependents_delete(*, ids: list[int]) -> None:
    """What hangs on these submissions' content goes with it (policy M): attached files
    are deleted and places in a program freed, inside the caller's transaction."""
    submission_files_delete(submission_ids=ids)
    registrations_release(submission_ids=ids)


def submission_content_delete(*, submission: Submission, now: datetime.datetime) -> None:
    """Remove one submission's personal content in memory; the caller saves it."""
    submissions_dependents_delete(ids=[submission.pk])
    submission.notes.all().delete()
    submission.replies.all().delete()
    submission.answers = None
    submission.purged_at = now


def submission_close(
    *, submission: Submission, actor, reason: str = "closed", details: dict | None = None
) -> Submission:
    """Close a handled item and delete its personal content in the same action (policy M).

    What stays is a tombstone: form, dates, status and who closed it. ``reason`` and
    ``details`` (ids only) say why in the access log, e.g. a privacy request took it over.
    """
    now = timezone.now()
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.status == SubmissionStatus.CLOSED and submission.is_purged:
            return submission
        submission_content_delete(submission=submission, now=now)
        submission.status = SubmissionStatus.CLOSED
        submission.closed_at = now
        submission.closed_by = actor
        submission.save()
        access_log_record(
            action=AccessAction.PERSONAL_DATA_DELETED,
            actor=actor,
            object_type=SUBMISSION_TYPE,
            object_id=submission.pk,
            details={"reason": reason, **(details or {})},
        )
    return submission


def submissions_purge_expired(*, now: datetime.datetime, batch_size: int) -> int:
    """Delete every submission past its form's retention, one short transaction per batch.

    Idempotent: a second run, or a run on another node at the same time, finds nothing
    left to delete and counts nothing twice (each batch counts the rows it deleted).
    Tombstones of closed items hold no personal data and go after 24 months.
    """
    tombstone_limit = now - datetime.timedelta(days=settings.SUBMISSION_TOMBSTONE_DAYS)
    expired = Submission.objects.filter(expires_at__lt=now, purged_at__isnull=True)
    old_tombstones = Submission.objects.filter(
        purged_at__isnull=False, closed_at__lt=tombstone_limit
    )
    total = 0
    for queryset, reason in ((expired, "retention"), (old_tombstones, None)):
        deleted_here = 0
        while True:
            ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            with transaction.atomic():
                if reason:
                    submissions_dependents_delete(ids=ids)
                _count, per_model = Submission.objects.filter(pk__in=ids).delete()
            deleted_here += per_model.get(Submission._meta.label, 0)
        if reason and deleted_here:
            access_log_record(
                action=AccessAction.PERSONAL_DATA_DELETED,
                actor=None,
                object_type=SUBMISSION_TYPE,
                object_id="",
                details={"reason": reason, "count": deleted_here},
            )
        total += deleted_here
    return total


def submissions_erase_for_email(*, email: str, actor) -> int:
    """Erase the personal content of every submission from ``email`` (privacy request)."""
    index = blind_index(email)
    if not index:
        return 0
    erased = 0
    now = timezone.now()
    for submission in Submission.objects.filter(email_index=index, purged_at__isnull=True):
        with transaction.atomic():
            submission_content_delete(submission=submission, now=now)
            submission.save()
            access_log_record(
                action=AccessAction.PERSONAL_DATA_DELETED,
                actor=actor,
                object_type=SUBMISSION_TYPE,
                object_id=submission.pk,
                details={"reason": "privacy_request"},
            )
        erased += 1
    return erased
