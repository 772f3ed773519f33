"""The moderation services (policy U, R, X): blocks hold and expire, every action needs
its reason, a decision applies once, an escalation opens one incident."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from csce.accounts import roles
from csce.audit.models import AccessAction, AccessLogEntry
from csce.common import policy
from csce.incidents.models import Incident
from csce.moderation import services
from csce.moderation.blocks import sender_blocked
from csce.moderation.factories import NETWORK, comment_create, report_create
from csce.moderation.models import (
    ActionKind,
    CommentState,
    ModerationAction,
    Reason,
    ReportState,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(staff_user_make):
    return staff_user_make(role=roles.CONTENT)


def test_a_blocked_sender_cannot_comment_or_report_until_the_block_ends(moderator, site_home):
    comment = comment_create(page=site_home, email="abus@example.org")
    days = policy.MODERATION_BLOCK_DAYS[0]
    assert (
        services.sender_block(actor=moderator, days=days, reason=Reason.SPAM, comment=comment) == 2
    )
    with pytest.raises(services.SenderBlocked):
        services.comment_submit(
            page=site_home, language="fr", name="Autre", text="Encore", network=NETWORK
        )
    # From another network, the same address is still blocked.
    with pytest.raises(services.SenderBlocked):
        services.report_submit(
            subject="page",
            category="spam",
            description="x",
            language="fr",
            url="/fr/",
            contact="abus@example.org",
            network="",
        )
    # Someone else, elsewhere, is not.
    assert services.comment_submit(
        page=site_home, language="fr", name="Autre", text="Bonjour", network="autre-reseau"
    )
    later = timezone.now() + datetime.timedelta(days=days, minutes=1)
    with time_machine.travel(later):
        assert not sender_blocked(network=NETWORK)
        assert comment_create(page=site_home, email="abus@example.org").state == (
            CommentState.PENDING
        )


def test_a_block_lasts_one_of_the_policy_s_lengths_and_needs_a_reason(moderator, site_home):
    comment = comment_create(page=site_home)
    with pytest.raises(services.ModerationError):
        services.sender_block(actor=moderator, days=2, reason=Reason.SPAM, comment=comment)
    with pytest.raises(services.NoteRequired):
        services.sender_block(actor=moderator, days=7, reason=Reason.OTHER, comment=comment)
    assert not sender_blocked(network=NETWORK)


def test_a_sender_who_left_nothing_to_block_by_is_said_so(moderator, site_home):
    comment = comment_create(page=site_home, network="")
    assert services.sender_block(actor=moderator, days=7, reason=Reason.SPAM, comment=comment) == 0
    assert ModerationAction.objects.get().kind == ActionKind.BLOCK


def test_other_needs_a_note_and_nothing_changes_without_one(moderator, site_home):
    comment = comment_create(page=site_home)
    with pytest.raises(services.NoteRequired):
        services.comment_moderate(
            comment=comment, kind=ActionKind.REJECT, actor=moderator, reason=Reason.OTHER
        )
    comment.refresh_from_db()
    assert comment.state == CommentState.PENDING
    assert not ModerationAction.objects.exists()
    assert not AccessLogEntry.objects.filter(
        action=AccessAction.CONTENT_ACTION, object_type=services.COMMENT_TYPE
    ).exists()


def test_a_decision_applies_once(moderator, site_home):
    comment = comment_create(page=site_home)
    services.comment_moderate(
        comment=comment, kind=ActionKind.APPROVE, actor=moderator, reason=Reason.WITHIN_RULES
    )
    with pytest.raises(services.ModerationError):
        services.comment_moderate(
            comment=comment, kind=ActionKind.APPROVE, actor=moderator, reason=Reason.WITHIN_RULES
        )
    with pytest.raises(services.ModerationError):
        services.comment_moderate(
            comment=comment, kind=ActionKind.REJECT, actor=moderator, reason=Reason.SPAM
        )
    assert ModerationAction.objects.count() == 1


def test_an_edit_marks_the_comment_and_is_not_its_answer(moderator, site_home):
    comment = comment_create(page=site_home)
    edited = services.comment_moderate(
        comment=comment,
        kind=ActionKind.EDIT,
        actor=moderator,
        reason=Reason.CORRECTION,
        text="Texte corrigé",
    )
    assert edited.edited_at is not None
    assert edited.closed_at is None
    approved = services.comment_moderate(
        comment=comment, kind=ActionKind.APPROVE, actor=moderator, reason=Reason.WITHIN_RULES
    )
    assert approved.closed_at is not None
    assert approved.closed_by == moderator


def test_an_escalation_opens_one_incident(moderator):
    report = report_create()
    reference = services.report_escalate(report=report, actor=moderator, kind="security")
    report.refresh_from_db()
    assert report.incident_reference == reference
    assert report.state == ReportState.CLOSED
    with pytest.raises(services.ModerationError):
        services.report_escalate(report=report, actor=moderator, kind="security")
    assert Incident.objects.count() == 1
