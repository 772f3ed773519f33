"""Policy V: the periodic reviews of the online-property policy and of the privacy notice,
and the AED's reminders of them.

Each review is a ``ReviewDue`` (what, when, where to act). The policy's is built here;
the privacy app builds the notice's (csce/privacy/notice_versions.py) and sends them
through the same ``review_reminders_send``. A reminder goes to every AED, in her admin
language, through the outbox (the site's EMAIL_BACKEND), ``REVIEW_REMINDER_DAYS_BEFORE``
days before the review date and again once it is overdue: once each per review date,
whatever the number of runs or nodes (one ``ReviewReminder`` row each, written in the
transaction that queues the e-mail).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from csce.common import policy
from csce.common.links import public_url
from csce.common.staff import staff_display_name, staff_language
from csce.common.typography import date_display

from .models import ReviewReminder, ReviewReminderStage
from .selectors import aed_members, policy_version_latest_approved

logger = logging.getLogger(__name__)

# The state of a review date, as the dashboard and the compliance view show it.
NOT_SET = "not_set"
OVERDUE = "overdue"
SOON = "soon"
OK = "ok"

POLICY_SUBJECT = "policy"


@dataclass(frozen=True)
class ReviewDue:
    """One thing reviewed periodically: a stable ``subject`` key (the reminders' record),
    its name in the reader's language, its review date (None: not set) and the admin
    screen where it is reviewed."""

    subject: str
    label: str | Promise
    review_date: datetime.date | None
    action_url: str


def review_state(*, review_date: datetime.date | None, today: datetime.date) -> str:
    if review_date is None:
        return NOT_SET
    if review_date < today:
        return OVERDUE
    if review_date <= today + datetime.timedelta(days=policy.REVIEW_REMINDER_DAYS_BEFORE):
        return SOON
    return OK


def policy_review() -> ReviewDue:
    """The policy's review: the next review of the version decided last. No approved
    version at all reads as no date."""
    version = policy_version_latest_approved()
    return ReviewDue(
        subject=POLICY_SUBJECT,
        label=_("the online-property policy"),
        review_date=version.next_review if version is not None else None,
        action_url=reverse("policy_versions:index"),
    )


def review_reminders_send(*, reviews: list[ReviewDue], now: datetime.datetime | None = None) -> int:
    """Remind the AED of each review now due soon or overdue, once per review date and
    stage; returns how many reviews were reminded of. With no AED to write to, nothing is
    recorded, so the next run tries again (and the compliance view shows the review)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    recipients = list(aed_members().order_by("pk"))
    reminded = 0
    for review in reviews:
        state = review_state(review_date=review.review_date, today=today)
        if state not in (SOON, OVERDUE):
            continue
        if not recipients:
            logger.warning("review reminder %s not sent: no AED with an address", review.subject)
            continue
        stage = ReviewReminderStage.OVERDUE if state == OVERDUE else ReviewReminderStage.SOON
        try:
            with transaction.atomic():
                ReviewReminder.objects.create(
                    subject=review.subject, review_date=review.review_date, stage=stage, sent_at=now
                )
                for recipient in recipients:
                    message = review_reminder_email(
                        review=review, stage=stage, recipient=recipient, today=today
                    )
                    # Queued in her language: the outbox records the active language.
                    with translation.override(staff_language(recipient)):
                        message.send()
        except IntegrityError:
            continue  # already reminded: an earlier run, or another node at the same time
        reminded += 1
    return reminded


def review_reminder_email(
    *, review: ReviewDue, stage: str, recipient, today: datetime.date
) -> EmailMessage:
    """The reminder in the recipient's admin language: what, when, where (no personal
    value but her own name)."""
    language = staff_language(recipient)
    with translation.override(language):
        context = {
            "label": str(review.label),
            "overdue": stage == ReviewReminderStage.OVERDUE,
            "date": date_display(review.review_date, language),
            "days": (review.review_date - today).days,
            "name": staff_display_name(recipient),
            "link": public_url(review.action_url),
        }
        subject = render_to_string("accounts/email/review_reminder_subject.txt", context)
        body = render_to_string("accounts/email/review_reminder_body.txt", context)
        return EmailMessage(subject=" ".join(subject.split()), body=body, to=[recipient.email])


def policy_review_remind(*, now: datetime.datetime | None = None) -> int:
    """The daily job of the policy's review (csce/accounts/apps.py)."""
    return review_reminders_send(reviews=[policy_review()], now=now)
