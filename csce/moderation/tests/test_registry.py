"""The moderation app in the personal-data registry (policy F, M, P3, P10): comments and
reports found, exported and erased by the address a person gave, through the privacy
portal too; what the retention job deletes and when; the notice's line."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from csce.accounts.factories import staff_user
from csce.accounts.roles import CONTENT, PRIVACY_OFFICER
from csce.audit.models import AccessAction, AccessLogEntry
from csce.common import policy
from csce.common.crypto import blind_index
from csce.common.registry import personal_data_registry
from csce.moderation.factories import NETWORK, comment_create, report_create
from csce.moderation.models import (
    ActionKind,
    BlockKind,
    Comment,
    CommentState,
    ConcernReport,
    ModerationAction,
    Reason,
    ReportState,
    SenderBlock,
)
from csce.moderation.publication import comments_published
from csce.moderation.registry import (
    moderation_erase,
    moderation_export,
    moderation_find,
    moderation_oldest,
    moderation_purge,
)
from csce.moderation.services import comment_moderate, report_close, report_reopen
from csce.pages.cache import site_generation
from csce.privacy.factories import privacy_request_make
from csce.privacy.notice import notice_sections_build
from csce.privacy.workspace import (
    privacy_request_discover,
    privacy_request_erase,
)
from csce.retention.services import purge_expired_data

pytestmark = pytest.mark.django_db

EMAIL = "elise.tremblay@example.org"
DAYS = policy.MODERATION_RECORD_DAYS
DAY = datetime.timedelta(days=1)
START = datetime.datetime(2027, 1, 4, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def moderator(db):
    return staff_user(role=CONTENT, username="moderatrice")


@pytest.fixture
def at(time_machine):
    """Move the clock to ``START`` + days."""

    def move(days: float = 0):
        time_machine.move_to(START + days * DAY, tick=False)
        return timezone.now()

    return move


def approve(comment, moderator, kind=ActionKind.APPROVE, reason=Reason.WITHIN_RULES, **extra):
    return comment_moderate(comment=comment, kind=kind, actor=moderator, reason=reason, **extra)


# --- find, export, erase -----------------------------------------------------------------


def test_find_and_export_by_the_address_given_whatever_its_case(site_home):
    comment = comment_create(page=site_home, email=EMAIL)
    report = report_create(contact=EMAIL, description="Un message haineux sous l’article.")
    comment_create(page=site_home, email="quelqu.un@example.org")
    comment_create(page=site_home)  # no address: found by none
    found = moderation_find(email=EMAIL.upper())
    assert {(r.object_type, r.object_id) for r in found} == {
        ("moderation.comment", str(comment.pk)),
        ("moderation.concernreport", str(report.pk)),
    }
    # The list says what and when, never what was written.
    assert not any("Merci" in r.summary or "haineux" in r.summary for r in found)
    rows = moderation_export(email=EMAIL)
    assert {row["kind"] for row in rows} == {"comment", "report"}
    exported = next(row for row in rows if row["kind"] == "comment")
    assert exported["comment"] == comment.text
    assert exported["email"] == EMAIL
    assert next(row for row in rows if row["kind"] == "report")["description"] == (
        "Un message haineux sous l’article."
    )
    assert moderation_find(email="") == []


def test_erasing_an_approved_comment_takes_it_off_the_article_and_rebuilds_the_pages(
    site_home, moderator
):
    comment = comment_create(page=site_home, email=EMAIL)
    approve(comment, moderator, note="Publié après relecture.")
    other = comment_create(page=site_home, email="autre@example.org")
    approve(other, moderator)
    report = report_create(contact=EMAIL)
    assert comment in comments_published(page_id=site_home.pk)
    generation = site_generation()

    assert moderation_erase(email=EMAIL, actor=None) == 2

    assert comments_published(page_id=site_home.pk) == [other]
    assert site_generation() == generation + 1
    assert not ConcernReport.objects.filter(pk=report.pk).exists()
    # The history keeps the action and its reason, not the moderator's note about it.
    action = ModerationAction.objects.get(comment_id_kept=comment.pk)
    assert (action.kind, action.reason, action.note) == (ActionKind.APPROVE, "within_rules", "")
    assert moderation_find(email=EMAIL) == []


def test_erasing_only_unpublished_items_leaves_the_pages_cached(site_home):
    comment_create(page=site_home, email=EMAIL)
    generation = site_generation()
    assert moderation_erase(email=EMAIL, actor=None) == 1
    assert site_generation() == generation


def test_the_privacy_portal_finds_and_erases_comments_and_reports(site_home, moderator):
    officer = staff_user(role=PRIVACY_OFFICER, username="agente-vie-privee")
    comment = comment_create(page=site_home, email=EMAIL)
    approve(comment, moderator)
    report_create(contact=EMAIL)
    request = privacy_request_make(email=EMAIL)

    findings = {f.key: f for f in privacy_request_discover(request=request, actor=officer)}
    assert len(findings["moderation"].records) == 2
    bundle = personal_data_registry.get("moderation").export(email=EMAIL, actor=officer)
    assert {row["kind"] for row in bundle} == {"comment", "report"}

    results = privacy_request_erase(request=request, actor=officer)
    assert results["moderation"] == {"erased": 2}
    assert not Comment.objects.filter(email_index=blind_index(EMAIL)).exists()
    assert not ConcernReport.objects.filter(contact_index=blind_index(EMAIL)).exists()
    assert comments_published(page_id=site_home.pk) == []


# --- retention -----------------------------------------------------------------------------


def purge(now=None) -> int:
    return moderation_purge(now=now or timezone.now(), batch_size=2)


def test_a_rejected_comment_goes_ninety_days_after_its_rejection_not_before(
    site_home, moderator, at
):
    at(0)
    comment = comment_create(page=site_home, email=EMAIL)
    at(10)
    approve(comment, moderator, kind=ActionKind.REJECT, reason=Reason.SPAM)
    at(10 + DAYS - 0.01)
    assert purge() == 0
    assert Comment.objects.filter(pk=comment.pk).exists()
    at(10 + DAYS + 0.01)
    assert purge() == 2  # the comment, and the moderator's action on it
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert purge() == 0  # idempotent
    entry = AccessLogEntry.objects.filter(
        action=AccessAction.PERSONAL_DATA_DELETED, object_type="moderation.comment"
    ).latest("pk")
    assert entry.details == {"reason": "retention", "count": 1}


def test_a_pending_comment_goes_ninety_days_after_its_arrival(site_home, at):
    at(0)
    comment = comment_create(page=site_home)
    at(DAYS - 0.01)
    assert purge() == 0
    at(DAYS + 0.01)
    assert purge() == 1
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_an_approved_comment_keeps_its_name_and_text_and_loses_its_address(
    site_home, moderator, at
):
    at(0)
    comment = comment_create(page=site_home, email=EMAIL, name="Élise T.")
    at(1)
    approve(comment, moderator)
    at(1 + DAYS + 0.01)
    # Stripping is no deletion: only the moderator's old action counts.
    assert purge() == 1
    comment.refresh_from_db()
    assert (comment.state, comment.name) == (CommentState.APPROVED, "Élise T.")
    assert comment.text.startswith("Merci pour cet article")
    assert (comment.email, comment.email_index, comment.network_key) == ("", "", "")
    assert comments_published(page_id=site_home.pk) == [comment]
    assert moderation_find(email=EMAIL) == []
    assert purge() == 0


def test_a_closed_report_goes_ninety_days_after_its_closing_not_before(moderator, at):
    at(0)
    report = report_create(contact=EMAIL)
    at(30)
    report_close(report=report, actor=moderator, reason=Reason.HANDLED)
    at(30 + DAYS - 0.01)
    assert purge() == 0
    at(30 + DAYS + 0.01)
    assert purge() == 1
    assert not ConcernReport.objects.exists()
    assert not ModerationAction.objects.exists()  # its history went with it


def test_an_open_report_goes_at_the_cap_after_its_last_activity(moderator, at):
    at(0)
    untouched = report_create()
    reopened = report_create()
    at(5)
    report_close(report=reopened, actor=moderator, reason=Reason.HANDLED)
    at(60)
    report_reopen(report=reopened, actor=moderator, reason=Reason.OTHER, note="À revoir.")
    at(DAYS - 0.01)
    assert purge() == 0
    at(DAYS + 0.01)
    # The untouched one waited the whole cap (overdue since its first business day).
    assert purge() == 1
    assert not ConcernReport.objects.filter(pk=untouched.pk).exists()
    assert list(ConcernReport.objects.values_list("pk", "state")) == [
        (reopened.pk, ReportState.OPEN)
    ]
    at(60 + DAYS + 0.01)
    assert purge() == 1
    assert not ConcernReport.objects.exists()


def test_expired_sender_blocks_go_and_current_ones_stay(at):
    at(0)
    SenderBlock.objects.create(
        kind=BlockKind.NETWORK, key=NETWORK, until=START + 7 * DAY, reason=Reason.SPAM
    )
    SenderBlock.objects.create(
        kind=BlockKind.EMAIL, key=blind_index(EMAIL), until=START + 30 * DAY, reason=Reason.SPAM
    )
    at(8)
    purge()
    assert list(SenderBlock.objects.values_list("kind", flat=True)) == [BlockKind.EMAIL]


def test_the_retention_job_runs_the_moderation_purge_and_counts_deletions_only(
    site_home, moderator, at
):
    at(0)
    kept = comment_create(page=site_home, email=EMAIL)
    approve(kept, moderator)
    comment_create(page=site_home)
    at(DAYS + 1)
    run = purge_expired_data()
    assert run.counts["moderation"] == 2  # the waiting comment, and the approval's action
    assert Comment.objects.get().pk == kept.pk


def test_the_oldest_record_held(site_home, moderator, at):
    assert moderation_oldest() is None
    at(0)
    comment = comment_create(page=site_home, email=EMAIL)
    approve(comment, moderator)
    at(3)
    report_create()
    assert moderation_oldest() == START
    at(DAYS + 1)
    purge()
    # What remains (a published comment without address, a report) is younger or not personal.
    assert moderation_oldest() == START + 3 * DAY


# --- the notice ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "retention"),
    [
        ("fr", "Commentaires et signalements", f"{DAYS}\u00a0jours après la modération"),
        ("en", "Comments and reports of a concern", f"{DAYS} days after moderation"),
    ],
)
def test_the_privacy_notice_has_the_moderation_line_with_its_retention(language, title, retention):
    sections = notice_sections_build(language=language)
    source = next(s for s in sections.sources if s.key == "moderation")
    assert source.label.startswith(title)
    assert retention in source.retention
    assert [line.retention for line in source.lines] == [source.retention]
