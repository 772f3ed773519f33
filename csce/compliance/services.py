"""The weekly digest (policy R): each active member of the AED group is told, in their
language and through the outbox, which indicators do not hold, with links to act.

Exactly once per ISO week: the week's ``ComplianceDigest`` row is unique, and it is
created in the same transaction as the e-mails, so a second node (or a restart that
runs the job again) finds the week taken and sends nothing; a run that fails before
committing leaves the week free for the next run. A week when every indicator holds
sends nothing, but its row records that it was checked. The job runs daily: a missed
Monday (the server was down) is caught up on the first run of the week.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from csce.common import policy
from csce.common.compliance import IndicatorRegistry
from csce.common.links import public_url
from csce.common.roles import AED
from csce.common.staff import staff_language
from csce.common.typography import datetime_display
from csce.outbox.services import message_enqueue

from .models import ComplianceDigest
from .selectors import ComplianceBoard, compliance_board

logger = logging.getLogger(__name__)

DIGEST_MAIL_KIND = "compliance_digest"


def iso_week(day: datetime.date) -> str:
    """« 2026-W49 »: the ISO year and week of ``day`` (the first days of January may
    belong to the last week of the year before)."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def digest_recipients() -> list:
    """Active members of the AED group with an address, each address once."""
    members = (
        get_user_model()
        .objects.filter(groups__name=AED, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    seen: set[str] = set()
    recipients = []
    for member in members:
        address = member.email.strip().lower()
        if address not in seen:
            seen.add(address)
            recipients.append(member)
    return recipients


def digest_compose(*, board: ComplianceBoard, week: str, language: str) -> tuple[str, str]:
    """The subject and body in ``language``: each indicator that does not hold, its level
    in words, its clauses, its summary (counts and dates only) and its link."""
    with translation.override(language):
        context = {
            "week": week,
            "read_at": datetime_display(board.read_at, language),
            "indicators": board.not_holding,
            "count": len(board.not_holding),
            "view_url": public_url(reverse("compliance:index")),
        }
        subject = render_to_string("compliance/email/digest_subject.txt", context)
        body = render_to_string("compliance/email/digest_body.txt", context)
    return " ".join(subject.split()), body


def compliance_digest_send(
    *, now: datetime.datetime | None = None, registry: IndicatorRegistry | None = None
) -> ComplianceDigest | None:
    """This week's digest, unless it went already (or it is before the digest's weekday);
    returns the week's new record, or None when nothing was due. ``registry`` defaults to
    every app's indicators."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if today.isoweekday() < policy.COMPLIANCE_DIGEST_WEEKDAY:
        return None
    week = iso_week(today)
    if ComplianceDigest.objects.filter(week=week).exists():
        return None
    recipients = digest_recipients()
    # Read before the transaction: an indicator's failed query must not abort the one
    # that records the week. Levels do not depend on the language; the words do.
    with translation.override(settings.LANGUAGE_CODE):
        boards = {settings.LANGUAGE_CODE: compliance_board(now=now, registry=registry)}
    keys = [indicator.key for indicator in boards[settings.LANGUAGE_CODE].not_holding]
    languages = {member.pk: staff_language(member) for member in recipients}
    if keys:
        for language in set(languages.values()) - set(boards):
            with translation.override(language):
                boards[language] = compliance_board(now=now, registry=registry)
    try:
        with transaction.atomic():
            digest = ComplianceDigest.objects.create(
                week=week, read_at=now, not_holding=len(keys), indicator_keys=keys
            )
            if keys:
                for member in recipients:
                    language = languages[member.pk]
                    subject, body = digest_compose(
                        board=boards[language], week=week, language=language
                    )
                    message_enqueue(
                        message=EmailMessage(subject=subject, body=body, to=[member.email]),
                        kind=DIGEST_MAIL_KIND,
                        reference=week,
                        language=language,
                    )
                digest.recipients = len(recipients)
                digest.save(update_fields=["recipients", "updated_at"])
    except IntegrityError:
        # Another node recorded the week between our check and our insert: it sends.
        return None
    if keys and not recipients:
        # Policy R: nobody holds the AED role with an address; the view still shows it.
        logger.warning("compliance digest %s: no active AED with an address", week)
    return digest


def compliance_digest_run() -> None:
    """The daily scheduled job (csce/common/schedule.py)."""
    compliance_digest_send()
