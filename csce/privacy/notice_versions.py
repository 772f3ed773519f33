"""Versions of the privacy notice (policy P3, V).

Policy P3 and V, PHIPA s.16: each published change of the public statement is a version
with its date and a summary; past versions stay readable; consent records name the
version in force. A version is recorded when an editor publishes the notice page, and
automatically whenever the sections generated from the live system change (checked
after each relevant change and by a daily job).
"""

from __future__ import annotations

import datetime
import logging

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from csce.accounts.reviews import (
    NOT_SET,
    OVERDUE,
    SOON,
    ReviewDue,
    policy_review,
    review_reminders_send,
    review_state,
)
from csce.common import policy
from csce.common.compliance import AMBER, GREEN, RED, Indicator, Reading
from csce.common.policy import interpolate_lazy
from csce.common.typography import short_date_display
from csce.pages.cache import site_generation_bump

from .models.records import PrivacyNoticeVersion
from .notice import (
    SECTION_KEYS,
    SECTION_NAMES,
    NoticeSections,
    notice_generation_bump,
    notice_sections,
    notice_sections_build,
    notice_version_in_force,
    notice_version_latest,
)

logger = logging.getLogger(__name__)


def notice_page_model():
    return apps.get_model("pages", "PrivacyNoticePage")


def notice_page_live(*, language: str):
    return (
        notice_page_model()
        .objects.live()
        .filter(locale__language_code=language)
        .order_by("path")
        .first()
    )


def notice_snapshot_html(*, page, sections: NoticeSections) -> str:
    """The whole notice as visitors read it: the editorial text and the generated sections."""
    with translation.override(sections.language):
        return render_to_string(
            "privacy/notice_snapshot.html", {"page": page, "sections": sections}
        )


def notice_change_summary(*, changed: list[str], language: str, first: bool) -> str:
    with translation.override(language):
        if first:
            return gettext("First version of the notice.")
        names = ", ".join(str(SECTION_NAMES[key]) for key in changed)
        return gettext(
            "Updated automatically because the live system changed. Sections changed: %(sections)s."
        ) % {"sections": names}


def notice_version_record(
    *,
    page,
    summary: str,
    automatic: bool,
    user=None,
    now: datetime.datetime | None = None,
) -> PrivacyNoticeVersion | None:
    """Record the notice of ``page``'s language as it reads now, as the next version.

    Automatic versions are recorded only when the generated sections differ from the
    latest version's (two nodes checking at once record one version, not two).
    """
    language = page.locale.language_code
    sections = notice_sections_build(language=language)
    hashes = sections.section_hashes()
    latest = notice_version_latest(language=language)
    if automatic and latest is not None and latest.sections_hash == sections.sections_hash:
        return None  # nothing changed: the common case, decided without rendering
    html = notice_snapshot_html(page=page, sections=sections)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                latest = notice_version_latest(language=language)
                if automatic:
                    if latest is not None and latest.sections_hash == sections.sections_hash:
                        return None
                    changed = [
                        key
                        for key in SECTION_KEYS
                        if latest is None or latest.section_hashes.get(key) != hashes[key]
                    ]
                    summary = notice_change_summary(
                        changed=changed, language=language, first=latest is None
                    )
                number = (latest.number if latest is not None else 0) + 1
                version = PrivacyNoticeVersion.objects.create(
                    language=language,
                    number=number,
                    published_at=now or timezone.now(),
                    summary=summary,
                    automatic=automatic,
                    page=page,
                    published_by=user,
                    title=page.title,
                    html=html,
                    sections_hash=sections.sections_hash,
                    section_hashes=hashes,
                )
        except IntegrityError:
            continue  # another node took this number: look again
        # "Version N, in force since" is on the notice page: now for this transaction's
        # reads, again on commit; the page cache keeps the notice page whole (decision 0004).
        notice_generation_bump()
        transaction.on_commit(notice_generation_bump)
        transaction.on_commit(site_generation_bump)
        logger.info("privacy notice %s version %s recorded", language, number)
        return version
    raise RuntimeError("Could not number the privacy notice version.")


def notice_page_published(*, page, revision=None) -> PrivacyNoticeVersion | None:
    """An editor published the notice page: its summary of changes makes the version."""
    page = notice_page_model().objects.filter(pk=page.pk, live=True).first()
    if page is None:
        return None
    return notice_version_record(
        page=page,
        summary=page.change_summary,
        automatic=False,
        user=getattr(revision, "user", None),
    )


def notice_versions_check(*, first: bool = True) -> list[PrivacyNoticeVersion]:
    """Record an automatic version for each language whose generated sections changed.

    Run after the changes that may affect them (on commit) and daily, for what changes
    without a signal (a deployment, a setting). After a change, ``first=False`` leaves the
    first version to the editor's publication; the daily run records it for a notice
    published before this app was installed.
    """
    recorded = []
    for language, _name in settings.LANGUAGES:
        page = notice_page_live(language=language)
        if page is None or (not first and notice_version_latest(language=language) is None):
            continue
        version = notice_version_record(page=page, summary="", automatic=True)
        if version is not None:
            recorded.append(version)
    return recorded


def notice_reviews_due() -> list[ReviewDue]:
    """Policy V: the notice's review in each language, on its page's ``next_review``
    (no live page: no date, and the link leads to the page tree)."""
    reviews = []
    for language, _own_name in settings.LANGUAGES:
        page = notice_page_live(language=language)
        reviews.append(
            ReviewDue(
                subject=f"notice:{language}",
                label=interpolate_lazy(
                    _("the privacy notice in %(language)s"),
                    {"language": settings.SHORT_LANGUAGE_NAMES[language]},
                ),
                review_date=page.next_review if page is not None else None,
                action_url=reverse("wagtailadmin_pages:edit", args=[page.pk])
                if page is not None
                else reverse("wagtailadmin_explore_root"),
            )
        )
    return reviews


def notice_review_remind(*, now: datetime.datetime | None = None) -> int:
    """The daily job: the AED is reminded of the notice's reviews (csce/privacy/apps.py)."""
    return review_reminders_send(reviews=notice_reviews_due(), now=now)


def notice_review_status(*, today: datetime.date | None = None) -> list[dict]:
    """Per language: the version in force, the next review and how near it is, and the
    number of active processors (the compliance panel on the dashboard)."""
    today = today or timezone.localdate()
    status = []
    for language, _own_name in settings.LANGUAGES:
        # Named in the reader's language (policy P2): « Anglais » in the French admin.
        name = settings.SHORT_LANGUAGE_NAMES[language]
        page = notice_page_live(language=language)
        review = page.next_review if page is not None else None
        # Policy V: "soon" from REVIEW_REMINDER_DAYS_BEFORE days before, as the reminders.
        state = "no_page" if page is None else review_state(review_date=review, today=today)
        status.append(
            {
                "language": language,
                "name": name,
                "version": notice_version_in_force(language=language),
                "next_review": review,
                "review_state": state,
                "days_left": (review - today).days if review is not None else None,
                "processors": len(notice_sections(language=language).processors),
            }
        )
    return status


# --- the compliance view: policy and notice reviews due (policy V, R) ---------------------


def reviews_due_read(*, now: datetime.datetime) -> Reading:
    """Red: a review overdue or without a date (or no policy approved, no notice page);
    amber: one due within REVIEW_REMINDER_DAYS_BEFORE days; green otherwise. Dates and
    counts only."""
    today = timezone.localdate(now)
    reviews = [policy_review(), *notice_reviews_due()]
    states = [
        (review, review_state(review_date=review.review_date, today=today)) for review in reviews
    ]
    late = [(review, state) for review, state in states if state in (OVERDUE, NOT_SET)]
    soon = [review for review, state in states if state == SOON]
    if late:
        items = "; ".join(
            gettext("%(what)s: overdue since %(date)s")
            % {"what": review.label, "date": short_date_display(review.review_date)}
            if state == OVERDUE
            else gettext("%(what)s: no review date") % {"what": review.label}
            for review, state in late
        )
        return Reading(
            RED,
            ngettext(
                "%(count)s review overdue or without a date (%(items)s).",
                "%(count)s reviews overdue or without a date (%(items)s).",
                len(late),
            )
            % {"count": len(late), "items": items},
            action_url=late[0][0].action_url,
            action_label=gettext("Review"),
        )
    if soon:
        items = "; ".join(
            gettext("%(what)s on %(date)s")
            % {"what": review.label, "date": short_date_display(review.review_date)}
            for review in soon
        )
        return Reading(
            AMBER,
            ngettext(
                "%(count)s review due within %(days)s days (%(items)s).",
                "%(count)s reviews due within %(days)s days (%(items)s).",
                len(soon),
            )
            % {"count": len(soon), "days": policy.REVIEW_REMINDER_DAYS_BEFORE, "items": items},
            action_url=soon[0].action_url,
            action_label=gettext("Review"),
        )
    following = min(reviews, key=lambda review: review.review_date)
    return Reading(
        GREEN,
        gettext("No review due within %(days)s days; the next is %(what)s on %(date)s.")
        % {
            "days": policy.REVIEW_REMINDER_DAYS_BEFORE,
            "what": following.label,
            "date": short_date_display(following.review_date),
        },
        action_url=following.action_url,
        action_label=gettext("Open"),
    )


REVIEWS_DUE_INDICATOR = Indicator(
    key="reviews_due",
    label=_("Policy and notice reviews due"),
    clauses=("V", "R"),
    read=reviews_due_read,
    order=80,
)
